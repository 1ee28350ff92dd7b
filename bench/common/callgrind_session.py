"""What callgrind_per_request.py (HTTP) and callgrind_per_message.py (WebSocket) share: a server
run under Valgrind's callgrind, whose counters are zeroed after a warm-up so that only the
measured exchanges count."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time


def instructions_between(program, warm_up, measured):
    """Starts `program PORT` under callgrind, connects to it, calls warm_up(sock), zeroes the
    counters, calls measured(sock) and returns the instructions the server ran meanwhile."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = os.path.join(tempfile.mkdtemp(), "callgrind.out")
    server = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                               program, str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                sock = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{program} does not listen on {port} under callgrind")
        warm_up(sock)
        subprocess.run(["callgrind_control", "--zero", str(server.pid)], check=True,
                       capture_output=True)
        measured(sock)
        subprocess.run(["callgrind_control", "--dump", str(server.pid)], check=True,
                       capture_output=True)
        sock.close()
    finally:
        server.terminate()
        server.wait()
    dump = sorted(glob.glob(out + ".*"))[-1]
    # CALLGRIND_PROFILE=path keeps the profile of the measured exchanges, for callgrind_annotate.
    if os.environ.get("CALLGRIND_PROFILE"):
        shutil.copy(dump, os.environ["CALLGRIND_PROFILE"])
    for line in open(dump):
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError("callgrind wrote no totals")
