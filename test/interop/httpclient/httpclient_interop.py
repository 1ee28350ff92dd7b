#!/usr/bin/python3
"""Fetches the same requests from a Tornado server with Tornado's AsyncHTTPClient and with
Typhoon's HTTPClient (httpclient_driver) and compares what each client reports: status, reason,
body (decompressed or not), effective URL after redirects, and the headers a user reads.

Usage: httpclient_interop.py PATH/TO/httpclient_driver. Exits 1 and prints the differences.
"""
import asyncio
import json
import logging
import queue
import subprocess
import sys
import threading

from tornado import gen, httpclient, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets


class Hello(web.RequestHandler):
    def get(self):
        self.write("Hello, world")

    def head(self):
        self.set_header("Content-Length", "12")


class Echo(web.RequestHandler):
    def get(self):
        self.set_header("X-Method", "GET")
        self.write("body:" + self.request.body.decode())

    post = put = patch = get

    def prepare(self):
        self.set_header("X-Method", self.request.method)


class Big(web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("compressible text " * 400)


class Chunked(web.RequestHandler):
    async def get(self):
        for i in range(5):
            self.write("piece%d," % i)
            await self.flush()
            await gen.sleep(0.01)


class Status(web.RequestHandler):
    def get(self, code):
        self.set_status(int(code))
        self.write("status body")


class Redirect(web.RequestHandler):
    def get(self):
        self.redirect(self.get_argument("to"), status=int(self.get_argument("code", "302")))

    post = get


class Countdown(web.RequestHandler):
    def get(self, n):
        n = int(n)
        if n:
            self.redirect("/countdown/%d" % (n - 1))
        else:
            self.write("landed")


class Auth(web.RequestHandler):
    def get(self):
        self.write(self.request.headers.get("Authorization", "none"))


def serve(ports):
    asyncio.set_event_loop(asyncio.new_event_loop())
    app = web.Application([
        (r"/hello", Hello), (r"/echo", Echo), (r"/big", Big), (r"/chunked", Chunked),
        (r"/status/(\d+)", Status), (r"/redirect", Redirect), (r"/countdown/(\d+)", Countdown),
        (r"/a/b/auth", Auth), (r"/auth", Auth),
    ], compress_response=True)
    sockets = bind_sockets(0, "127.0.0.1")
    HTTPServer(app).add_sockets(sockets)
    ports.put(sockets[0].getsockname()[1])
    IOLoop.current().start()


def cases(base):
    def case(path, method="GET", body=None, follow_redirects=True, max_redirects=5,
             decompress_response=True, **extra):
        spec = dict(url=base + path, method=method, body=body, follow_redirects=follow_redirects,
                    max_redirects=max_redirects, decompress_response=decompress_response)
        spec.update(extra)
        return spec
    return [
        case("/hello"),
        case("/hello", method="HEAD"),
        case("/big"),
        case("/big", decompress_response=False),
        case("/chunked"),
        case("/status/404"),
        case("/status/500"),
        case("/status/201"),
        case("/nowhere"),
        case("/echo", method="POST", body="a=1&b=2"),
        case("/echo", method="PUT", body=""),
        case("/redirect?code=303&to=/echo", method="POST", body="x"),
        case("/redirect?code=302&to=/echo", method="POST", body="x"),
        case("/redirect?code=307&to=/echo", method="POST", body="x"),
        case("/redirect?code=301&to=" + base + "/hello"),
        case("/redirect?code=302&to=../hello"),
        case("/redirect?code=302&to=hello?x=1"),
        case("/countdown/3"),
        case("/countdown/5"),
        case("/countdown/6"),
        case("/countdown/4", max_redirects=2),
        case("/countdown/2", follow_redirects=False),
        case("/auth", auth_username="Aladdin", auth_password="open sesame"),
    ]


async def tornado_results(specs):
    client = httpclient.AsyncHTTPClient(force_instance=True)
    out = []
    for spec in specs:
        kwargs = dict(spec)
        url = kwargs.pop("url")
        try:
            response = await client.fetch(url, raise_error=False, **kwargs)
        except httpclient.HTTPClientError as e:
            out.append({"error": e.code})
            continue
        headers = {name: response.headers[name]
                   for name in ("Content-Type", "Content-Encoding", "X-Consumed-Content-Encoding",
                                "Location", "X-Method")
                   if name in response.headers}
        out.append({"code": response.code, "reason": response.reason,
                    "body": response.body.decode("latin-1"),
                    "effective_url": response.effective_url, "headers": headers})
    client.close()
    return out


def main():
    logging.getLogger("tornado.access").disabled = True  # 404s and 500s are asked for
    ports = queue.Queue()
    threading.Thread(target=serve, args=(ports,), daemon=True).start()
    base = "http://127.0.0.1:%d" % ports.get(timeout=10)
    specs = cases(base)
    expected = asyncio.run(tornado_results(specs))
    driver = subprocess.run([sys.argv[1]], input="".join(json.dumps(s) + "\n" for s in specs),
                            capture_output=True, text=True, encoding="latin-1", timeout=120)
    actual = [json.loads(line) for line in driver.stdout.splitlines()]
    failures = 0
    for spec, want, got in zip(specs, expected, actual):
        if want != got:
            failures += 1
            print("DIFFERENT for", spec["method"], spec["url"][len(base):])
            print("  tornado:", want)
            print("  typhoon:", got)
    if len(actual) != len(specs):
        print("driver answered %d of %d cases; stderr: %s" % (len(actual), len(specs), driver.stderr))
        failures += 1
    print("%d cases, %d different" % (len(specs), failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
