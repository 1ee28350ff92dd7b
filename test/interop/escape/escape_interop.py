#!/usr/bin/python3
"""Feeds the same inputs to tornado.escape and to Typhoon's escape_driver and compares the answers.

Usage: escape_interop.py PATH/TO/escape_driver. Exits 1 and prints the first differences if any.
Inputs are hand-picked tricky cases plus seeded random concatenations of the pieces that make
these functions branch (entities, schemes, punctuation, non-ASCII, control characters).
"""
import json
import random
import struct
import subprocess
import sys

from tornado import escape

PIECES = [
    "http://", "https://", "ftp://", "www.", "mailto:", "javascript:", "a-b:", "//", "/", ":",
    "(", ")", "&", "&amp;", "&quot;", "&lt;", "&#39;", "&#x41;", "&#65;", "&#1_0;", "&eacute;",
    "&bogus;", "&#;", "<", ">", "'", '"', ".", ",", "!", "?", "=", "#", ";", "~", "_", "-", "+",
    "%", "%2F", "%C3%A9", "%E2%82", "%zz", "%ff", " ", "  ", "\t", "\n", "\x00", "\x1f", "\x7f",
    "a", "Z", "0", "9", "abc", "example", "com", "é", "ü", "例え", "😀", "\xa0", "\u3000",
    "\u2028", "…", "«", "²", "x_(y)", "wiki/Foo_(bar)", "?q=1&r=2",
]


def random_text(rng):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))


def random_json(rng, depth=0):
    kind = rng.randint(0, 7 if depth < 3 else 4)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 7, 2**53, -(2**63), 2**64 - 1, rng.randint(-10**9, 10**9)])
    if kind == 3:
        bits = rng.getrandbits(64)
        value = struct.unpack("<d", struct.pack("<Q", bits))[0]
        return rng.choice([value, 0.1, 1e16, 1e-5, 1e15, 123.456, -0.0, float("inf"), float("nan"),
                           rng.uniform(-1e6, 1e6), rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30)])
    if kind == 4:
        return random_text(rng)
    if kind == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {random_text(rng): random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def has_float(value):
    if isinstance(value, float):
        return True
    if isinstance(value, list):
        return any(has_float(v) for v in value)
    if isinstance(value, dict):
        return any(has_float(v) for v in value.values())
    return False


def wire_floats(value):
    """Floats as their bits, so the driver gets exactly the double Python has."""
    if isinstance(value, float):
        return {"$f": str(struct.unpack("<Q", struct.pack("<d", value))[0])}
    if isinstance(value, list):
        return [wire_floats(v) for v in value]
    if isinstance(value, dict):
        return {k: wire_floats(v) for k, v in value.items()}
    return value


LINKIFY_OPTIONS = [
    {}, {"shorten": True}, {"require_protocol": True}, {"extra_params": ' rel="nofollow" '},
    {"permitted_protocols": ["http", "ftp", "mailto", "a-b"]}, {"shorten": True, "require_protocol": True},
]

TRICKY_TEXT = [
    "", " ", "Hello http://tornadoweb.org!", "http://x.org/...", "(http://a.com/x_(y))",
    "http:////foo http:/// http:x", "a-http://x.com", "éhttp://z.org", "www.a.com/" + "." * 50,
    "http://www.example.com/this/is/a/very/long/url/that/goes/on/and/on?x=1",
    "http://a.b/ccccccccccc&dddddddddddddddddddddddddddddddd", "&#x0x41;&#0x41;&#X41;",
    "&#1114111;&#1114112;&#99999999999999999999;", "%C3%28%ff", "caf%C3%A9+%2B", "\u3000 x \xa0",
]


def expected(fn, args, options):
    if fn == "linkify":
        return escape.linkify(*args, **options)
    if fn in ("url_escape", "url_unescape"):
        return getattr(escape, fn)(*args, **options)
    if fn == "json_decode":
        return escape.json_encode(escape.json_decode(*args))
    return getattr(escape, fn)(*args)


def build_cases(rng):
    cases = []
    texts = TRICKY_TEXT + [random_text(rng) for _ in range(2500)]
    for text in texts:
        cases.append(("xhtml_escape", [text], {}))
        cases.append(("xhtml_unescape", [text], {}))
        cases.append(("url_escape", [text], {"plus": rng.choice([True, False])}))
        cases.append(("url_unescape", [text], {"plus": rng.choice([True, False])}))
        cases.append(("squeeze", [text], {}))
        cases.append(("linkify", [text], rng.choice(LINKIFY_OPTIONS)))
    for _ in range(1500):
        value = random_json(rng)
        cases.append(("json_encode", [value], {}))
        # Decoding compares values without floats: Boost 1.81's JSON parser may round a long
        # decimal differently in the last bit (the closing note of the foundation issue says so).
        if not has_float(value):
            cases.append(("json_decode", [json.dumps(value)], {}))
    return cases


def main():
    rng = random.Random(20261123)
    cases = build_cases(rng)
    requests = []
    for fn, args, options in cases:
        wire_args = [wire_floats(a) for a in args] if fn == "json_encode" else args
        requests.append(json.dumps({"fn": fn, "args": wire_args, "options": options}))
    run = subprocess.run([sys.argv[1]], input="\n".join(requests) + "\n", capture_output=True,
                         text=True, check=True)
    answers = run.stdout.splitlines()
    if len(answers) != len(cases):
        print(f"driver answered {len(answers)} of {len(cases)} requests", file=sys.stderr)
        return 1
    failures = skipped = 0
    for (fn, args, options), answer in zip(cases, answers):
        try:
            want = expected(fn, args, options)
        except OverflowError:
            # Tornado's own bug: chr() of a huge "&#...;" number escapes its ValueError handler.
            # Typhoon keeps such a reference as written, as Tornado does for any other bad one.
            skipped += 1
            continue
        got = json.loads(answer)
        if got.get("result") != want:
            failures += 1
            if failures <= 10:
                print(f"{fn}({args!r}, {options}):\n  tornado: {want!r}\n  typhoon: {got!r}")
    print(f"{len(cases) - failures - skipped} passed, {failures} failed, {skipped} skipped")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
