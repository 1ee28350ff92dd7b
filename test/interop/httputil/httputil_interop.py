#!/usr/bin/python3
"""Feeds the same inputs to tornado.httputil and to Typhoon's httputil_driver and compares.

Usage: httputil_interop.py PATH/TO/httputil_driver. Exits 1 and prints the first differences.
Byte strings are compared as hex. Errors are compared by kind: both sides must fail, or neither.
"""
import json
import random
import subprocess
import sys

from tornado import httputil

PIECES = ["a", "b", "Z", "0", "=", "&", ";", "+", " ", "%", "%41", "%zz", "%C3%A9", "%FF", "é", '"', "\\",
          "\\012", "\\\\", ":", "::1", "[::1]", "80", "x", "-", "?", "#", "/", "\t", ",", "'", "*", "*0", "*1*",
          "''", "utf-8''", "filename", "name", "<", ">"]


def text(rng, n=10):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, n)))


def b2h(value, encoding="latin-1"):
    return value.encode(encoding).hex() if isinstance(value, str) else value.hex()


def as_wire_text(value):
    """The str Tornado's HTTP layer makes of these UTF-8 bytes: it decodes start lines and headers
    as Latin-1, one character per byte, which is what the C++ side sees as raw bytes."""
    return value.encode("utf-8").decode("latin-1")


def unfolded(block):
    """The header block with each folded line joined to the one it continues as RFC 9112 §5.2
    reads it: one space, the whitespace around the fold dropped. Tornado keeps that whitespace
    (an empty value starts with a space, a continuation keeps its trailing one); Typhoon follows
    the RFC there, and Tornado parses everything else."""
    lines = []
    for line in block.split("\n"):
        body = line[:-1] if line.endswith("\r") else line
        if body and body[0].isspace() and lines:
            if body.strip():
                lines[-1] = lines[-1].rstrip() + " " + body.strip()
        elif body:
            lines.append(body)
    return "\r\n".join(lines)


def tornado_answer(fn, args):
    if fn == "parse_qs_bytes":
        parsed = httputil.parse_qs_bytes(as_wire_text(args[0]), keep_blank_values=args[1])
        return {b2h(k): [v.hex() for v in vs] for k, vs in parsed.items()}
    if fn == "parse_cookie":
        return {b2h(k): b2h(v) for k, v in httputil.parse_cookie(as_wire_text(args[0])).items()}
    if fn == "url_concat":
        return httputil.url_concat(args[0], [tuple(p) for p in args[1]])
    if fn == "split_host_and_port":
        return list(httputil.split_host_and_port(args[0]))
    if fn == "headers_parse":
        return [list(p) for p in httputil.HTTPHeaders.parse(unfolded(args[0])).get_all()]
    if fn == "multipart":
        arguments, files = {}, {}
        httputil.parse_body_arguments(args[0], args[1].encode("utf-8"), arguments, files)
        # Part headers are decoded as UTF-8 here, so names are compared as UTF-8.
        return [{b2h(k, "utf-8"): [v.hex() for v in vs] for k, vs in arguments.items()},
                {k: [[f.filename, f.body.hex(), f.content_type] for f in fs] for k, fs in files.items()}]
    if fn == "request_line":
        # Tornado's split(" ") also reads an empty method or target; RFC 9112 §3 does not, nor
        # does Typhoon.
        method, _, rest = args[0].partition(" ")
        if not method or rest.startswith(" "):
            raise httputil.HTTPInputError("empty method or target")
        return list(httputil.parse_request_start_line(args[0]))
    if fn == "response_line":
        # Tornado's pattern leaves its dot unescaped and reads "HTTP/1x1 200 OK"; RFC 9112 §2.3
        # does not, nor does Typhoon.
        if not args[0].startswith("HTTP/1."):
            raise httputil.HTTPInputError("not HTTP/1.x")
        return list(httputil.parse_response_start_line(args[0]))
    raise ValueError(fn)


def cases(rng):
    out = []
    for _ in range(1500):
        out.append(("parse_qs_bytes", [text(rng), rng.choice([True, False])]))
        out.append(("parse_cookie", [text(rng)]))
        out.append(("url_concat", [rng.choice(["http://h/p", "/p", "http://h/p?"]) + text(rng, 6),
                                   [[text(rng, 3), text(rng, 3)] for _ in range(rng.randint(0, 2))]]))
        out.append(("split_host_and_port", [text(rng, 4)]))
        name = rng.choice(["Content-Type", "x-A", "set-COOKIE", "Host"])
        out.append(("headers_parse", ["\r\n".join(rng.choice([f"{name}: {text(rng, 4)}", " " + text(rng, 3),
                                                               f"{name}:{text(rng, 3)}"]) for _ in range(rng.randint(1, 4)))]))
        disposition = rng.choice(["form-data", "form-data; name=", "form-data; name=\"f\"; filename", "attachment; name=a"])
        disposition += text(rng, 8)
        body = f"--B\r\nContent-Disposition: {disposition}\r\n\r\n{text(rng, 4)}\r\n--B--\r\n"
        out.append(("multipart", [rng.choice(["multipart/form-data; boundary=B", "multipart/form-data; boundary=\"B\""]), body]))
        out.append(("request_line", [rng.choice(["GET", "POST", ""]) + rng.choice([" ", "  "]) + text(rng, 3) + " " +
                                     rng.choice(["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.x", "HTTP/1.1 x"])]))
        out.append(("response_line", [rng.choice(["HTTP/1.1 ", "HTTP/1.0 ", "HTTP/2 ", "HTTP/1x1 "]) +
                                      rng.choice(["200", "404", "", "abc"]) + rng.choice([" ", ""]) + text(rng, 3)]))
    return out


def main():
    all_cases = cases(random.Random(20261123))
    requests = "".join(json.dumps({"fn": fn, "args": args}) + "\n" for fn, args in all_cases)
    answers = subprocess.run([sys.argv[1]], input=requests, capture_output=True, text=True, check=True).stdout.splitlines()
    if len(answers) != len(all_cases):
        print(f"driver answered {len(answers)} of {len(all_cases)}")
        return 1
    failures = 0
    for (fn, args), answer in zip(all_cases, answers):
        got = json.loads(answer)
        try:
            want = {"result": tornado_answer(fn, args)}
        except Exception as e:  # noqa: BLE001 - any Tornado error must be an error on our side too
            want = {"error": f"{type(e).__name__}: {e}"}
        same = ("error" in got and "error" in want) or got.get("result") == want.get("result")
        if not same:
            failures += 1
            if failures <= 10:
                print(f"{fn}{args!r}\n  tornado: {want}\n  typhoon: {got}")
    print(f"{len(all_cases) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
