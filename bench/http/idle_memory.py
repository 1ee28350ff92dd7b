#!/usr/bin/python3
"""Server memory per idle keep-alive connection.

Usage: idle_memory.py PID PORT COUNT. Opens COUNT connections, makes one request on each so that
each is a live keep-alive connection the server has served, then prints
"idle_kib_per_connection <(RSS after - RSS before) / COUNT>" from /proc/PID/status.
"""
import socket
import sys


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main():
    pid, port, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    request = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
    warm = socket.create_connection(("127.0.0.1", port))  # let the server reach its steady state
    warm.sendall(request)
    warm.recv(4096)
    warm.close()  # COUNT may be the server's max_connections (Typhoon's default is 10,000)
    before = rss_kib(pid)
    connections = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(request)
        if not s.recv(4096):
            raise RuntimeError("server closed a connection")
        connections.append(s)
    after = rss_kib(pid)
    print("idle_kib_per_connection", (after - before) / count)
    for s in connections:
        s.close()


main()
