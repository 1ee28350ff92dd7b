#!/usr/bin/python3
"""Instructions per request of an HTTP server, with Valgrind's callgrind: deterministic where
timings are not (a loaded machine, a shared CI runner).

Usage: callgrind_per_request.py SERVER_PROGRAM [PATH] [REQUESTS]
Starts `SERVER_PROGRAM PORT` under callgrind, warms it up with 200 keep-alive requests on one
connection, zeroes the counters, sends REQUESTS (2,000) more on that connection and prints
"instructions_per_request N" from the counters of those requests alone.
"""
import glob
import os
import re
import socket
import subprocess
import sys
import tempfile
import time


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
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tempfile.mkdtemp()
    out = os.path.join(folder, "callgrind.out")
    server = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                               program, str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                sock = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                time.sleep(0.1)
        requests(sock, path, 200)
        subprocess.run(["callgrind_control", "--zero", str(server.pid)], check=True,
                       capture_output=True)
        requests(sock, path, count)
        subprocess.run(["callgrind_control", "--dump", str(server.pid)], check=True,
                       capture_output=True)
        sock.close()
    finally:
        server.terminate()
        server.wait()
    dumps = sorted(glob.glob(out + ".*"))
    total = None
    for line in open(dumps[-1]):
        if line.startswith("summary:") or line.startswith("totals:"):
            total = int(line.split()[1])
    print("instructions_per_request", round(total / count))


main()
