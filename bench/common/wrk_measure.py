"""Measures one server under wrk: starts it pinned to CPU 0, drives it from CPU 1, and reports
requests/s, p50/p99 latency and the server's CPU time per request (utime + stime over the run).

    from wrk_measure import measure
    measure(["/path/to/server", "18901"], 18901, "/json", duration=5)
"""
import os
import re
import socket
import subprocess
import time

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def _wait_for_port(port, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def _milliseconds(text, percentile):
    m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)\b" % percentile, text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def measure(command, port, path, duration=5, connections=64):
    server = subprocess.Popen(["taskset", "-c", "0"] + command,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        before = _cpu_ticks(server.pid)
        text = subprocess.run(
            ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{int(duration)}s", "--latency",
             f"http://127.0.0.1:{port}{path}"],
            check=True, capture_output=True, text=True).stdout
        after = _cpu_ticks(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    if "Non-2xx" in text:
        raise RuntimeError(f"{command[0]} answered errors on {path}:\n{text}")
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p50_ms": _milliseconds(text, "50"),
        "p99_ms": _milliseconds(text, "99"),
        "server_cpu_us_per_request": (after - before) * 1e6 / TICKS_PER_SECOND / requests,
    }
