#!/usr/bin/python3
"""The echo server of example/tcp_echo, in Python Tornado, for the same benchmark."""
import sys

from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError
from tornado.tcpserver import TCPServer


class EchoServer(TCPServer):
    async def handle_stream(self, stream, address):
        stream.set_nodelay(True)
        try:
            while True:
                await stream.write(await stream.read_until(b"\n"))
        except StreamClosedError:
            pass


EchoServer().listen(int(sys.argv[1]), "127.0.0.1")
IOLoop.current().start()
