#!/usr/bin/python3
"""Signed values and XSRF tokens between Debian's python3-tornado and Typhoon, both ways.

Usage: signed_cookies_interop.py PATH/TO/signed_cookies_driver. Exits 1 and prints the first
differences if any.

1. Functions, with the same secrets and a fixed clock (seeded random cases): Typhoon signs the
   same bytes as tornado.web.create_signed_value (versions 1 and 2, key versions); each side
   decodes what the other signed; tampered, expired, future and misnamed values decode the same
   (None) on both sides; get_signature_key_version agrees.
2. HTTP: a Tornado application and the driver's Typhoon application run side by side. XSRF
   cookies and tokens (versions 2 and 1) issued by one are accepted by the other, in the form
   body and in the X-XSRFToken header, and a token of another cookie is refused by both. A
   signed cookie set by one is read by the other through a real Set-Cookie / Cookie exchange.
"""
import asyncio
import binascii
import http.client
import json
import logging
import random
import subprocess
import sys
import threading
import urllib.parse

from tornado import httpserver, ioloop, netutil, web

logging.getLogger("tornado").setLevel(logging.CRITICAL)

failures = []
checks = [0]


def check(label, got, expected):
    checks[0] += 1
    if got != expected:
        failures.append("%s: got %r, expected %r" % (label, got, expected))


# --- 1. functions -------------------------------------------------------------------------------

class Driver:
    def __init__(self, path):
        self.proc = subprocess.Popen([path, "lines"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def ask(self, request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def tornado_decode(secret, name, value, clock, max_age_days, min_version):
    try:
        return web.decode_signed_value(secret, name, value, max_age_days=max_age_days,
                                       clock=lambda: clock, min_version=min_version)
    except Exception:  # Tornado raises for a few malformed values; Typhoon answers None
        return None


def tampered(rng, value):
    kinds = [
        lambda v: v[:-1] + ("0" if v[-1] != "0" else "1"),          # signature
        lambda v: v.replace("|", "|0", 1),                          # a field
        lambda v: v[: rng.randrange(len(v))],                       # truncated
        lambda v: v + "|",
        lambda v: "".join(c if rng.random() > 0.05 else rng.choice("0a|:=") for c in v),
    ]
    return rng.choice(kinds)(value)


def check_functions(driver_path, cases=600):
    rng = random.Random(20231123)
    driver = Driver(driver_path)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
    for i in range(cases):
        clock = rng.choice([1700000000.0, 1700000000.9, rng.uniform(1e9, 2e9)])
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        value = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 40)))
        version = rng.choice([1, 2, None])
        if version != 1 and rng.random() < 0.4:
            secret = {k: "secret-%d-%d" % (k, rng.getrandbits(16)) for k in rng.sample(range(10), 3)}
            key_version = rng.choice(list(secret))
        else:
            secret = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
            key_version = rng.choice([None, None, 0, 5]) if version != 1 else None
        wire_secret = ({str(k): v for k, v in secret.items()} if isinstance(secret, dict)
                       else secret)
        label = "case %d (version %s, key %s)" % (i, version, key_version)

        by_tornado = web.create_signed_value(secret, name, value, version=version,
                                             clock=lambda: clock, key_version=key_version).decode()
        by_typhoon = driver.ask({"fn": "create", "secret": wire_secret, "name": name,
                                 "value_hex": value.hex(), "version": version,
                                 "key_version": key_version, "clock": clock}).get("result")
        check(label + " create", by_typhoon, by_tornado)

        # Each side decodes the other's value, at times around its expiry.
        for offset_days, max_age in [(0, 31), (30.9, 31), (31.1, 31), (2, 1.5), (-40, 31)]:
            now = clock + offset_days * 86400
            expected = tornado_decode(secret, name, by_typhoon or "", now, max_age, None)
            got = driver.ask({"fn": "decode", "secret": wire_secret, "name": name,
                              "value": by_tornado, "clock": now, "max_age_days": max_age,
                              "min_version": None})["result_hex"]
            check(label + " decode at %+g days" % offset_days,
                  got, None if expected is None else expected.hex())
            if offset_days == 0:
                check(label + " Tornado decodes Typhoon's", expected, value)
        # Wrong name, min_version 2, tampering: both sides refuse (or accept) alike.
        variants = [(name + "x", by_tornado, None), (name, by_tornado, 2)]
        variants += [(name, tampered(rng, by_tornado), None) for _ in range(3)]
        for other_name, other_value, min_version in variants:
            expected = tornado_decode(secret, other_name, other_value, clock, 31, min_version)
            got = driver.ask({"fn": "decode", "secret": wire_secret, "name": other_name,
                              "value": other_value, "clock": clock, "max_age_days": 31,
                              "min_version": min_version})["result_hex"]
            check(label + " variant %r/%r" % (other_name, other_value),
                  got, None if expected is None else expected.hex())
            check(label + " key version of %r" % other_value,
                  driver.ask({"fn": "key_version", "value": other_value})["result"],
                  web.get_signature_key_version(other_value))
    driver.close()


# --- 2. HTTP ------------------------------------------------------------------------------------

SECRET = "interop secret"


class XsrfHandler(web.RequestHandler):
    def get(self):
        self.write(self.xsrf_token)

    def post(self):
        self.write("ok")


class SignedHandler(web.RequestHandler):
    def get(self):
        self.set_secure_cookie(self.get_argument("name"), self.get_argument("value"))


class ReadHandler(web.RequestHandler):
    def get(self):
        value = self.get_secure_cookie(self.get_argument("name"))
        self.write(value if value is not None else b"<none>")


def start_tornado(xsrf_version):
    """Runs a Tornado application on its own thread; returns its port."""
    ready = threading.Event()
    port = []

    def run():
        asyncio.set_event_loop(asyncio.new_event_loop())
        app = web.Application([("/xsrf", XsrfHandler), ("/signed", SignedHandler),
                               ("/read", ReadHandler)],
                              cookie_secret=SECRET, xsrf_cookies=True,
                              xsrf_cookie_version=xsrf_version)
        sockets = netutil.bind_sockets(0, "127.0.0.1")
        port.append(sockets[0].getsockname()[1])
        server = httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        ready.set()
        ioloop.IOLoop.current().start()

    threading.Thread(target=run, daemon=True).start()
    ready.wait()
    return port[0]


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    cookies = response.headers.get_all("Set-Cookie") or []
    connection.close()
    return response.status, data.decode("latin-1"), cookies


def cookie_pair(set_cookie):
    return set_cookie.split(";", 1)[0]


def issue(port):
    status, token, cookies = request(port, "GET", "/xsrf")
    xsrf = [c for c in cookies if c.startswith("_xsrf=")]
    return token, cookie_pair(xsrf[0]) if xsrf else ""


def check_http(driver_path):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for xsrf_version in (2, 1):
        tornado_port = start_tornado(xsrf_version)
        server = subprocess.Popen([driver_path, "serve", str(xsrf_version), SECRET],
                                  stdout=subprocess.PIPE, text=True)
        try:
            typhoon_port = int(server.stdout.readline())
            sides = {"Tornado": tornado_port, "Typhoon": typhoon_port}
            for issuer, checker in (("Tornado", "Typhoon"), ("Typhoon", "Tornado")):
                label = "xsrf v%d issued by %s, checked by %s" % (xsrf_version, issuer, checker)
                token, cookie = issue(sides[issuer])
                check(label + ": a cookie was set", bool(cookie), True)
                # A fresh (re-masked) token for the same cookie, as a second page view gives.
                token2 = request(sides[issuer], "GET", "/xsrf", headers={"Cookie": cookie})[1]
                for sent in {token, token2}:
                    body = "_xsrf=" + urllib.parse.quote(sent)
                    check(label + " (form)", request(sides[checker], "POST", "/xsrf", body,
                                                     dict(form, Cookie=cookie))[:2], (200, "ok"))
                    check(label + " (header)",
                          request(sides[checker], "POST", "/xsrf", "",
                                  {"Cookie": cookie, "X-XSRFToken": sent})[:2], (200, "ok"))
                other_token, _ = issue(sides[issuer])
                check(label + " (token of another cookie)",
                      request(sides[checker], "POST", "/xsrf", "_xsrf=" + other_token,
                              dict(form, Cookie=cookie))[0], 403)
            for setter, reader in (("Tornado", "Typhoon"), ("Typhoon", "Tornado")):
                label = "signed cookie set by %s, read by %s" % (setter, reader)
                value = "v%d é & \"quoted\"" % xsrf_version
                _, _, cookies = request(sides[setter], "GET", "/signed?name=user&value=" +
                                        urllib.parse.quote(value))
                check(label + ": set", len(cookies), 1)
                cookie = cookie_pair(cookies[0]) if cookies else ""
                status, body, _ = request(sides[reader], "GET", "/read?name=user",
                                          headers={"Cookie": cookie})
                check(label, (status, body.encode("latin-1").decode("utf-8")), (200, value))
                status, body, _ = request(sides[reader], "GET", "/read?name=admin",
                                          headers={"Cookie": cookie.replace("user=", "admin=")})
                check(label + " under another name", body, "<none>")
        finally:
            server.terminate()
            server.wait()


def main():
    driver_path = sys.argv[1]
    check_functions(driver_path)
    check_http(driver_path)
    if failures:
        print("%d differences; first ones:" % len(failures))
        for failure in failures[:20]:
            print("  " + failure)
        return 1
    print("signed values and XSRF tokens agree with Tornado (%d checks)" % checks[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
