#!/usr/bin/python3
"""Writes oauth_vectors.json: OAuth 1.0 / 1.0a signatures, percent-encodings and token answers as
Debian's python3-tornado computes them (tornado.auth._oauth_signature, _oauth10a_signature,
_oauth_escape, _oauth_parse_response). oauth_signature_test.cpp checks Typhoon against the file.

    libs/auth/test/generate_oauth_vectors.py           rewrites the file beside this script
    libs/auth/test/generate_oauth_vectors.py --check   exits 1 when the file differs from Tornado
"""
import json
import os
import sys

from tornado.auth import (_oauth10a_signature, _oauth_escape, _oauth_parse_response,
                          _oauth_signature)

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "oauth_vectors.json")

CONSUMERS = [
    {"key": "asdf", "secret": "qwer"},
    {"key": "dpf43f3p2l4k3l03", "secret": "kd94hf93k423kf44"},
    # secrets that percent-encoding changes: 1.0 signs with them raw, 1.0a encoded
    {"key": "k", "secret": "s&e=c r/e+t~*"},
    {"key": "ключ", "secret": "сек рет"},
    {"key": "", "secret": ""},
]
TOKENS = [
    None,
    {"key": "uiop", "secret": "5678"},
    {"key": "nnch734d00sl2jdk", "secret": "pfkkdhi9sl3r4s00"},
    {"key": "t", "secret": "a&b=c%d é"},
]
REQUESTS = [
    ("GET", "http://www.example.com/api/asdf", {"foo": "bar"}),
    ("get", "HTTP://Photos.Example.NET:8080/photos", {
        "file": "vacation.jpg", "size": "original", "oauth_consumer_key": "dpf43f3p2l4k3l03",
        "oauth_nonce": "kllo9940pd9333jh", "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": "1191242096", "oauth_version": "1.0"}),
    ("POST", "https://api.twitter.com/1.1/statuses/update.json", {
        "status": "Hello Ladies + Gentlemen, a signed OAuth request!",
        "include_entities": "true"}),
    # query and fragment are not part of the base string URL; ;params of the last segment go too
    ("GET", "http://example.com/a/b;p=1?x=1#frag", {"x": "1"}),
    ("PUT", "http://user:PW@Example.com/path/with%20space/", {}),
    ("DELETE", "http://example.com", {"empty": "", "zeta": "z", "Alpha": "A", "_u": "~-._"}),
    ("GET", "http://example.com/unicode", {"name": "Zoë ☃", "emoji": "😀", "sym": "!*'();:@&=+$,/?#[]"}),
]


def vectors():
    signatures = []
    for consumer in CONSUMERS:
        for token in TOKENS:
            for method, url, parameters in REQUESTS:
                for version, function in (("1.0", _oauth_signature), ("1.0a", _oauth10a_signature)):
                    signature = function(consumer, method, url, parameters, token)
                    signatures.append({
                        "version": version, "consumer": consumer, "token": token,
                        "method": method, "url": url, "parameters": parameters,
                        "signature": signature.decode("ascii"),
                    })
    escapes = [{"value": value, "escaped": _oauth_escape(value)} for value in [
        "", "abcXYZ019", "-._~", " ", "+", "/", "%", "&=?#", "é", "☃", "😀",
        "".join(chr(c) for c in range(32, 127)),
    ]]
    responses = [{"body": body, "token": _oauth_parse_response(body.encode("utf-8"))} for body in [
        "oauth_token=zxcv&oauth_token_secret=1234",
        "oauth_token=hjkl&oauth_token_secret=vbnm&screen_name=foo",
        "oauth_token_secret=s%2Bt&oauth_token=a+b&user_id=12&oauth_callback_confirmed=true",
        "oauth_token=x&oauth_token_secret=y&empty=&oauth_token=second",
    ]]
    return {"signatures": signatures, "escapes": escapes, "responses": responses}


def main():
    text = json.dumps(vectors(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if "--check" in sys.argv[1:]:
        with open(OUTPUT, encoding="utf-8") as f:
            if f.read() != text:
                print(OUTPUT + " differs from what python3-tornado computes; rerun " +
                      os.path.basename(__file__))
                return 1
        print("oauth_vectors.json matches python3-tornado")
        return 0
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
