#!/usr/bin/python3
"""Loads the same CSV and .mo files in tornado.locale and in Typhoon's locale_driver, asks both the
same questions, and compares the answers.

Usage: locale_interop.py PATH/TO/locale_driver DATA_DIR (libs/locale/test/data).
Questions: supported locales, get_closest, code/name/rtl, translate and pgettext over every
message of the files with counts 0..111, format_date over a range of dates, "now"s, offsets and
options, format_day, list and friendly_number. Tornado's datetime.utcnow() is replaced by a
fixed "now" per question. Exits 1 and prints the first differences if any.
"""
import datetime
import json
import os
import random
import subprocess
import sys
import types

import tornado.locale as L

EPOCH = datetime.datetime(1970, 1, 1)
_now = [EPOCH]


class _FixedNow(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return _now[0]


L.datetime = types.SimpleNamespace(datetime=_FixedNow, timedelta=datetime.timedelta)

MESSAGES = [
    "Sign out", "Settings", "Hello", '"Hello"', "Help", '"Help"', "Say \"hi\"", "Two\nlines", "Bad row",
    "After bad row", "Only one column", "January", "March", "Monday", "Thursday", "club", "right",
    "yesterday", "%(commas)s and %(last)s", "%(n)d file", "%(n)d comment", "1 minute ago", "Nothing here",
    "", "%(time)s",
]
PLURALS = [("%(n)d file", "%(n)d files"), ("%(n)d comment", "%(n)d comments"), ("club", "clubs"),
           ("1 second ago", "%(seconds)d seconds ago"), ("1 minute ago", "%(minutes)d minutes ago"),
           ("1 hour ago", "%(hours)d hours ago"), ("Unknown", "Unknowns")]
COUNTS = [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 100, 101, 102, 104, 111, 1000001, -1, -2]
CONTEXTS = ["law", "direction", "organization", "stick", "nope", ""]
CODE_PIECES = ["fr", "FR", "fr_CA", "fr-ca", "pt", "pt_BR", "pt-br", "PT_br", "pt_PT", "ru", "ru_RU",
               "de", "de_AT", "ar", "ar_EG", "zh", "zh_CN", "zh-cn", "zh_TW", "es", "es_LA", "es_la",
               "fa", "fa_IR", "en", "en_US", "en-gb", "it", "", "x_y_z", "nl", "xx"]
PARTS = ["A", "B", "C", "Ünïcode", "日本", "", "a, b", "%(last)s"]


def scenarios(data):
    return [
        ("csv", [{"op": "load_csv", "dir": os.path.join(data, "csv")}]),
        ("csv_utf16", [{"op": "load_csv", "dir": os.path.join(data, "csv_utf16")}]),
        ("csv_formats", [{"op": "load_csv", "dir": os.path.join(data, "csv_formats")}]),
        ("csv+utf-8", [{"op": "load_csv", "dir": os.path.join(data, "csv"), "encoding": "utf-8"}]),
        ("gettext", [{"op": "load_gettext", "dir": os.path.join(data, "gettext"), "domain": "typhoon"}]),
        ("gettext+default", [{"op": "load_gettext", "dir": os.path.join(data, "gettext"), "domain": "typhoon"},
                             {"op": "set_default", "code": "fr"}]),
        ("gettext_bad", [{"op": "load_gettext", "dir": os.path.join(data, "gettext_bad"), "domain": "typhoon"}]),
        ("gettext_variants",
         [{"op": "load_gettext", "dir": os.path.join(data, "gettext_variants"), "domain": "typhoon"}]),
    ]


def micros(dt):
    delta = dt - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def from_micros(us):
    return EPOCH + datetime.timedelta(microseconds=us)


def questions(rng, name, supported):
    qs = [{"op": "supported"}]
    for _ in range(150):
        qs.append({"op": "closest", "codes": [rng.choice(CODE_PIECES) for _ in range(rng.randint(0, 3))]})
    nows = [datetime.datetime(2024, 3, 15, 14, 30), datetime.datetime(2024, 1, 1, 0, 0, 30),
            datetime.datetime(2024, 2, 29, 23, 59, 59, 999999), datetime.datetime(2023, 12, 31, 12, 0),
            datetime.datetime(2021, 7, 4, 3, 7, 12, 500000)]
    for code in sorted(supported):
        qs.append({"op": "info", "locale": code})
        for message in MESSAGES:
            qs.append({"op": "translate", "locale": code, "message": message, "plural": None, "count": None})
            for context in CONTEXTS:
                # Typhoon's CSV extension answers "law\x04right" rows, which Tornado ignores.
                if not (name.startswith("csv") and context == "law"):
                    qs.append({"op": "pgettext", "locale": code, "context": context, "message": message,
                               "plural": None, "count": None})
        for one, many in PLURALS:
            for count in COUNTS:
                qs.append({"op": "translate", "locale": code, "message": one, "plural": many, "count": count})
                context = rng.choice(CONTEXTS[1:])
                qs.append({"op": "pgettext", "locale": code, "context": context, "message": one, "plural": many,
                           "count": count})
        for _ in range(400):
            now = rng.choice(nows)
            scale = rng.choice([1, 60, 3600, 86400, 86400 * 30])
            delta = rng.randint(-3 * scale if scale < 86400 else -2 * 86400, 60 * scale if scale < 86400 else 800 * 86400)
            date = now - datetime.timedelta(seconds=delta, microseconds=rng.choice([0, 0, rng.randint(0, 999999)]))
            qs.append({"op": "format_date", "locale": code, "date": micros(date), "now": micros(now),
                       "gmt_offset": rng.choice([0, 0, 60, -60, 300, -330, 345, 480, -540, -720, 840,
                                                 rng.randint(-900, 900)]),
                       "relative": rng.random() < 0.7, "shorter": rng.random() < 0.3,
                       "full_format": rng.random() < 0.15})
        for _ in range(60):
            date = datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=rng.randint(-10**8, 10**8))
            qs.append({"op": "format_day", "locale": code, "date": micros(date),
                       "gmt_offset": rng.choice([0, 600, -600, rng.randint(-900, 900)]), "dow": rng.random() < 0.5})
        for _ in range(20):
            qs.append({"op": "list", "locale": code, "parts": [rng.choice(PARTS) for _ in range(rng.randint(0, 5))]})
        for _ in range(20):
            qs.append({"op": "friendly_number", "locale": code,
                       "value": rng.choice([0, 7, -7, 999, 1000, -1000, 123456, -123456,
                                            rng.randint(-10**15, 10**15)])})
    return qs


def tornado_answer(q):
    try:
        op = q["op"]
        if op == "load_csv":
            L.load_translations(q["dir"], q.get("encoding"))
            return None
        if op == "load_gettext":
            L.load_gettext_translations(q["dir"], q["domain"])
            return None
        if op == "set_default":
            L.set_default_locale(q["code"])
            return None
        if op == "supported":
            return sorted(L.get_supported_locales())
        if op == "closest":
            return L.Locale.get_closest(*q["codes"]).code
        locale = L.Locale.get(q["locale"])
        if op == "info":
            return [locale.code, locale.name, locale.rtl]
        if op == "translate":
            return locale.translate(q["message"], q["plural"], q["count"])
        if op == "pgettext":
            return locale.pgettext(q["context"], q["message"], q["plural"], q["count"])
        if op == "format_date":
            _now[0] = from_micros(q["now"])
            return locale.format_date(from_micros(q["date"]), q["gmt_offset"], q["relative"], q["shorter"],
                                      q["full_format"])
        if op == "format_day":
            return locale.format_day(from_micros(q["date"]), q["gmt_offset"], q["dow"])
        if op == "list":
            return locale.list(q["parts"])
        if op == "friendly_number":
            return locale.friendly_number(q["value"])
    except Exception as e:  # compared as "some error"
        return {"error": "%s: %s" % (type(e).__name__, e)}
    raise ValueError(q)


def reset_tornado():
    L._translations = {}
    L._use_gettext = False
    L.Locale._cache.clear()
    L.set_default_locale("en_US")


def main():
    driver, data = sys.argv[1], sys.argv[2]
    import logging
    logging.getLogger("tornado.general").setLevel(logging.CRITICAL)
    rng = random.Random(20240315)
    requests, expected = [], []
    for name, setup in scenarios(data):
        reset_tornado()
        all_q = [{"op": "set_default", "code": "en_US"}] + setup
        for q in all_q:
            expected.append((name, tornado_answer(q)))
        qs = questions(rng, name, L.get_supported_locales())
        for q in qs:
            expected.append((name, tornado_answer(q)))
        requests += all_q + qs
    text = "".join(json.dumps(q) + "\n" for q in requests)
    out = subprocess.run([driver], input=text.encode(), stdout=subprocess.PIPE, check=True).stdout
    answers = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    assert len(answers) == len(requests), (len(answers), len(requests))
    failures = 0
    for q, (name, want), got in zip(requests, expected, answers):
        if isinstance(want, dict):  # Tornado raised: Typhoon must throw too
            ok = "error" in got
        else:
            ok = got.get("result") == want
        if not ok:
            failures += 1
            if failures <= 20:
                print("DIFF [%s] %s\n  tornado: %r\n  typhoon: %r" % (name, json.dumps(q, ensure_ascii=False), want, got))
    raised = sum(1 for _, want in expected if isinstance(want, dict))
    print("%d questions (%d where Tornado raises), %d differences" % (len(requests), raised, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
