#!/usr/bin/python3
"""Prints the tornado_cases table of direct_output_test.cpp: each template rendered with Debian's
python3-tornado 6.2 (arguments decoded with ObjectDict). Paste its output
into the table, then run clang-format."""
from tornado import template
from tornado.util import ObjectDict
import json
def obj(x): return json.loads(json.dumps(x), object_hook=ObjectDict)
def cstr(s): return json.dumps(s, ensure_ascii=False)
cases = [
 ('{{ "%.2f" % x }}|{{ "<%.1f>" % x }}|{{ "%.0f" % x }}|{{ "%f" % x }}|{{ "%.3f" % x }}', [{"x": 0.125}, {"x": -0.001}, {"x": 2.5}, {"x": 7}, {"x": 1e16}, {"x": -3.14159}, {"x": 0.5}, {"x": 1.005}]),
 ('{% raw "a%.2fb" % r.v %}|{{ "%.2f%%" % r.v }}|{{ "%5.1f" % r.v }}|{{ "%.2f" % r["v"] }}', [{"r": {"v": 12.345}}, {"r": {"v": -2}}]),
 ('{{ ", ".join(r.tags) }}|{{ "<&>".join(tags) }}|{% raw "-".join(r["tags"]) %}|{{ "".join(r.tags) }}', [{"r": {"tags": ["a<b", "c'd", "e&f"]}, "tags": ["x", "y"]}, {"r": {"tags": []}, "tags": ["only"]}]),
 ('{{ "yes" if r.flag else "no" }}|{{ r.n if r.flag else r.s }}|{{ "t" if not r.flag else "f" }}|{{ r.a.b["c"] }}|{{ r.flag }}|{% raw r.s %}', [{"r": {"flag": v, "n": 5, "s": "<s>", "a": {"b": {"c": "deep&"}}}} for v in [True, False, 0, 1, -7, 0.0, 2.5, "", "x", [], [0], {}, {"k": 1}, None]]),
 ('{% for row in rows %}{{ row.id }}:{{ row.name }}:{{ "%.1f" % row.score }}:{{ "on" if row.active else "off" }};{% end %}', [{"rows": [{"id": 1, "name": "A&B", "score": 1.25, "active": True}, {"active": False, "score": 3, "name": "<c>", "id": -20}, {"name": "d", "id": 3, "extra": 1, "active": 1, "score": 0.05}]}]),
]
for src, argss in cases:
    t = template.Template(src, name="t.html")
    for a in argss:
        print("    {%s,\n     %s,\n     %s}," % (cstr(src), cstr(json.dumps(a)), cstr(t.generate(**obj(a)).decode())))
