#!/usr/bin/python3
"""The same two endpoints on Python Tornado's web framework."""
import logging
import sys

import tornado.ioloop
import tornado.web


class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")


class Json(tornado.web.RequestHandler):
    def get(self):
        self.write({"message": "Hello, World!"})


logging.getLogger("tornado.access").setLevel(logging.WARNING)
tornado.web.Application([(r"/", Hello), (r"/json", Json)]).listen(int(sys.argv[1]), "127.0.0.1")
tornado.ioloop.IOLoop.current().start()
