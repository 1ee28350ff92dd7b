"""Python Tornado's WebSocket echo, the reference bench/websocket/run measures against.
Usage: tornado_echo.py PORT"""
import logging
import sys

import tornado.ioloop
import tornado.web
import tornado.websocket


class Echo(tornado.websocket.WebSocketHandler):
    def open(self):
        self.set_nodelay(True)

    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


class DeflateEcho(Echo):
    def get_compression_options(self):
        return {}  # permessage-deflate at Tornado's defaults


def main():
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    app = tornado.web.Application([(r"/websocket", Echo), (r"/websocket-deflate", DeflateEcho)])
    app.listen(int(sys.argv[1]), "127.0.0.1")
    tornado.ioloop.IOLoop.current().start()


main()
