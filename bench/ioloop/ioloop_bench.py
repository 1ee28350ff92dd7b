#!/usr/bin/python3
"""The same workloads as ioloop_bench.cpp, through Debian's python3-tornado (asyncio loop)."""
import threading
import time

from tornado.ioloop import IOLoop
from tornado.queues import Queue

CALLBACKS = 200000
ROUND_TRIPS = 50000


def report(name, elapsed, operations):
    print(name, elapsed * 1e9 / operations)


def add_callback():
    loop = IOLoop()
    done = 0

    def callback():
        nonlocal done
        done += 1
        if done == CALLBACKS:
            loop.stop()

    def queue_all():  # from the running loop, where add_callback takes Tornado's fast path
        for _ in range(CALLBACKS):
            loop.add_callback(callback)

    start = time.perf_counter()
    loop.add_callback(queue_all)
    loop.start()
    report("add_callback", time.perf_counter() - start, CALLBACKS)
    loop.close()


def spawn_callback():
    loop = IOLoop()
    done = 0

    async def coroutine():
        nonlocal done
        done += 1
        if done == CALLBACKS:
            loop.stop()

    def spawn_all():
        for _ in range(CALLBACKS):
            loop.spawn_callback(coroutine)

    start = time.perf_counter()
    loop.add_callback(spawn_all)
    loop.start()
    report("spawn_callback", time.perf_counter() - start, CALLBACKS)
    loop.close()


def add_callback_thread():
    loop = IOLoop()
    done = 0

    def callback():
        nonlocal done
        done += 1
        if done == CALLBACKS:
            loop.stop()

    def produce():
        for _ in range(CALLBACKS):
            loop.add_callback(callback)

    start = time.perf_counter()
    producer = threading.Thread(target=produce)
    producer.start()
    loop.start()
    producer.join()
    report("add_callback_thread", time.perf_counter() - start, CALLBACKS)
    loop.close()


def queue_ping_pong():
    loop = IOLoop()
    ping, pong = Queue(), Queue()

    async def echo():
        for _ in range(ROUND_TRIPS):
            await pong.put(await ping.get())

    async def main():
        IOLoop.current().spawn_callback(echo)
        for i in range(ROUND_TRIPS):
            await ping.put(i)
            await pong.get()

    start = time.perf_counter()
    loop.run_sync(main)
    report("queue_ping_pong", time.perf_counter() - start, ROUND_TRIPS)
    loop.close()


if __name__ == "__main__":
    add_callback()
    spawn_callback()
    add_callback_thread()
    queue_ping_pong()
