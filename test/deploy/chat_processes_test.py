#!/usr/bin/env python3
"""Three chat processes (apps/chat --redis) on one private redis-server are one chat; one whose
Redis is not there exits at start.

First straight to the processes: a WebSocket browser on the first, a long-polling browser that
sends each of its polls to the next process in turn (its cursor must mean the same everywhere),
and three posters, one per process, posting at the same time on both pages. Then the same with
nginx in front of the three processes (doc/deploy/nginx.conf, as test/deploy/deploy_test.py runs
it). Every browser must see every message once, in the one order Redis gave them, which is also
the order a fresh page of any process shows.

Exits 77 (skipped) when redis-server or nginx is not installed.
"""
import argparse
import asyncio
import http.client
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

from deploy_common import Checks, find_nginx, finish, free_port, start_nginx, wait_for_port

SKIP = 77
POSTS_PER_POSTER = 20


def start_redis(work, redis_server):
    """A throw-away redis-server on a UNIX socket in `work`, with nothing saved to disk."""
    path = work / "redis.sock"
    process = subprocess.Popen(
        [redis_server, "--port", "0", "--unixsocket", str(path), "--unixsocketperm", "700",
         "--dir", str(work), "--save", "", "--appendonly", "no"],
        stdout=open(work / "redis.log", "w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"redis-server exited with {process.returncode}")
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(str(path))
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return process, path
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not answer within 20 s")


class Browser:
    """One browser's cookies and XSRF token, talking to whichever port each call names."""

    def __init__(self, xsrf_port):
        self.xsrf = None
        status, headers, _ = self.request(xsrf_port, "GET", "/poll")
        assert status == 200, status
        for name, value in headers:
            if name.lower() == "set-cookie" and value.startswith("_xsrf="):
                self.xsrf = value[len("_xsrf="):value.index(";")]
        assert self.xsrf, "the chat page set no _xsrf cookie"

    def request(self, port, method, path, form=None, timeout=30):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        headers = {}
        body = None
        if form is not None:
            form = dict(form, _xsrf=self.xsrf)
            body = urllib.parse.urlencode(form)
            headers = {"Content-Type": "application/x-www-form-urlencoded",
                       "Cookie": f"_xsrf={self.xsrf}"}
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def post(self, port, body):
        status, _, answer = self.request(port, "POST", "/a/message/new", {"body": body})
        assert status == 200, f"posting to {port}: {status} {answer[:200]!r}"
        return json.loads(answer)

    def updates(self, port, cursor):
        form = {"cursor": cursor} if cursor else {}
        status, _, answer = self.request(port, "POST", "/a/message/updates", form)
        assert status == 200, f"polling {port}: {status} {answer[:200]!r}"
        return json.loads(answer)["messages"]


async def converse(ports, websocket_port, expected, history):
    """The browsers and posters of one round, `expected` new messages after `history` old ones;
    returns what each browser saw (message ids: the WebSocket one the new messages, the polling
    one, which starts without a cursor, the old ones too) and the order a fresh poll without
    cursor shows on each process at the end."""
    import websockets

    by_websocket, by_polling = [], []

    async def websocket_browser(ready):
        async with websockets.connect(f"ws://127.0.0.1:{websocket_port}/chatsocket",
                                      origin=f"http://127.0.0.1:{websocket_port}") as ws:
            ready.set_result(ws)
            while len(by_websocket) < expected:
                message = json.loads(await asyncio.wait_for(ws.recv(), 30))
                by_websocket.append(message["id"])

    async def polling_browser(browser):
        cursor, turn = None, 0
        while len(by_polling) < history + expected:
            port = ports[turn % len(ports)]  # each poll to another process
            turn += 1
            messages = await asyncio.to_thread(browser.updates, port, cursor)
            for message in messages:
                if message["id"] not in by_polling:  # the page skips what it shows already
                    by_polling.append(message["id"])
            cursor = by_polling[-1] if by_polling else None

    async def poster(name, port, browser, socket):
        for i in range(POSTS_PER_POSTER):
            body = f"{name} {i}"
            if socket is not None and i % 2:
                await socket.send(json.dumps({"body": body}))  # the WebSocket page posts so
            else:
                await asyncio.to_thread(browser.post, port, body)

    browser = await asyncio.to_thread(Browser, ports[0])
    ready = asyncio.get_running_loop().create_future()
    listening = asyncio.create_task(websocket_browser(ready))
    socket = await asyncio.wait_for(ready, 10)
    polling = asyncio.create_task(polling_browser(browser))
    await asyncio.sleep(0.2)  # the first poll is parked
    await asyncio.gather(*(poster(f"poster{i}", port, browser, socket if i == 0 else None)
                           for i, port in enumerate(ports)))
    await asyncio.wait_for(asyncio.gather(listening, polling), 60)
    fresh = [[m["id"] for m in await asyncio.to_thread(browser.updates, port, None)]
             for port in ports]
    return by_websocket, by_polling, fresh


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chat", required=True, help="the chat program (apps/chat)")
    parser.add_argument("--conf", required=True, help="doc/deploy/nginx.conf")
    parser.add_argument("--nginx", default="nginx")
    parser.add_argument("--redis-server", default="/usr/bin/redis-server")
    args = parser.parse_args()
    nginx = find_nginx(args.nginx)
    if not os.access(args.redis_server, os.X_OK):
        print(f"SKIPPED: {args.redis_server} is not installed (tools/bootstrap installs redis-server)")
        return SKIP
    if not nginx:
        print("SKIPPED: nginx is not installed (tools/bootstrap installs nginx-light)")
        return SKIP

    check = Checks()

    work = pathlib.Path(tempfile.mkdtemp(prefix="typhoon-chat-processes-"))
    os.chmod(work, 0o755)
    processes = []
    try:
        # A process that cannot reach its Redis says so and exits, rather than serve a chat
        # apart from the others.
        lonely = subprocess.run(
            [args.chat, f"--port={free_port()}", "--address=127.0.0.1",
             f"--redis=unix://{work}/no-redis-here.sock"],
            capture_output=True, text=True, timeout=30)
        check(lonely.returncode == 1 and "chat: --redis: " in lonely.stderr,
              f"without its Redis a chat process exits 1 naming --redis ({lonely.returncode}: "
              f"{lonely.stderr.strip()[-200:]!r})")

        redis, redis_socket = start_redis(work, args.redis_server)
        processes.append(redis)
        ports = [free_port() for _ in range(3)]
        for port in ports:
            processes.append(subprocess.Popen(
                [args.chat, f"--port={port}", "--address=127.0.0.1",
                 f"--redis=unix://{redis_socket}"],
                stdout=subprocess.DEVNULL, stderr=open(work / f"chat-{port}.log", "w")))
        for port, process in zip(ports, processes[1:]):
            wait_for_port(port, process, f"the chat on port {port}")

        expected = 3 * POSTS_PER_POSTER
        seen_ws, seen_poll, fresh = asyncio.run(converse(ports, ports[0], expected, 0))
        canonical = fresh[0]
        check(len(canonical) == expected and len(set(canonical)) == expected,
              f"the chat holds the {expected} messages posted to three processes ({len(canonical)})")
        check(all(order == canonical for order in fresh),
              "a fresh page of each process shows them in the same order")
        check(seen_ws == canonical,
              f"a WebSocket browser on one process saw each once, in that order ({len(seen_ws)})")
        check(seen_poll == canonical,
              f"a long-polling browser moving between processes saw each once, in that order "
              f"({len(seen_poll)})")

        # nginx in front of the three, as the guide deploys them.
        server, nginx_port = start_nginx(nginx, args.conf, work, ports)
        processes.append(server)
        seen_ws, seen_poll, fresh = asyncio.run(
            converse([nginx_port] * 3, nginx_port, expected, expected))
        new = fresh[0][-expected:]
        check(len(fresh[0]) == 2 * expected and len(set(new)) == expected,
              f"through nginx: {expected} more messages, each once ({len(fresh[0])} in all)")
        check(seen_ws == new,
              f"through nginx: the WebSocket browser saw each once, in order ({len(seen_ws)})")
        check(seen_poll == fresh[0],
              f"through nginx: the long-polling browser, spread by nginx over the processes, "
              f"saw each once, in order ({len(seen_poll)})")
    finally:
        status = finish(processes, work, check)
    return status


if __name__ == "__main__":
    sys.exit(main())
