"""The same three shapes as redis_bench, with redis-py's asyncio client (redis.asyncio):
python_bench.py SOCKET_OR_URL SECONDS MODE; prints one JSON object like redis_bench."""
import asyncio, json, sys, time

import redis.asyncio as aredis

CONCURRENCY, BATCH = 50, 100


async def one_by_one(client, end, counts, key):
    while time.monotonic() < end:
        if await client.set(key, "xxx") is not True:
            counts["wrong"] += 1
        counts["commands"] += 1


async def batches(client, end, counts):
    while time.monotonic() < end:
        pipe = client.pipeline(transaction=False)
        for _ in range(BATCH):
            pipe.set("bench:p", "xxx")
        counts["wrong"] += sum(1 for r in await pipe.execute() if r is not True)
        counts["commands"] += BATCH


async def main(url, seconds, mode):
    client = aredis.from_url(url, max_connections=CONCURRENCY)
    await client.ping()
    counts = {"commands": 0, "wrong": 0}
    start = time.monotonic()
    end = start + seconds
    if mode == "single":
        await one_by_one(client, end, counts, "bench:0")
    elif mode == "concurrent":
        await asyncio.gather(*(one_by_one(client, end, counts, f"bench:{i}")
                               for i in range(CONCURRENCY)))
    else:
        await batches(client, end, counts)
    elapsed = time.monotonic() - start
    await client.aclose() if hasattr(client, "aclose") else await client.close()
    print(json.dumps({"commands_per_s": counts["commands"] / elapsed, **counts}))


asyncio.run(main(sys.argv[1], float(sys.argv[2]), sys.argv[3]))
