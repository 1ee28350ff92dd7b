"""Serves the same application with Python Tornado (web_app.py) and with Typhoon (web_server.cpp)
and compares, request by request, what a client sees: status line, body, and the headers Tornado
sets. Run by CTest: web_interop.py WEB_SERVER_PROGRAM.
"""
import asyncio
import hashlib
import http.client
import logging
import os
import socket
import subprocess
import sys
import threading

import tornado.httpserver
import tornado.ioloop

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import web_app  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ETAG_OF_HELLO = '"%s"' % hashlib.sha1(b"Hello, world").hexdigest()
with open(os.path.join(HERE, "static", "hello.txt"), "rb") as static_file:
    STATIC_ETAG = '"%s"' % hashlib.md5(static_file.read()).hexdigest()

# (method, path, headers, body)
CASES = [
    ("GET", "/", {}, ""),
    ("GET", "/greet?name=Ada", {}, ""),
    ("GET", "/greet?name=%20Ada%20", {}, ""),
    ("GET", "/greet?name=a%01b", {}, ""),
    ("GET", "/greet", {}, ""),  # MissingArgumentError
    ("GET", "/greet?name=%FF", {}, ""),  # not UTF-8
    ("POST", "/greet", {"Content-Type": "application/x-www-form-urlencoded"}, "what=a+form"),
    ("POST", "/greet", {}, ""),
    ("GET", "/json", {}, ""),
    ("GET", "/error/404", {}, ""),
    ("GET", "/error/503", {}, ""),
    ("GET", "/error/299", {}, ""),
    ("GET", "/reason", {}, ""),
    ("GET", "/redirect", {}, ""),
    ("GET", "/redirect?p=1", {}, ""),
    ("GET", "/permanent/7", {}, ""),
    ("GET", "/permanent/7?a=b", {}, ""),
    ("GET", "/boom", {}, ""),
    ("GET", "/status", {}, ""),
    ("GET", "/empty", {}, ""),
    ("GET", "/template", {}, ""),
    ("GET", "/named/x/y", {}, ""),
    ("GET", "/positional/a%20b/c%2Fd", {}, ""),
    ("GET", "/finish", {}, ""),
    ("GET", "/gone", {}, ""),
    ("POST", "/gone", {}, ""),
    ("GET", "/nowhere", {}, ""),
    ("GET", "/named/x", {}, ""),
    ("POST", "/", {}, ""),  # 405
    ("PATCH", "/json", {}, ""),
    ("HEAD", "/", {}, ""),
    ("DELETE", "/status", {}, ""),
    ("PROPFIND", "/", {}, ""),
    ("GET", "/", {"If-None-Match": ETAG_OF_HELLO}, ""),
    ("GET", "/", {"If-None-Match": "W/" + ETAG_OF_HELLO}, ""),
    ("GET", "/", {"If-None-Match": '"other"'}, ""),
    # StaticFileHandler at static_path: the same Etags, types, ranges and 304s.
    ("GET", "/static/hello.txt", {}, ""),
    ("GET", "/static/css/site.css", {}, ""),
    ("HEAD", "/static/hello.txt", {}, ""),
    ("GET", "/static/hello.txt", {"Range": "bytes=6-9"}, ""),
    ("GET", "/static/hello.txt", {"Range": "bytes=-5"}, ""),
    ("GET", "/static/hello.txt", {"Range": "bytes=100-"}, ""),
    ("GET", "/static/hello.txt", {"If-None-Match": STATIC_ETAG}, ""),
    ("GET", "/static/hello.txt?v=1", {}, ""),
    ("GET", "/static/missing.txt", {}, ""),
    ("GET", "/static/css", {}, ""),
    ("GET", "/static/../web_app.py", {}, ""),
]

# Headers compared by value; Server and Date are compared by presence (their values differ by
# design and by the clock). Tornado sends no Allow header with a 405; Typhoon adds one.
COMPARED_VALUES = ["Content-Type", "Content-Length", "Location", "Etag", "X-Custom",
                   "Transfer-Encoding", "Accept-Ranges", "Content-Range", "Cache-Control",
                   "Last-Modified"]
IGNORED_NAMES = {"allow"}
# A handler with get() and no head() answers HEAD as GET without the body (RFC 9110 §9.3.2, what
# every other server does), where Tornado answers 405: compared with Tornado's GET, body dropped.
HEAD_AS_GET = {("HEAD", "/")}


def fetch(port, method, path, headers, body):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body.encode() if body else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    result = (response.status, response.reason, dict(response.getheaders()), data)
    connection.close()
    return result


def start_tornado():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.setblocking(False)
    port = sock.getsockname()[1]
    ready = threading.Event()

    def serve():
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = tornado.httpserver.HTTPServer(web_app.make_app())
        server.add_sockets([sock])
        ready.set()
        tornado.ioloop.IOLoop.current().start()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait()
    return port


def main():
    for name in ("tornado.access", "tornado.application", "tornado.general"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    typhoon = subprocess.Popen([sys.argv[1], os.path.join(HERE, "templates"),
                                os.path.join(HERE, "static")],
                               stdout=subprocess.PIPE, text=True)
    try:
        typhoon_port = int(typhoon.stdout.readline().split()[1])
        tornado_port = start_tornado()
        failures = []
        for method, path, headers, body in CASES:
            if (method, path) in HEAD_AS_GET:
                status, reason, names, _ = fetch(tornado_port, "GET", path, headers, body)
                want = (status, reason, names, b"")
            else:
                want = fetch(tornado_port, method, path, headers, body)
            got = fetch(typhoon_port, method, path, headers, body)
            label = f"{method} {path} {headers or ''}"
            if (want[0], want[1]) != (got[0], got[1]):
                failures.append(f"{label}: status {got[0]} {got[1]!r}, Tornado {want[0]} {want[1]!r}")
            if want[3] != got[3]:
                failures.append(f"{label}: body {got[3]!r}, Tornado {want[3]!r}")
            for name in COMPARED_VALUES:
                if want[2].get(name) != got[2].get(name):
                    failures.append(f"{label}: {name} {got[2].get(name)!r}, Tornado {want[2].get(name)!r}")
            want_names = {n.lower() for n in want[2]} - IGNORED_NAMES
            got_names = {n.lower() for n in got[2]} - IGNORED_NAMES
            if want_names != got_names:
                failures.append(f"{label}: header names {sorted(got_names)}, Tornado {sorted(want_names)}")
        for failure in failures:
            print("MISMATCH", failure)
        print(f"{len(CASES)} requests compared, {len(failures)} mismatches")
        return 1 if failures else 0
    finally:
        typhoon.terminate()
        typhoon.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
