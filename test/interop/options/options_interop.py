#!/usr/bin/python3
"""Feeds the same option definitions, argument lists and config files to tornado.options and to
Typhoon's options_driver, and compares the parsed values, the remaining arguments, which inputs
fail, the messages of the errors Tornado itself words, and the --help text.

Usage: options_interop.py PATH/TO/options_driver. Exits 1 and prints the first differences if any.
Inputs are hand-picked cases plus seeded random argument lists and config files built from the
pieces that make the parser branch.
"""
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile

from tornado import options as tornado_options

TYPES = {"str": str, "int": int, "float": float, "bool": bool,
         "timedelta": datetime.timedelta, "datetime": datetime.datetime}

DEFS = [
    {"name": "port", "type": "int", "default": 8000, "help": "run on the given port"},
    {"name": "host", "type": "str", "default": "localhost"},
    {"name": "ratio", "type": "float", "default": 0.5},
    {"name": "debug", "type": "bool", "default": False},
    {"name": "verbose", "type": "bool"},
    {"name": "log_file_prefix", "type": "str", "metavar": "PATH"},
    {"name": "timeout", "type": "timedelta"},
    {"name": "start", "type": "datetime"},
    {"name": "ports", "type": "int", "multiple": True},
    {"name": "names", "type": "str", "multiple": True, "default": ["a", "b"]},
    {"name": "ratios", "type": "float", "multiple": True},
    {"name": "flags", "type": "bool", "multiple": True},
    {"name": "delays", "type": "timedelta", "multiple": True},
]

VALUES = [
    "", "0", "1", "-1", "+7", " 42 ", "1_000", "1__0", "_1", "08", "0x10", "1e3", "1.5", ".5", "5.", "-0.0",
    "inf", "-Infinity", "nan", "1_0.5", "abc", "true", "false", "False", "F", "no", "1:3", "3:1", "1:", ":3",
    "1,5:7", "1:2:3", "a,b", ",", "x=y", "45s", "1h30m", "1h 30m", "2d", "1.5", " 3 min ", "1H", "1e3ms",
    "-1.5s", "1 2", "0.0000015", "0.0000025", "1.5us", "5 weeks 3 days", "2.5ms", "1w", "100000000d",
    "2023-01-15", "20230115", "2023111", "12:30", "Mon Jan  5 10:00:00 2023", "2023-02-30", "2024-02-29",
    "2023-01-15T10:30", "2023-01-15t10:30", "mon JAN 05 1:2:3 2023", "2023-01-15 10:30:59", "0000-01-01",
    "23:59:60", "1:2", "20231231 23:59", "é", "a b", "--", "-", "café,crème",
]
NAMES = [d["name"] for d in DEFS] + ["log-file-prefix", "Port", "unknown", "help_me", ""]


def tornado_parser(defs):
    parser = tornado_options.OptionParser()
    for d in defs:
        default = d.get("default")
        if d["type"] == "timedelta" and default is not None:
            default = [datetime.timedelta(microseconds=x) for x in default] if d.get("multiple") \
                else datetime.timedelta(microseconds=default)
        parser.define(d["name"], default=default, type=TYPES[d["type"]], help=d.get("help"),
                      metavar=d.get("metavar"), multiple=d.get("multiple", False), group=d.get("group"))
    return parser


def encode(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, datetime.timedelta):
        return {"us": (value.days * 86400 + value.seconds) * 1000000 + value.microseconds}
    if isinstance(value, datetime.datetime):
        return {"dt": value.strftime("%Y-%m-%d %H:%M:%S") if value.year >= 1000 else str(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    raise TypeError(value)


def with_two_word_values(argv, defs):
    """Typhoon's one extension, applied for Tornado: "--name value" for an option that takes a value
    means "--name=value". Only the option part of argv (before the first positional or "--")."""
    takes_value = {d["name"].replace("_", "-") for d in defs if d["type"] != "bool"}
    out, i = list(argv[:1]), 1
    while i < len(argv):
        token = argv[i]
        if not token.startswith("-") or token == "--":
            out.extend(argv[i:])
            break
        name = token.lstrip("-").replace("_", "-")
        if "=" not in token and name in takes_value and i + 1 < len(argv):
            out.append(token + "=" + argv[i + 1])
            i += 2
            continue
        out.append(token)
        i += 1
    return out


def run_tornado(request):
    """What Tornado answers: the same shape as the driver's reply, plus the error's class."""
    parser = tornado_parser(request["defs"])
    if "help" in request:
        out = io.StringIO()
        sys.argv[0] = "prog"
        parser.print_help(out)
        return {"ok": True, "help": out.getvalue()}
    saved, sys.stderr = sys.stderr, io.StringIO()  # Tornado prints help before "Unrecognized"
    try:
        if "argv" in request:
            remaining = parser.parse_command_line(with_two_word_values(request["argv"], request["defs"]))
        else:
            parser.parse_config_file(request["config"])
            remaining = []
        values = {d["name"]: encode(getattr(parser, d["name"])) for d in request["defs"]}
        return {"ok": True, "values": values, "remaining": remaining}
    except SystemExit:
        return {"ok": True, "exit": True}
    except Exception as e:  # Tornado lets ValueError, TypeError, SyntaxError... through
        return {"ok": False, "error": str(e), "class": type(e).__name__}
    finally:
        sys.stderr = saved


# Messages Tornado words itself (options.Error); Typhoon must say the same (after "path:line: ").
OWN_MESSAGES = ("Unrecognized command line option", "requires a value", "is required to be")

CONFIG_LINES = [
    "port = 80", "port = '81'", "port = \"8_2\"", "port = 1.5", "port = True", "port = None", "port = 'x'",
    "port = 2 * 3 + 1", "port = -(4)", "port = 7 // 2", "port = 2 ** 10", "port = 0x1F", "port = 0o17",
    "port = 0b101", "port = 010", "port = 1_000", "host = 'a' 'b'", "host = \"it's\"", "host = '\\x41\\n\\t'",
    "host = r'\\d+'", "host = '''multi\nline'''", "host = 'caf\\u00e9'", "host = '\\101'", "host = 5",
    "host = 'a' + 'b'", "host = __file__ + 'x'", "ratio = 1", "ratio = 1.0", "ratio = '2.5'",
    "ratio = .5e1", "ratio = 1e400", "debug = True", "debug = 'false'", "debug = 1", "verbose = 'yes'",
    "ports = [1, 2, 3]", "ports = '1:3,7'", "ports = (1, 2)", "ports = 5", "ports = [1, 'a']", "ports = []",
    "ports = [True, 2]", "names = ['x', 'y']", "names = 'x,y'", "names = ['x',]", "ratios = [1.0, 2.5]",
    "ratios = [1, 2]", "ratios = '1,2.5'", "timeout = '45s'", "timeout = 45", "timeout = '1h 30m'",
    "start = '2023-01-15'", "start = 5", "delays = '1s,2m'", "unknown = 1", "x = 5", "port = x",
    "log_file_prefix = '/tmp/a.log'", "log-file-prefix = 1", "# a comment", "", "   ", "port = 80  # trailing",
    "port = (80)", "port = (\n  80)", "port = 8\\\n0", "a = b = 3", "port = 1; host = 'h'", "  port = 1",
    "port = ", "port = 'unterminated", "port = [1, 2", "port = y",
    "host = None", "flags = 'true:false'", "flags = [True, False]",
    "ratio = 1_0.5",
]

# Python that Typhoon does not evaluate: it must refuse it, naming the file and the line, where
# Tornado would run it.
UNSUPPORTED_LINES = [
    "host = __file__[:0] if False else 'x'", "port = [80][0]", "import os", "port += 1",
    "names = ['a', None]", "ports = [None]", "host = \"\\N{DASH}\"", "port = 9999999999999999999999",
    "port = 5j", "host = {'a': 1}", "host = f'{port}'", "host = b'x'", "def f(): pass", "port = len('ab')",
    "port == 1",
]


def random_argv(rng):
    argv = ["prog"]
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(NAMES)
        if rng.random() < 0.5:
            name = name.replace("_", "-")
        dashes = rng.choice(["--", "--", "-", "---"])
        kind = rng.random()
        if kind < 0.6:
            argv.append(dashes + name + "=" + rng.choice(VALUES))
        elif kind < 0.8:
            argv.append(dashes + name)
        elif kind < 0.9:
            argv.append(rng.choice(VALUES))
        else:
            argv.append("--")
    return argv


def hand_picked_argv():
    cases = [
        ["prog"], ["prog", "--port=8080"], ["prog", "--port", "8080"], ["prog", "--debug", "false"],
        ["prog", "--debug=false"], ["prog", "--debug"], ["prog", "-port=1"], ["prog", "---port=1"],
        ["prog", "--log-file-prefix=/x"], ["prog", "--log_file_prefix=/x"], ["prog", "--Port=1"],
        ["prog", "--unknown=1"], ["prog", "-"], ["prog", "--"], ["prog", "--", "--port=1"],
        ["prog", "file", "--port=1"], ["prog", "--port=1", "a", "b"], ["prog", "--ports=1:3,7"],
        ["prog", "--ports=3:1"], ["prog", "--names="], ["prog", "--names=a,,b"], ["prog", "--flags"],
        ["prog", "--flags=true:false"], ["prog", "--flags=false:true,1"], ["prog", "--ratios=1,inf"],
        ["prog", "--delays=1s,2m"], ["prog", "--timeout=1h30m"], ["prog", "--timeout="], ["prog", "--start="],
        ["prog", "--port=1", "--port=2"], ["prog", "--host=a=b"], ["prog", "--port"], ["prog", "--help_me=1"],
    ]
    for value in VALUES:
        for name in ("port", "ratio", "debug", "timeout", "start", "ports", "ratios", "delays", "host"):
            cases.append(["prog", "--%s=%s" % (name, value)])
    return cases


def help_requests():
    long_help = ("A long description that wraps over several lines of the help output, with "
                 "hyphenated-words, e-mail, well-known x-y-z and an--em-dash and verylongwordwithoutanyspaces"
                 "thatmustbebrokenacrosslines-with-hyphens-inside, tabs\there and\nnewlines.")
    defs = [
        {"name": "port", "type": "int", "default": 8000, "help": "run on the given port", "group": "/app/main.py"},
        {"name": "z_last", "type": "str", "default": "", "help": "empty default is not shown", "group": "/app/main.py"},
        {"name": "a_first", "type": "str", "default": "x", "group": "/app/main.py"},
        {"name": "very_long_option_name_that_passes", "type": "str", "metavar": "VALUE", "help": "short",
         "group": "/app/../lib/db.py"},
        {"name": "wrapped", "type": "float", "default": 1e16, "help": long_help, "group": "b"},
        {"name": "ratio", "type": "float", "default": 0.1, "help": "", "group": "b"},
        {"name": "ports", "type": "int", "multiple": True, "help": "lists show their default", "group": "b"},
        {"name": "names", "type": "str", "multiple": True, "default": ["it's", "a\nb"], "group": "b"},
        {"name": "debug", "type": "bool", "default": False, "group": "a"},
        {"name": "timeout", "type": "timedelta", "default": 90061000001, "group": "a"},
        {"name": "negative", "type": "timedelta", "default": -1500000, "group": "a"},
        {"name": "when", "type": "datetime", "default": "2023-01-15 10:30:00", "group": "a"},
        {"name": "exact", "type": "str", "help": "x" * 44, "group": "c"},
        {"name": "exact2", "type": "str", "help": "word " * 9 + "end", "group": "c"},
        {"name": "nothing", "type": "str", "group": "c"},
    ]
    return [{"defs": defs, "help": True}]


def main():
    driver = sys.argv[1]
    rng = random.Random(20261123)
    requests = [{"defs": DEFS, "argv": argv} for argv in hand_picked_argv()]
    requests += [{"defs": DEFS, "argv": random_argv(rng)} for _ in range(3000)]
    requests += help_requests()

    with tempfile.TemporaryDirectory() as tmp:
        configs = [[line] for line in CONFIG_LINES]
        configs += [rng.sample(CONFIG_LINES, rng.randint(2, 6)) for _ in range(800)]
        for i, lines in enumerate(configs):
            path = os.path.join(tmp, "c%d.conf" % i)
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            requests.append({"defs": DEFS, "config": path})

        refused = []
        for i, line in enumerate(UNSUPPORTED_LINES):
            path = os.path.join(tmp, "u%d.conf" % i)
            with open(path, "w", encoding="utf-8") as f:
                f.write("# Python beyond assignments of literals\nport = 1\n" + line + "\n")
            requests.append({"defs": DEFS, "config": path})
            refused.append(len(requests) - 1)
        expected = [run_tornado(r) for r in requests]
        for i in refused:  # what Typhoon must answer instead of Tornado's
            expected[i] = {"ok": False, "error": requests[i]["config"] + ":3: ", "class": "refused"}
        wire = "".join(json.dumps(r) + "\n" for r in requests)
        result = subprocess.run([driver], input=wire, capture_output=True, text=True, check=True)
        actual = [json.loads(line) for line in result.stdout.splitlines()]
        failures = compare(requests, expected, actual)
    for failure in failures[:25]:
        print(failure)
    print("%d requests, %d differences" % (len(requests), len(failures)))
    return 1 if failures else 0


def compare(requests, expected, actual):
    failures = []
    for request, want, got in zip(requests, expected, actual):
        if want.get("exit"):
            continue
        problem = None
        if want["ok"] != got["ok"]:
            problem = "Tornado %s, Typhoon %s" % (want.get("error", "ok"), got.get("error", "ok"))
        elif want["ok"] and want != got:
            problem = "Tornado %s\n  Typhoon %s" % (want, got)
        elif not want["ok"] and want["class"] == "refused":
            if not got["error"].startswith(want["error"]):
                problem = "not refused at line 3: %r" % got["error"]
        elif not want["ok"] and want["class"] == "Error" and any(m in want["error"] for m in OWN_MESSAGES):
            if not got["error"].endswith(want["error"]):
                problem = "message: Tornado %r, Typhoon %r" % (want["error"], got["error"])
        if problem:
            shown = request.get("argv") or request.get("config") or "help"
            if "config" in request:
                with open(request["config"], encoding="utf-8") as f:
                    shown = f.read()
            failures.append("%r\n  %s" % (shown, problem))
    if len(actual) != len(requests):
        failures.append("driver answered %d of %d requests" % (len(actual), len(requests)))
    return failures


if __name__ == "__main__":
    sys.exit(main())
