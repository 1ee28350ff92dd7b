"""The same point selects from Python: PyMySQL (what torndb users run today, blocking, one
connection) and the sqlite3 module, for SECONDS. Prints one JSON object.

    python3 python_bench.py URL SECONDS      URL: sqlite:///file.db or mysql://user@host:port/db
"""
import json
import random
import sys
import time
import urllib.parse

url, seconds = sys.argv[1], float(sys.argv[2])
parsed = urllib.parse.urlparse(url)
if parsed.scheme == "sqlite":
    import sqlite3
    connection = sqlite3.connect(url[len("sqlite:///"):])
    connection.execute("PRAGMA journal_mode = WAL")
    placeholder = "?"
else:
    import pymysql
    connection = pymysql.connect(host=parsed.hostname, port=parsed.port or 3306,
                                 user=parsed.username, password=parsed.password or "",
                                 database=parsed.path.lstrip("/"), charset="utf8mb4",
                                 autocommit=True)
    placeholder = "%s"
cursor = connection.cursor()
sql = f"SELECT id, title, score FROM bench_items WHERE id = {placeholder}"
rng = random.Random(1)
done = wrong = 0
end = time.monotonic() + seconds
start = time.monotonic()
while time.monotonic() < end:
    key = rng.randrange(10000) + 1
    cursor.execute(sql, (key,))
    row = cursor.fetchone()
    if row is None or row[0] != key:
        wrong += 1
    done += 1
elapsed = time.monotonic() - start
print(json.dumps({"queries_per_s": done / elapsed, "wrong_rows": wrong}))
