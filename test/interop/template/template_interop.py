#!/usr/bin/python3
"""Renders the templates under templates/ with Tornado 6 (Debian's python3-tornado) and with
typhoon-template, and compares the bytes. For a template that fails, both must fail, and Typhoon
must print FILE:LINE: naming the file and line Tornado names.

    template_interop.py path/to/typhoon-template
"""
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import traceback

from tornado import template
from tornado.util import ObjectDict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "templates")
logging.disable(logging.CRITICAL)  # Tornado logs the generated code of a template that fails to compile


def tornado_render(case, args):
    kwargs = {}
    if "autoescape" in case:
        kwargs["autoescape"] = None if case["autoescape"] == "none" else case["autoescape"]
    if "whitespace" in case:
        kwargs["whitespace"] = case["whitespace"]
    loader = template.Loader(ROOT, **kwargs)
    try:
        return loader.load(case["name"]).generate(**args), None
    except template.ParseError as e:
        return None, (e.filename, e.lineno)
    except SyntaxError as e:
        # An invalid expression: Python's compile() names the generated line, whose comment
        # names the template line.
        match = re.search(r"# ([^:\s]+):(\d+)", e.text or "")
        return None, (match.group(1), int(match.group(2))) if match else ("?", 0)
    except Exception as e:
        # A runtime error: the innermost template line is in the generated code's comment.
        frames = traceback.extract_tb(e.__traceback__)
        for frame in reversed(frames):
            match = re.search(r"# ([^:]+):(\d+)", frame.line or "")
            if frame.filename.endswith(".generated.py"):
                source = loader.load(case["name"]).code.splitlines()[frame.lineno - 1]
                match = re.search(r"# ([^:\s]+):(\d+)", source)
                if match:
                    return None, (match.group(1), int(match.group(2)))
        return None, ("?", 0)


def main(cli):
    with open(os.path.join(HERE, "cases.json")) as f:
        cases = json.load(f)
    failures = 0
    for case in cases:
        args_path = os.path.join(HERE, case["args"])
        with open(args_path) as f:
            args = json.load(f, object_hook=ObjectDict)
        expected, error = tornado_render(case, args)
        command = [cli, "render", "--path", ROOT, case["name"], "--args", args_path]
        if "autoescape" in case:
            command += ["--autoescape", case["autoescape"]]
        if "whitespace" in case:
            command += ["--whitespace", case["whitespace"]]
        result = subprocess.run(command, capture_output=True)
        label = " ".join(command[4:5] + command[7:])
        if error is None:
            if result.returncode != 0 or result.stdout != expected:
                failures += 1
                print("FAIL %s\n  tornado: %r\n  typhoon: %r\n  stderr: %s" % (label, expected, result.stdout, result.stderr.decode()))
            else:
                print("ok   %s (%d bytes)" % (label, len(expected)))
        else:
            where = "%s:%d:" % (os.path.join(ROOT, error[0]), error[1])
            stderr = result.stderr.decode()
            if result.returncode == 0 or not stderr.startswith(where):
                failures += 1
                print("FAIL %s: Tornado fails at %s, typhoon exit %d: %s" % (label, where, result.returncode, stderr))
            else:
                print("ok   %s fails as Tornado does: %s" % (label, stderr.strip()))
    # check: every broken template is reported with its file and line, and the exit is non-zero.
    result = subprocess.run([cli, "check", ROOT], capture_output=True)
    reported = result.stderr.decode()
    for broken, line in [("errors/unclosed.html", 2), ("errors/bad_expression.html", 3), ("errors/unknown.html", 1)]:
        if "%s:%d:" % (os.path.join(ROOT, broken), line) not in reported:
            failures += 1
            print("FAIL check does not report %s:%d\n%s" % (broken, line, reported))
    if result.returncode == 0:
        failures += 1
        print("FAIL check exits 0 on a broken directory")
    # check: one line per diagnostic, even where a message quotes a line break from the source.
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "quoted.html"), "wb") as f:
            f.write(b'{% module T"(a\rb") %}')
        result = subprocess.run([cli, "check", folder], capture_output=True)
        lines = result.stderr.decode().splitlines()
        if len(lines) != 1 or not lines[0].startswith(os.path.join(folder, "quoted.html") + ":1: "):
            failures += 1
            print("FAIL check's diagnostic of a message quoting a line break: %r" % result.stderr)
    print("%d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
