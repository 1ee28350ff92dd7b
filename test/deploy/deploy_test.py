#!/usr/bin/env python3
"""nginx, configured with doc/deploy/nginx.conf, in front of two Typhoon processes.

Checks what a deployment needs: both processes serve, the application sees the client's address
and scheme through X-Real-IP/X-Scheme (xheaders), nginx serves static files itself, a WebSocket
upgrade passes through when the application has one, and stopping one process gracefully loses
no request that nginx can retry. Exits 77 (skipped) when nginx is not installed.
"""
import argparse
import collections
import http.client
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import threading

from deploy_common import Checks, find_nginx, finish, free_port, start_nginx, wait_for_port

SKIP = 77


class Client:
    """Requests through nginx from 127.0.0.2, so that the client's address differs from nginx's
    (127.0.0.1) and X-Real-IP is observable."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def get(self, path):
        for attempt in range(2):  # a keep-alive connection nginx closed is reopened once
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=10, source_address=("127.0.0.2", 0))
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", required=True)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--nginx", default="nginx")
    parser.add_argument("--websocket-path", default="")
    args = parser.parse_args()
    nginx = find_nginx(args.nginx)
    if not nginx:
        print("SKIPPED: nginx is not installed (tools/bootstrap installs nginx-light)")
        return SKIP

    check = Checks()

    work = pathlib.Path(tempfile.mkdtemp(prefix="typhoon-deploy-"))
    os.chmod(work, 0o755)  # nginx's workers (www-data) read the static files
    (work / "static").mkdir()
    (work / "static" / "hello.txt").write_text("static hello\n")
    os.chmod(work / "static", 0o755)
    os.chmod(work / "static" / "hello.txt", 0o644)

    app_ports = [free_port(), free_port()]
    processes = []
    try:
        apps = []
        for port in app_ports:
            app = subprocess.Popen([args.app, f"--port={port}"], stdout=subprocess.DEVNULL,
                                   stderr=open(work / f"app-{port}.log", "w"))
            processes.append(app)
            apps.append(app)
        for port, app in zip(app_ports, apps):
            wait_for_port(port, app, f"the application on port {port}")
        server, nginx_port = start_nginx(nginx, args.conf, work, app_ports)
        processes.append(server)

        # 1,000 requests from 4 clients: both processes serve, and see the client through nginx.
        served = collections.Counter()
        seen = collections.Counter()
        lock = threading.Lock()

        def load(count):
            client = Client(nginx_port)
            for _ in range(count):
                status, _, body = client.get("/whoami")
                answer = json.loads(body) if status == 200 else {}
                with lock:
                    served[answer.get("port", f"status {status}")] += 1
                    seen[(answer.get("remote_ip"), answer.get("protocol"))] += 1

        threads = [threading.Thread(target=load, args=(250,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(sum(served[p] for p in app_ports) == 1000,
              f"1000 requests through nginx answered 200 by the two processes ({dict(served)})")
        check(all(served[p] > 100 for p in app_ports),
              f"both processes served a share ({served[app_ports[0]]} and {served[app_ports[1]]})")
        check(seen == {("127.0.0.2", "http"): 1000},
              f"the application saw the client's address and scheme via X-Real-IP/X-Scheme ({dict(seen)})")

        status, headers, body = Client(nginx_port).get("/static/hello.txt?v=abc")
        check(status == 200 and body == b"static hello\n" and
              headers.get("Server", "").startswith("nginx") and "Expires" in headers,
              f"nginx serves /static/ itself, cached for good when versioned ({status} {headers.get('Server')})")

        if args.websocket_path:
            check(websocket_round_trip(nginx_port, args.websocket_path),
                  f"a WebSocket on {args.websocket_path} works through nginx")

        # Stop one process gracefully while 4 clients keep asking: nothing is lost.
        results = collections.Counter()
        progress = threading.Semaphore(0)

        def steady(count):
            client = Client(nginx_port)
            for _ in range(count):
                try:
                    status, _, body = client.get("/whoami")
                    outcome = json.loads(body)["port"] if status == 200 else f"status {status}"
                except Exception as error:  # a lost request is what this part looks for
                    outcome = f"error {type(error).__name__}"
                with lock:
                    results[outcome] += 1
                progress.release()

        threads = [threading.Thread(target=steady, args=(200,)) for _ in range(4)]
        for t in threads:
            t.start()
        for _ in range(200):
            progress.acquire()
        apps[0].send_signal(signal.SIGTERM)
        for t in threads:
            t.join()
        stopped = apps[0].wait(timeout=10)
        check(stopped == 0, f"the stopped process exited cleanly after SIGTERM (status {stopped})")
        check(sum(results[p] for p in app_ports) == 800,
              f"no request lost while a process stopped: 800 answered 200 ({dict(results)})")
        status, _, body = Client(nginx_port).get("/whoami")
        check(status == 200 and json.loads(body)["port"] == app_ports[1],
              "after the stop, the remaining process serves everything")
    finally:
        status = finish(processes, work, check)
    return status


def websocket_round_trip(port, path):
    """Sends a message on a WebSocket through nginx and expects it back (python3-websockets)."""
    import asyncio
    import websockets

    async def run():
        async with websockets.connect(f"ws://127.0.0.1:{port}{path}",
                                      origin=f"http://127.0.0.1:{port}") as ws:
            await ws.send("hello through nginx")
            return await asyncio.wait_for(ws.recv(), 10)

    try:
        return "hello through nginx" in asyncio.run(run())
    except Exception as error:
        print(f"WebSocket through nginx failed: {error!r}")
        return False


if __name__ == "__main__":
    sys.exit(main())
