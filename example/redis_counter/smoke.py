"""The smoke test of example/redis_counter: runs it against a private redis-server on a UNIX
socket in a temporary folder, and reports itself skipped when redis-server is not installed."""
import os, subprocess, sys, tempfile, time

program, server_binary = sys.argv[1], "/usr/bin/redis-server"
if not os.access(server_binary, os.X_OK):
    print(f"REDIS TESTS SKIPPED: {server_binary} is missing (tools/bootstrap installs it)")
    sys.exit(0)
with tempfile.TemporaryDirectory(prefix="typhoon-redis-example-") as work:
    socket = os.path.join(work, "redis.sock")
    server = subprocess.Popen([server_binary, "--port", "0", "--unixsocket", socket, "--save", "",
                               "--appendonly", "no", "--dir", work], stdout=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(socket):
                break
            time.sleep(0.05)
        result = subprocess.run([program, "unix://" + socket], capture_output=True, text=True,
                                timeout=60)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        sys.exit(result.returncode)
    finally:
        server.terminate()
        server.wait()
