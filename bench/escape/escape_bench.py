#!/usr/bin/python3
"""The same workload as escape_bench.cpp, through Debian's python3-tornado."""
import json
import sys
import time

from tornado import escape


def time_it(name, call):
    iterations, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.4:
        for _ in range(64):
            call()
        iterations += 64
    print(name, (time.perf_counter() - start) * 1e9 / iterations)


def main():
    workload = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "bench/escape/workload.json"))
    comment, query, entry = workload["comment"], workload["query"], workload["entry"]
    escaped, quoted, encoded = escape.xhtml_escape(comment), escape.url_escape(query), escape.json_encode(entry)
    time_it("xhtml_escape", lambda: escape.xhtml_escape(comment))
    time_it("xhtml_unescape", lambda: escape.xhtml_unescape(escaped))
    time_it("url_escape", lambda: escape.url_escape(query))
    time_it("url_unescape", lambda: escape.url_unescape(quoted))
    time_it("json_encode", lambda: escape.json_encode(entry))
    time_it("json_decode", lambda: escape.json_decode(encoded))
    time_it("squeeze", lambda: escape.squeeze(comment))
    time_it("linkify", lambda: escape.linkify(comment, shorten=True))


if __name__ == "__main__":
    main()
