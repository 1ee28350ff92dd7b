"""What the deployment tests share: free ports, waiting for a server, the guide's nginx.conf
rewritten for a test, the checks and their report, and stopping what a test started."""
import os
import pathlib
import shutil
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, what, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{what} did not listen on {port} within {timeout}s")


def rewrite(conf, replacements):
    """The guide's file with only the deployment-specific values changed; each must be there
    exactly once, so that the test fails when the file stops looking like what it checks."""
    for old, new in replacements:
        count = conf.count(old)
        if count != 1:
            raise SystemExit(f"nginx.conf: expected '{old}' once, found it {count} times")
        conf = conf.replace(old, new)
    return conf


def find_nginx(name):
    return shutil.which(name) or shutil.which("nginx", path="/usr/sbin")


def start_nginx(nginx, conf_path, work, app_ports):
    """nginx with the guide's configuration in front of `app_ports` (its upstream lists two
    servers; more are added after the second), on a free port; its files live in `work`, which
    is also the root of /static/. Returns the process and its port."""
    port = free_port()
    upstreams = "\n        ".join(f"server 127.0.0.1:{p};" for p in app_ports[1:])
    conf = rewrite(pathlib.Path(conf_path).read_text(), [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_ports[0]};"),
        ("server 127.0.0.1:8001;", upstreams),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("root /var/www/myapp;", f"root {work};"),
        ("error_log /var/log/nginx/error.log;", f"error_log {work}/error.log;"),
        ("access_log /var/log/nginx/access.log;", f"access_log {work}/access.log;"),
        ("pid /run/nginx.pid;", f"pid {work}/nginx.pid;"),
    ])
    if os.geteuid() != 0:
        conf = rewrite(conf, [("user www-data;", "")])  # only root can switch users
    (work / "nginx.conf").write_text(conf)
    server = subprocess.Popen([nginx, "-p", str(work), "-c", str(work / "nginx.conf"),
                               "-g", "daemon off;"], stderr=open(work / "nginx.log", "w"))
    wait_for_port(port, server, "nginx")
    return server, port


class Checks:
    """Prints each check as it is made and remembers the failures."""

    def __init__(self):
        self.failures = []

    def __call__(self, condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if not condition:
            self.failures.append(message)


def finish(processes, work, checks):
    """Stops `processes` (the last started first), prints the logs in `work` when a check
    failed, removes `work`; the exit status of the test."""
    for process in reversed(processes):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    if checks.failures:
        for log in sorted(work.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text()[-3000:]}")
    shutil.rmtree(work, ignore_errors=True)
    print(f"{len(checks.failures)} failures")
    return 1 if checks.failures else 0
