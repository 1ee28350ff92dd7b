#!/usr/bin/python3
"""Prints a table of medians and ratios from two benchmark outputs.

Usage: compare_medians.py TYPHOON_FILE TORNADO_FILE [UNIT]
Each file holds lines "<name> <value>" (lower is better, e.g. ns per call), one line per name per
run; the ratio is tornado / typhoon, so 30x means Typhoon takes 1/30 of Tornado's time.
"""
import collections
import statistics
import sys


def medians(path):
    samples = collections.OrderedDict()
    for line in open(path):
        fields = line.split()
        if len(fields) >= 2:
            samples.setdefault(fields[0], []).append(float(fields[1]))
    return {name: (statistics.median(v), len(v)) for name, v in samples.items()}


typhoon, tornado = medians(sys.argv[1]), medians(sys.argv[2])
unit = sys.argv[3] if len(sys.argv) > 3 else "ns"
print(f"{'':<16}{'typhoon ' + unit:>18}{'tornado ' + unit:>18}{'ratio':>9}   medians of {max(n for _, n in typhoon.values())} runs")
for name, (value, _) in typhoon.items():
    other = tornado.get(name, (float("nan"), 0))[0]
    print(f"{name:<16}{value:>18.1f}{other:>18.1f}{other / value:>8.1f}x")
