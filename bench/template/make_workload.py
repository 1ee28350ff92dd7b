#!/usr/bin/python3
"""Writes workload.json: the arguments of templates/users.html (100 rows, with text to escape)."""
import json
import random

random.seed(7)
names = ["Ann <admin>", "Bob & Co", "Chloé \"C\"", "D'Arcy", "Eve", "Frank O'Neil", "Gus", "Héloïse"]
rows = []
for i in range(100):
    name = random.choice(names)
    rows.append({
        "id": i + 1,
        "name": name,
        "email": name.split()[0].lower().strip("<>\"'") + "%d@example.com" % i,
        "score": round(random.uniform(0, 100), 3),
        "tags": random.sample(["new", "<vip>", "beta", "a&b", "ops"], random.randint(0, 3)),
        "active": random.random() < 0.7,
    })
workload = {
    "site_name": "Typhoon <demo>",
    "year": 2026,
    "heading": "All users & friends",
    "current": "/users",
    "nav": [{"url": "/", "label": "Home"}, {"url": "/users", "label": "Users"}, {"url": "/about", "label": "About <us>"}],
    "rows": rows,
}
with open("workload.json", "w") as f:
    json.dump(workload, f, indent=1, ensure_ascii=False)
