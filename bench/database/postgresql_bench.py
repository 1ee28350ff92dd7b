"""The same point selects or inserts from Python on PostgreSQL, for SECONDS: asyncpg (its own
protocol implementation, the fastest Python driver) and psycopg 3 (on libpq, as Typhoon), both on
asyncio with CONCURRENCY tasks sharing POOL connections, as database_bench shares its pool.
Prints one JSON object.

    python postgresql_bench.py asyncpg|psycopg URL SECONDS CONCURRENCY POOL select|insert
"""
import asyncio
import json
import random
import sys
import time

driver, url, seconds, concurrency, pool_size, mode = sys.argv[1:7]
seconds, concurrency, pool_size = float(seconds), int(concurrency), int(pool_size)
SELECT = "SELECT id, title, score FROM bench_items WHERE id = $1"
INSERT = "INSERT INTO bench_log (item, note) VALUES ($1, $2)"


async def run_asyncpg():
    import asyncpg
    pool = await asyncpg.create_pool(url, min_size=pool_size, max_size=pool_size)

    async def one(rng):
        key = rng.randrange(10000) + 1
        if mode == "insert":
            await pool.execute(INSERT, key, "seen")
            return True
        row = await pool.fetchrow(SELECT, key)
        return row is not None and row[0] == key

    return await measure(one), pool.close()


async def run_psycopg():
    import psycopg
    connections = asyncio.Queue()
    for _ in range(pool_size):
        connections.put_nowait(await psycopg.AsyncConnection.connect(url, autocommit=True))
    select, insert = SELECT.replace("$1", "%s"), INSERT.replace("$1", "%s").replace("$2", "%s")

    async def one(rng):
        key = rng.randrange(10000) + 1
        connection = await connections.get()
        try:
            if mode == "insert":
                await connection.execute(insert, (key, "seen"))
                return True
            cursor = await connection.execute(select, (key,), prepare=True)
            row = await cursor.fetchone()
            return row is not None and row[0] == key
        finally:
            connections.put_nowait(connection)

    return await measure(one), None


async def measure(one):
    done = wrong = 0
    end = time.monotonic() + seconds

    async def worker(seed):
        nonlocal done, wrong
        rng = random.Random(seed)
        while time.monotonic() < end:
            if not await one(rng):
                wrong += 1
            done += 1

    start = time.monotonic()
    await asyncio.gather(*(worker(i + 1) for i in range(concurrency)))
    return {"queries_per_s": done / (time.monotonic() - start), "wrong_rows": wrong}


async def main():
    result, closing = await (run_asyncpg() if driver == "asyncpg" else run_psycopg())
    if closing is not None:
        await closing
    print(json.dumps(result))


asyncio.run(main())
