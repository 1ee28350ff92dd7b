"""Typhoon's WebSocket against a second, independent implementation: Python's `websockets`
(Debian's python3-websockets) as the client of Typhoon's WebSocketHandler, and as the server of
Typhoon's websocket_connect(). Cases: text, binary, a fragmented message, a large compressed
message (permessage-deflate both ways), pings, and close codes and reasons in both directions.
Run by CTest: websocket_interop.py WEBSOCKET_PEER_PROGRAM.
"""
import asyncio
import socket
import subprocess
import sys

import websockets

failures = []


def check(ok, name, why=""):
    print(("ok " if ok else "FAIL ") + name + ("" if ok else ": " + why))
    if not ok:
        failures.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def python_client_against_typhoon(port):
    base = "ws://127.0.0.1:%d" % port
    async with websockets.connect(base + "/echo") as ws:  # offers permessage-deflate
        extensions = [type(e).__name__ for e in ws.extensions]
        check("PerMessageDeflate" in extensions, "typhoon accepts compression", str(extensions))
        await ws.send("héllo")
        check(await ws.recv() == "héllo", "typhoon echoes text")
        await ws.send(b"\x00\xff")
        check(await ws.recv() == b"\x00\xff", "typhoon echoes binary")
        await ws.send(["frag", "ment", "ed"])  # one message in three frames
        check(await ws.recv() == "fragmented", "typhoon joins fragments")
        big = "y" * 300000
        await ws.send(big)
        check(await ws.recv() == big, "typhoon echoes a large compressed message")
        pong = await ws.ping(b"data")
        await asyncio.wait_for(pong, 5)
        check(True, "typhoon answers pings")
        await ws.close(4010, "python done")
        check(ws.close_code == 4010, "typhoon answers the close with its code", str(ws.close_code))
    async with websockets.connect(base + "/close") as ws:
        await ws.send("4011 server says bye")
        try:
            await ws.recv()
            check(False, "typhoon closes with a code", "got a message")
        except websockets.ConnectionClosed as closed:
            check(closed.rcvd is not None and closed.rcvd.code == 4011
                  and closed.rcvd.reason == "server says bye",
                  "typhoon closes with a code and reason", repr(closed.rcvd))
    try:
        async with websockets.connect(base + "/echo", origin="http://evil.example"):
            check(False, "typhoon refuses another origin")
    except websockets.InvalidStatusCode as refused:
        check(refused.status_code == 403, "typhoon refuses another origin with 403")


async def python_server_for_typhoon(program):
    async def handler(ws):
        try:
            async for message in ws:
                if message == "fragmented":
                    await ws.send(["one ", "two ", "three"])
                elif isinstance(message, str) and message.startswith("close "):
                    _, code, reason = message.split(" ", 2)
                    await ws.close(int(code), reason)
                else:
                    await ws.send(message)
        except websockets.ConnectionClosed:
            pass  # codes other than 1000 end `async for` with an exception: expected here

    async with websockets.serve(handler, "127.0.0.1", 0, max_size=2**24) as server:
        port = server.sockets[0].getsockname()[1]
        proc = await asyncio.create_subprocess_exec(
            program, "client", "ws://127.0.0.1:%d/" % port, stdout=asyncio.subprocess.PIPE)
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
        for line in out.decode().splitlines():
            ok = line.startswith("ok ")
            check(ok, "typhoon client: " + line.split(" ", 1)[1], line)
        check(proc.returncode == 0, "typhoon client exits 0", str(proc.returncode))


def main():
    program = sys.argv[1]
    port = free_port()
    server = subprocess.Popen([program, "server", str(port)], stdout=subprocess.PIPE)
    try:
        assert server.stdout.readline().strip() == b"listening"
        asyncio.run(python_client_against_typhoon(port))
    finally:
        server.terminate()
        server.wait()
    asyncio.run(python_server_for_typhoon(program))
    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
