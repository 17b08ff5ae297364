"""Runs a moto server on 127.0.0.1 for berth's AWS tests.

Binds a free port (port 0: the kernel picks it), prints the endpoint
(`http://127.0.0.1:PORT`) on its first line of output once the server
answers, and stops when its standard input closes, so a test process that
dies (even killed) never leaves a server behind. With --until-signal it
ignores stdin and runs until SIGTERM/SIGINT (used by start.sh).
"""

import logging
import os
import signal
import sys
import threading
import urllib.request

# Read by moto at request time; set before it is imported all the same.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
os.environ.setdefault("MOTO_ECS_SERVICE_RUNNING", "1")

from moto.server import ThreadedMotoServer  # noqa: E402


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # Answered once: the dashboard API is served by every moto server.
    urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=30).read()
    print(endpoint, flush=True)
    if "--until-signal" in sys.argv:
        done = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: done.set())
        done.wait()
    else:
        sys.stdin.read()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
