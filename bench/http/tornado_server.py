#!/usr/bin/python3
"""The same "Hello, world" on Python Tornado's bare HTTPServer (a request callback, no web layer)."""
import sys

from tornado import httputil
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop


def answer(request):
    body = b"Hello, world"
    headers = httputil.HTTPHeaders({"Content-Type": "text/plain", "Content-Length": str(len(body))})
    request.connection.write_headers(httputil.ResponseStartLine("HTTP/1.1", 200, "OK"), headers, body)
    request.connection.finish()


HTTPServer(answer).listen(int(sys.argv[1]), "127.0.0.1")
IOLoop.current().start()
