#!/usr/bin/python3
"""Random templates built from directive and expression fragments, rendered by Tornado 6 (Debian's
python3-tornado) and by typhoon-template: where Tornado renders, the bytes must be equal; where
Tornado fails, typhoon-template must fail too. Seeded, so a failure reproduces.

    template_differential.py path/to/typhoon-template [SEED] [COUNT]
"""
import json
import logging
import os
import random
import subprocess
import sys
import tempfile

from tornado import template
from tornado.util import ObjectDict

logging.disable(logging.CRITICAL)  # Tornado logs the generated code of templates that fail to compile

FRAGMENTS = [
    "{{", "}}", "{%", "%}", "{#", "#}", " if x ", " for x in l ", " end ", " else ", " elif y ", " try ", " except ",
    " finally ", " set x = 1 ", " set x += 'a' ", " break ", " continue ", " x ", " l[1:] ", " d.k ", " d['k'] ",
    "'%s' % x", " len(l) ", " x.upper() ", "(", ")", "[", "]", ",", " + ", " * ", " / ", " // ", " ** ", " % ",
    " not ", " and ", " or ", " in ", "\n", "  ", "a", "<", "&", "{", "}", "!", " block b ", " include 'f.html' ",
    " extends 'f.html' ", " apply linkify ", " raw x ", " autoescape None ", " whitespace oneline ", " 1 ", " 2.5 ",
    " -3 ", " 'é' ", " [1, 'a'] ", " {'k': 1} ", " range(3) ", " sorted(l) ", " x if y else l ", " '{}'.format(x) ",
    "\"", "'", "\\", " 1/0 ", " d.get('z', 0) ", " l[::-1] ", " str(2.5) ", " '<%s>' % d ",
]
ARGS = {"x": "<v>", "y": 0, "l": [1, 2, 3], "d": {"k": "v&"}}


def main(cli, seed, count):
    rng = random.Random(seed)
    failures = compared = 0
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "args.json"), "w") as f:
            json.dump(ARGS, f)
        with open(os.path.join(root, "f.html"), "w") as f:
            f.write("F{% block b %}fb{% end %}")
        for _ in range(count):
            source = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 20)))
            with open(os.path.join(root, "t.html"), "w") as f:
                f.write(source)
            try:
                args = json.loads(json.dumps(ARGS), object_hook=ObjectDict)
                expected = template.Loader(root).load("t.html").generate(**args)
            except Exception:
                expected = None
            result = subprocess.run([cli, "render", "--path", root, "t.html", "--args", os.path.join(root, "args.json")],
                                    capture_output=True)
            if expected is None:
                if result.returncode == 0:
                    failures += 1
                    print("FAIL Tornado fails but Typhoon renders %r: %r" % (result.stdout, source))
            elif result.returncode != 0 or result.stdout != expected:
                failures += 1
                print("FAIL %r\n  tornado: %r\n  typhoon: %r %s" % (source, expected, result.stdout, result.stderr.decode()))
            else:
                compared += 1
    print("%d templates rendered identically, %d failure(s)" % (compared, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 6, int(sys.argv[3]) if len(sys.argv) > 3 else 300))
