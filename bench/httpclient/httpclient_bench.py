#!/usr/bin/python3
"""Tornado's AsyncHTTPClient (simple_httpclient) on the same loop as httpclient_bench.cpp:
prints sequential_us, close_us and concurrent_us, microseconds per fetch. The simple client
always closes its connection after a response, so sequential_us and close_us measure the same.

Usage: httpclient_bench.py URL [N]"""
import asyncio
import sys
import time

from tornado import gen
from tornado.httpclient import AsyncHTTPClient


async def fetch_many(client, url, n, **kwargs):
    for _ in range(n):
        await client.fetch(url, **kwargs)


async def main(url, n):
    client = AsyncHTTPClient(max_clients=10)
    await fetch_many(client, url, 100)
    start = time.perf_counter()
    await fetch_many(client, url, n)
    print("sequential_us %.2f" % ((time.perf_counter() - start) * 1e6 / n))
    start = time.perf_counter()
    await fetch_many(client, url, n // 4, headers={"Connection": "close"})
    print("close_us %.2f" % ((time.perf_counter() - start) * 1e6 / (n // 4)))
    start = time.perf_counter()
    await gen.multi([fetch_many(client, url, n // 10) for _ in range(10)])
    print("concurrent_us %.2f" % ((time.perf_counter() - start) * 1e6 / n))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000))
