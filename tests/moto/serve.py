"""Runs a moto server on 127.0.0.1 for berth's AWS tests.

Binds a free port (port 0: the kernel picks it), prints the endpoint
(`http://127.0.0.1:PORT`) on its first line of output once the server
answers, and stops when its standard input closes, so a test process that
dies (even killed) never leaves a server behind. With --until-signal it
ignores stdin and runs until SIGTERM/SIGINT (used by start.sh).

With --fast (the benchmarks) it serves moto's application with granian, a
server written in Rust, instead of werkzeug's development server, and
computes two of moto's per-request lookups once (`fast_app.py`): the same
moto, answering the same, at about three times the calls a second. Under
werkzeug's server about half of each request's time is that server and
those lookups (docs/performance.md), which a benchmark of berth's calls
would otherwise measure.
"""

import logging
import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path

import moto_settings  # noqa: E402,F401  (before moto)

from moto.server import ThreadedMotoServer  # noqa: E402


def answered(endpoint: str, timeout: float) -> bool:
    """Whether the dashboard API, served by every moto server, answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=30).read()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def free_port() -> int:
    """A port of 127.0.0.1 the kernel has free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_fast() -> int:
    """Serves `fast_app.app` with granian until stdin closes (or a signal)."""
    from granian.constants import Interfaces
    from granian.server import MPServer

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = MPServer(
        "fast_app:app",
        address="127.0.0.1",
        port=port,
        interface=Interfaces.WSGI,
        workers=1,
        # moto's handlers hold the GIL: more threads only queue on it.
        blocking_threads=4,
        log_enabled=False,
        working_dir=Path(__file__).resolve().parent,
    )

    def announce() -> None:
        if answered(endpoint, 60):
            print(endpoint, flush=True)
        else:
            os.kill(os.getpid(), signal.SIGTERM)

    def stop_when_stdin_closes() -> None:
        # os.read, not sys.stdin: a thread blocked in sys.stdin.read() holds
        # its lock, and the forked worker, closing its stdin, would wait
        # on that lock forever.
        while os.read(sys.stdin.fileno(), 4096):
            pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=announce, daemon=True).start()
    if "--until-signal" not in sys.argv:
        threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    server.serve()
    return 0


def main() -> int:
    if "--fast" in sys.argv:
        return serve_fast()
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
