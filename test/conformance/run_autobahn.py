#!/usr/bin/python3
"""Runs Autobahn|Testsuite's fuzzing client against a WebSocket echo server.

Usage: run_autobahn.py --server PROGRAM --suite DIR --work DIR --cases "1.*,2.*"

Autobahn is Python 2.7 only: the suite is installed from PyPI into --suite with a Python 2.7
found on PATH or in pyenv, the first time. The server is started on a free port as `PROGRAM PORT`.
Every case must end OK or INFORMATIONAL, in its behaviour and in its close; the report is kept
in the --work folder, under reports/<cases>/index.html. Exit status 77 (skipped) only when no Python 2.7 exists or the
suite cannot be installed; a skipped run is not a passed one.
"""
import argparse
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import time

SKIP = 77
ACCEPTED = {"OK", "INFORMATIONAL"}


def find_python27():
    candidates = [shutil.which("python2.7")]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/2.7*/bin/python2.7")))
    for candidate in candidates:
        if candidate and subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    return None


# Runs Python 2.7 with the suite's folder as a site directory (its zope namespace package needs
# the .pth files read, which PYTHONPATH alone does not do), then the rest of the command line.
LAUNCH = "import site, sys; site.addsitedir(sys.argv.pop(1)); "


def install_suite(python, prefix):
    """The suite's site-packages folder, installing it there first if it is missing."""
    site = os.path.join(prefix, "lib", "python2.7", "site-packages")
    env = dict(os.environ, PYTHONPATH=site)  # pip's own setuptools, once installed
    probe = [python, "-c", LAUNCH + "import autobahntestsuite.wstest", site]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return site
    for packages in (["setuptools==44.0.0", "wheel<0.38"], ["autobahntestsuite==25.10.1"]):
        result = subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                 "--no-warn-script-location", "--prefix", prefix] + packages,
                                env=env, capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
            return None
    return site if subprocess.run(probe, capture_output=True).returncode == 0 else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, server):
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit("run_autobahn: the server exited with status %d" % server.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("run_autobahn: the server did not listen on port %d" % port)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--suite", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--cases", required=True)
    args = parser.parse_args()
    args.work = os.path.abspath(args.work)

    python = find_python27()
    if not python:
        print("run_autobahn: SKIPPED: no Python 2.7 (Autobahn|Testsuite needs it)", file=sys.stderr)
        return SKIP
    os.makedirs(args.work, exist_ok=True)
    site = install_suite(python, os.path.abspath(args.suite))
    if not site:
        print("run_autobahn: SKIPPED: autobahntestsuite could not be installed from PyPI",
              file=sys.stderr)
        return SKIP

    cases = args.cases.split(",")
    reports = os.path.join(args.work, "reports", args.cases.replace("*", "x").replace(",", "_"))
    shutil.rmtree(reports, ignore_errors=True)
    port = free_port()
    spec = {
        "outdir": reports,
        "servers": [{"agent": "Typhoon", "url": "ws://127.0.0.1:%d/" % port}],
        "cases": cases,
        "exclude-cases": [],
        "exclude-agent-cases": {},
    }
    spec_path = os.path.join(args.work, "fuzzingclient-%d.json" % port)
    with open(spec_path, "w") as f:
        json.dump(spec, f)

    server = subprocess.Popen([args.server, str(port)])
    try:
        wait_for(port, server)
        started = time.monotonic()
        wstest = LAUNCH + "sys.argv[0] = 'wstest'; from autobahntestsuite.wstest import run; run()"
        result = subprocess.run([python, "-c", wstest, site, "-m", "fuzzingclient", "-s", spec_path],
                                cwd=args.work, capture_output=True, text=True)
        elapsed = time.monotonic() - started
        if result.returncode != 0:
            print(result.stdout[-4000:], result.stderr[-4000:], file=sys.stderr)
            print("run_autobahn: wstest failed with status %d" % result.returncode, file=sys.stderr)
            return 1
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)

    with open(os.path.join(reports, "index.json")) as f:
        results = json.load(f)["Typhoon"]
    tally, failed = {}, []
    for case, outcome in sorted(results.items(), key=lambda kv: [int(p) for p in kv[0].split(".")]):
        behaviour, close = outcome["behavior"], outcome["behaviorClose"]
        tally[behaviour] = tally.get(behaviour, 0) + 1
        if behaviour not in ACCEPTED or close not in ACCEPTED:
            failed.append("%s: %s (close: %s)" % (case, behaviour, close))
    print("run_autobahn: %d cases in %.0f s: %s; report: %s" % (
        len(results), elapsed, ", ".join("%s %d" % kv for kv in sorted(tally.items())),
        os.path.join(reports, "index.html")))
    if not results:
        print("run_autobahn: no case ran", file=sys.stderr)
        return 1
    if not alive:
        print("run_autobahn: the server died during the run", file=sys.stderr)
        return 1
    for line in failed:
        print("run_autobahn: FAILED " + line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
