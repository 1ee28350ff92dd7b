#!/usr/bin/python3
"""The same workload as locale_bench.cpp, through Debian's python3-tornado."""
import datetime
import logging
import sys
import time

import tornado.locale as L


def time_it(name, call):
    iterations, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.4:
        for _ in range(64):
            call()
        iterations += 64
    print(name, (time.perf_counter() - start) * 1e9 / iterations)


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "libs/locale/test/data"
    logging.getLogger("tornado.general").setLevel(logging.CRITICAL)  # bad rows on purpose
    now = datetime.datetime.utcnow()
    L.load_translations(data + "/csv")
    csv = L.Locale.get("fr")
    L.Locale._cache.clear()  # Tornado would otherwise hand back the CSV "fr" below
    L.load_gettext_translations(data + "/gettext", "typhoon")
    ru, fr, en = L.Locale.get("ru"), L.Locale.get("fr"), L.Locale.get("en_US")
    parts = ["Ana", "Luis", "Marta"]

    time_it("translate_csv", lambda: csv.translate("Sign out"))
    time_it("translate_mo", lambda: fr.translate("Sign out"))
    time_it("ngettext_mo", lambda: ru.translate("%(n)d file", "%(n)d files", 21))
    time_it("pgettext_mo", lambda: fr.pgettext("law", "right"))
    time_it("date_relative", lambda: en.format_date(now - datetime.timedelta(minutes=5)))
    time_it("date_full", lambda: fr.format_date(now - datetime.timedelta(days=400)))
    time_it("format_day", lambda: ru.format_day(now))
    time_it("list", lambda: fr.list(parts))
    time_it("get_closest", lambda: L.get("fr-CA", "en").code)


if __name__ == "__main__":
    main()
