#!/usr/bin/python3
"""Writes the translation files the locale tests, the interop test and the demo read.

Run from anywhere: libs/locale/test/data/make_data.py. Needs msgfmt (apt-get install gettext).
The outputs are committed; rerun only to change them.
  csv/          Tornado CSV files (UTF-8, UTF-8 with BOM and CRLF, quotes, a bad plural row)
  csv_utf16/    one UTF-16 file (alone, because Tornado keeps the first file's encoding for the rest)
  csv_bad/      files Tornado itself would choke on; we must report and go on
  po/           gettext sources; gettext/ holds what msgfmt makes of them (ru in big-endian)
  gettext_bad/  .mo files that cannot load, beside a good one
"""
import os
import shutil
import struct
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre"]
FR_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
FR_PHRASES = {
    "yesterday": "hier",
    "yesterday at %(time)s": "hier à %(time)s",
    "%(weekday)s at %(time)s": "%(weekday)s à %(time)s",
    "%(month_name)s %(day)s": "%(day)s %(month_name)s",
    "%(month_name)s %(day)s at %(time)s": "%(day)s %(month_name)s à %(time)s",
    "%(month_name)s %(day)s, %(year)s": "%(day)s %(month_name)s %(year)s",
    "%(month_name)s %(day)s, %(year)s at %(time)s": "%(day)s %(month_name)s %(year)s à %(time)s",
    "%(weekday)s, %(month_name)s %(day)s": "%(weekday)s %(day)s %(month_name)s",
    "%(commas)s and %(last)s": "%(commas)s et %(last)s",
    "Sign out": "Se déconnecter",
}
# (singular, plural) -> French forms (one, many)
FR_PLURALS = {
    ("1 second ago", "%(seconds)d seconds ago"): ("il y a %(seconds)d seconde", "il y a %(seconds)d secondes"),
    ("1 minute ago", "%(minutes)d minutes ago"): ("il y a %(minutes)d minute", "il y a %(minutes)d minutes"),
    ("1 hour ago", "%(hours)d hours ago"): ("il y a %(hours)d heure", "il y a %(hours)d heures"),
    ("%(n)d comment", "%(n)d comments"): ("%(n)d commentaire", "%(n)d commentaires"),
}


def csv_cell(text):
    return '"' + text.replace('"', '""') + '"'


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def make_csv():
    shutil.rmtree(os.path.join(HERE, "csv"), ignore_errors=True)
    rows = [(m, t) for m, t in zip(MONTHS, FR_MONTHS)] + [(w, t) for w, t in zip(WEEKDAYS, FR_WEEKDAYS)]
    rows += list(FR_PHRASES.items())
    lines = [csv_cell(a) + "," + csv_cell(b) for a, b in rows]
    for (one, many), (fr_one, fr_many) in FR_PLURALS.items():
        lines.append("%s,%s,singular" % (csv_cell(one), csv_cell(fr_one.replace("%(seconds)d", "une")
                                                                .replace("%(minutes)d", "une")
                                                                .replace("%(hours)d", "une"))))
        lines.append("%s,%s,\"plural\"" % (csv_cell(many), csv_cell(fr_many)))
    lines += [
        '  "Hello"  ,Bonjour',                        # unquoted padding: stripped like Tornado
        '"Say ""hi""","Dites « salut »"',
        '"Two\nlines","Deux\nlignes"',                  # a quoted newline
        '"Help",  "  Aide  " ,""',                      # empty plural column: unknown
        '',                                            # blank line
        '"Only one column"',
        '"Bad row","Mauvais","dual"',                  # unknown indicator: reported, skipped
        '"After bad row","Après la mauvaise ligne"',
        '"law\x04right","droit"',                      # a context row (Typhoon's CSV extension)
        '"Settings","Réglages"',
        '"Settings","Paramètres"',                     # a later row wins
    ]
    write(os.path.join(HERE, "csv", "fr.csv"), ("\n".join(lines) + "\n").encode("utf-8"))

    es = [("Sign out", "Cerrar sesión"), ("%(commas)s and %(last)s", "%(commas)s y %(last)s"),
          ("January", "enero"), ("Monday", "lunes"), ("yesterday at %(time)s", "ayer a las %(time)s")]
    es_lines = [csv_cell(a) + "," + csv_cell(b) for a, b in es]
    es_lines.append('"%(n)d comment","%(n)d comentario","singular"')
    es_lines.append('"%(n)d comments","%(n)d comentarios","plural"')
    write(os.path.join(HERE, "csv", "es_LA.csv"), b"\xef\xbb\xbf" + "\r\n".join(es_lines).encode("utf-8"))

    zh = [("January", "一月"), ("Monday", "星期一"), ("Sign out", "登出"),
          ("%(month_name)s %(day)s, %(year)s at %(time)s", "%(year)s年%(month_name)s%(day)s日 %(time)s"),
          ("%(commas)s and %(last)s", "%(commas)s和%(last)s")]
    write(os.path.join(HERE, "csv", "zh_CN.csv"),
          ("\n".join(csv_cell(a) + "," + csv_cell(b) for a, b in zh) + "\n").encode("utf-8"))

    fa = [("Sign out", "خروج"), ("%(commas)s and %(last)s", "%(commas)s و %(last)s"), ("Monday", "دوشنبه")]
    write(os.path.join(HERE, "csv", "fa.csv"),
          ("\n".join(csv_cell(a) + "," + csv_cell(b) for a, b in fa) + "\n").encode("utf-8"))

    de = [("Sign out", "Abmelden"), ("March", "März"), ("%(commas)s and %(last)s", "%(commas)s und %(last)s")]
    text = "\n".join(csv_cell(a) + "," + csv_cell(b) for a, b in de) + "\n"
    write(os.path.join(HERE, "csv_utf16", "de.csv"), text.encode("utf-16"))  # BOM + little-endian

    # Phrases that use more of Python's % formatting, and one that cannot be formatted.
    nl = [("%(minutes)d minutes ago", "%(minutes)03d minuten geleden", "plural"),
          ("%(seconds)d seconds ago", "%(seconds)-4d|%(seconds)+d sec. (100%%)", "plural"),
          ("%(hours)d hours ago", "%(hours)s uur geleden", "plural"),
          ("%(weekday)s at %(time)s", "%(weekday).2s %(time)8s|", ""),
          ("%(month_name)s %(day)s", "%(day)r %(month_name)r", ""),
          ("%(commas)s and %(last)s", "%(commas)s en %(lost)s", ""),
          ("yesterday", "gisteren %(day)d", "")]
    write(os.path.join(HERE, "csv_formats", "nl.csv"),
          "".join("%s,%s,%s\n" % (csv_cell(a), csv_cell(b), p) for a, b, p in nl).encode("utf-8"))

    bad = os.path.join(HERE, "csv_bad")
    shutil.rmtree(bad, ignore_errors=True)
    write(os.path.join(bad, "Fr.csv"), b'"Sign out","Se d\xc3\xa9connecter"\n')        # not a locale code
    write(os.path.join(bad, "fr.backup.csv"), b'"Sign out","Se d\xc3\xa9connecter"\n')  # two dots
    write(os.path.join(bad, "notes.txt"), b"not a translation file\n")
    write(os.path.join(bad, "it.csv"),
          b'"Sign out","Esci"\n'
          b'"Bad","Cattivo","several"\n'            # line 2: unknown plural indicator
          b'"Broken","\xff\xfe rotto"\n'            # line 3: not UTF-8
          b'"Settings","Impostazioni"\n'
          b'"Open","Apri\n')                        # line 5: quote never closed, kept to the end
    write(os.path.join(bad, "pt.csv"), b'"Sign out","Sair"\n')


def po_entry(msgid, msgstr, msgctxt=None, plural=None):
    def q(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    out = []
    if msgctxt is not None:
        out.append("msgctxt " + q(msgctxt))
    out.append("msgid " + q(msgid))
    if plural is None:
        out.append("msgstr " + q(msgstr))
    else:
        out.append("msgid_plural " + q(plural))
        for i, form in enumerate(msgstr):
            out.append("msgstr[%d] %s" % (i, q(form)))
    return "\n".join(out) + "\n"


def po_file(plural_forms, entries, charset="UTF-8"):
    header = ("Project-Id-Version: typhoon-test\\n\"\n\"Content-Type: text/plain; charset=%s\\n\"\n"
              "\"Content-Transfer-Encoding: 8bit\\n\"\n\"Plural-Forms: %s\\n" % (charset, plural_forms))
    return 'msgid ""\nmsgstr ""\n"' + header + '"\n\n' + "\n".join(entries)


def make_gettext():
    po_dir = os.path.join(HERE, "po")
    shutil.rmtree(po_dir, ignore_errors=True)
    shutil.rmtree(os.path.join(HERE, "gettext"), ignore_errors=True)
    catalogs = {}

    fr = [po_entry(m, t) for m, t in zip(MONTHS + WEEKDAYS, FR_MONTHS + FR_WEEKDAYS)]
    fr += [po_entry(m, t) for m, t in FR_PHRASES.items()]
    fr += [po_entry(one, list(forms), plural=many) for (one, many), forms in FR_PLURALS.items()]
    fr += [po_entry("right", "droit", msgctxt="law"), po_entry("right", "droite", msgctxt="direction"),
           po_entry("club", ["association", "associations"], msgctxt="organization", plural="clubs"),
           po_entry("club", ["bâton", "bâtons"], msgctxt="stick", plural="clubs"),
           po_entry("club", ["club", "clubs"], plural="clubs")]
    catalogs["fr"] = ("nplurals=2; plural=(n > 1);", fr, "UTF-8", [])

    ru_months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                 "октября", "ноября", "декабря"]
    ru_days = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]
    ru = [po_entry(m, t) for m, t in zip(MONTHS + WEEKDAYS, ru_months + ru_days)]
    ru += [po_entry("1 minute ago", ["%(minutes)d минуту назад", "%(minutes)d минуты назад",
                                     "%(minutes)d минут назад"], plural="%(minutes)d minutes ago"),
           po_entry("1 second ago", ["%(seconds)d секунду назад", "%(seconds)d секунды назад",
                                     "%(seconds)d секунд назад"], plural="%(seconds)d seconds ago"),
           po_entry("1 hour ago", ["%(hours)d час назад", "%(hours)d часа назад", "%(hours)d часов назад"],
                    plural="%(hours)d hours ago"),
           po_entry("%(n)d file", ["%(n)d файл", "%(n)d файла", "%(n)d файлов"], plural="%(n)d files"),
           po_entry("%(month_name)s %(day)s, %(year)s at %(time)s", "%(day)s %(month_name)s %(year)s г. в %(time)s"),
           po_entry("%(commas)s and %(last)s", "%(commas)s и %(last)s"),
           po_entry("Sign out", "Выйти")]
    catalogs["ru"] = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                      "(n%100<10 || n%100>=20) ? 1 : 2);", ru, "UTF-8", ["--endianness=big"])

    catalogs["pt"] = ("nplurals=2; plural=(n != 1);",
                      [po_entry("Sign out", "Sair"), po_entry("Settings", "Definições"),
                       po_entry("%(n)d file", ["%(n)d ficheiro", "%(n)d ficheiros"], plural="%(n)d files"),
                       po_entry("January", "janeiro")], "UTF-8", [])
    catalogs["pt_BR"] = ("nplurals=2; plural=(n > 1);",
                         [po_entry("Settings", "Configurações"),
                          po_entry("%(n)d comment", ["%(n)d comentário", "%(n)d comentários"],
                                   plural="%(n)d comments")], "UTF-8", [])
    catalogs["de"] = ("nplurals=2; plural=n != 1;",
                      [po_entry("March", "März"), po_entry("Sign out", "Abmelden"),
                       po_entry("%(n)d file", ["%(n)d Datei", "%(n)d Dateien"], plural="%(n)d files"),
                       po_entry("%(weekday)s, %(month_name)s %(day)s", "%(weekday)s, %(day)s. %(month_name)s"),
                       po_entry("Thursday", "Donnerstag")], "ISO-8859-1", [])
    catalogs["ar"] = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
                      ": n%100>=11 ? 4 : 5);",
                      [po_entry("%(n)d file", ["لا ملفات", "ملف واحد", "ملفان", "%(n)d ملفات", "%(n)d ملفًا",
                                               "%(n)d ملف"], plural="%(n)d files"),
                       po_entry("Sign out", "تسجيل الخروج")], "UTF-8", [])
    catalogs["zh_CN"] = ("nplurals=1; plural=0;",
                         [po_entry("%(n)d file", ["%(n)d 个文件"], plural="%(n)d files"),
                          po_entry("January", "一月"), po_entry("Monday", "星期一"),
                          po_entry("%(month_name)s %(day)s, %(year)s at %(time)s",
                                   "%(year)s年%(month_name)s%(day)s日 %(time)s")], "UTF-8", [])

    for lang, (plural_forms, entries, charset, flags) in catalogs.items():
        po_path = os.path.join(po_dir, lang + ".po")
        text = po_file(plural_forms, entries, charset)
        write(po_path, text.encode("latin-1" if charset == "ISO-8859-1" else "utf-8"))
        mo_path = os.path.join(HERE, "gettext", lang, "LC_MESSAGES", "typhoon.mo")
        os.makedirs(os.path.dirname(mo_path), exist_ok=True)
        subprocess.run(["msgfmt", *flags, "-o", mo_path, po_path], check=True)

    # Python's gettext expands each language through locale.normalize(): "fr" looks in fr_FR first,
    # "pt_br" (lower case) becomes pt_BR and finds nothing, and "C" is never searched.
    variants = os.path.join(HERE, "gettext_variants")
    shutil.rmtree(variants, ignore_errors=True)
    os.makedirs(os.path.join(HERE, "po", "variants"))
    for lang, source, entries in [
            ("fr", "fr", None),
            ("fr_FR", "fr_FR", [po_entry("Sign out", "Déconnexion"), po_entry("January", "Janvier")]),
            ("pt_br", "pt_br", [po_entry("Sign out", "Sair")]),
            ("C", "C", [po_entry("Sign out", "Exit")])]:
        mo_path = os.path.join(variants, lang, "LC_MESSAGES", "typhoon.mo")
        os.makedirs(os.path.dirname(mo_path), exist_ok=True)
        if entries is None:
            shutil.copy(os.path.join(HERE, "gettext", "fr", "LC_MESSAGES", "typhoon.mo"), mo_path)
            continue
        po_path = os.path.join(HERE, "po", "variants", source + ".po")
        write(po_path, po_file("nplurals=2; plural=(n > 1);", entries).encode("utf-8"))
        subprocess.run(["msgfmt", "-o", mo_path, po_path], check=True)

    bad = os.path.join(HERE, "gettext_bad")
    shutil.rmtree(bad, ignore_errors=True)
    good = open(os.path.join(HERE, "gettext", "fr", "LC_MESSAGES", "typhoon.mo"), "rb").read()
    write(os.path.join(bad, "fr", "LC_MESSAGES", "typhoon.mo"), good)
    write(os.path.join(bad, "xx", "LC_MESSAGES", "typhoon.mo"), b"this is not a catalogue at all")
    write(os.path.join(bad, "yy", "LC_MESSAGES", "typhoon.mo"), good[:100])  # truncated tables
    # A catalogue still saying charset=CHARSET, as xgettext's template does.
    header = ("Content-Type: text/plain; charset=CHARSET\n").encode()
    keys, values = [b""], [header]
    offset = 28 + 16 * len(keys)
    key_table, value_table, blob = b"", b"", b""
    for data in keys:
        key_table += struct.pack("<II", len(data), offset + len(blob))
        blob += data + b"\0"
    for data in values:
        value_table += struct.pack("<II", len(data), offset + len(blob))
        blob += data + b"\0"
    mo = struct.pack("<7I", 0x950412de, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0) + key_table + value_table + blob
    write(os.path.join(bad, "zz", "LC_MESSAGES", "typhoon.mo"), mo)


if __name__ == "__main__":
    make_csv()
    make_gettext()
