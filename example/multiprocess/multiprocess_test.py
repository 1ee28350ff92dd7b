"""Starts the multiprocess example with two processes and checks that both serve.

Run by CTest: multiprocess_test.py PROGRAM.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def main():
    port = free_port()
    server = subprocess.Popen([sys.argv[1], f"--port={port}", "--processes=2"],
                              start_new_session=True)
    try:
        answers = []
        deadline = time.time() + 20
        while len(answers) < 40 and time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    answers.append(r.read().decode())
            except OSError:
                time.sleep(0.1)
        assert len(answers) == 40, f"only {len(answers)} answers"
        for answer in answers:
            assert answer.startswith(("Hello from process 0 ", "Hello from process 1 ")), answer
        children = children_of(server.pid)
        assert len(children) == 2, f"expected 2 serving children, found {children}"
        print(f"40 answers from {len(set(answers))} distinct processes; children {children}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
