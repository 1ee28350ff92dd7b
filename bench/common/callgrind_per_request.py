#!/usr/bin/python3
"""Instructions per request of an HTTP server, with Valgrind's callgrind: deterministic where
timings are not (a loaded machine, a shared CI runner).

Usage: callgrind_per_request.py SERVER_PROGRAM [PATH] [REQUESTS]
Starts `SERVER_PROGRAM PORT` under callgrind, warms it up with 200 keep-alive requests on one
connection, zeroes the counters, sends REQUESTS (2,000) more on that connection and prints
"instructions_per_request N" from the counters of those requests alone.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from callgrind_session import instructions_between  # noqa: E402


def requests(sock, path, count):
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
    for _ in range(count):
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head, re.I).group(1))
        while len(body) < length:
            body += sock.recv(65536)


def main():
    program = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else "/"
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    total = instructions_between(program, lambda sock: requests(sock, path, 200),
                                 lambda sock: requests(sock, path, count))
    print("instructions_per_request", round(total / count))


main()
