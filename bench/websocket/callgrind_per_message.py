#!/usr/bin/python3
"""Instructions per echoed WebSocket message of an echo server, with Valgrind's callgrind:
deterministic where timings are not (a loaded machine, a shared CI runner).

Usage: callgrind_per_message.py SERVER_PROGRAM [PATH] [MESSAGES]
Starts `SERVER_PROGRAM PORT` under callgrind, opens one WebSocket on PATH (/websocket), echoes
200 messages to warm it up, zeroes the counters, echoes MESSAGES (2,000) 32-byte text messages
one at a time and prints "instructions_per_message N" from the counters of those alone.
"""
import base64
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from callgrind_session import instructions_between  # noqa: E402


def handshake(sock, path):
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    if not data.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"no upgrade: {data[:80]!r}")


def echo(sock, count):
    payload = b"m" * 32
    mask = b"\x01\x02\x03\x04"
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    frame = bytes([0x81, 0x80 | len(payload)]) + mask + masked  # FIN, text; masked, as clients must
    for _ in range(count):
        sock.sendall(frame)
        data = b""
        while len(data) < 2 + len(payload):
            chunk = sock.recv(4096)
            if not chunk:
                raise RuntimeError("the server closed the connection")
            data += chunk
        if data != bytes([0x81, len(payload)]) + payload:
            raise RuntimeError(f"unexpected echo {data!r}")


def main():
    program = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else "/websocket"
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000

    def warm_up(sock):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        handshake(sock, path)
        echo(sock, 200)

    total = instructions_between(program, warm_up, lambda sock: echo(sock, count))
    print("instructions_per_message", round(total / count))


main()
