#!/usr/bin/python3
"""Renders templates/users.html with Debian's python3-tornado: the Python side of template_bench.cpp.
Prints "render <microseconds per render>"; with --print, writes the page instead."""
import json
import os
import sys
import time

from tornado import template
from tornado.util import ObjectDict

here = os.path.dirname(os.path.abspath(__file__))
args = json.load(open(sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "--print" else os.path.join(here, "workload.json")), object_hook=ObjectDict)
page = template.Loader(os.path.join(here, "templates")).load("users.html")
if "--print" in sys.argv:
    sys.stdout.buffer.write(page.generate(**args))
    sys.exit(0)
iterations, start = 0, time.perf_counter()
while time.perf_counter() - start < 1.0:
    for _ in range(16):
        page.generate(**args)
    iterations += 16
print("render", (time.perf_counter() - start) * 1e6 / iterations)
