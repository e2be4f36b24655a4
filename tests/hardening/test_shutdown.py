"""Graceful shutdown: SIGTERM with feed and comms clients connected ends cleanly, lifespan included."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack

from websockets.sync.client import connect

from hq_spec.live_server import free_port

WAIT = 5.0


def test_sigterm_with_clients_connected_exits_cleanly_within_five_seconds() -> None:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "uvicorn", "hero_hq.main:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "info"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "HQ never started"
                time.sleep(0.05)
        with ExitStack() as stack:
            for _ in range(3):
                stack.enter_context(connect(f"ws://127.0.0.1:{port}/comms", open_timeout=WAIT))
            feed = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
            stack.callback(feed.close)
            feed.sendall(b"GET /missions/feed HTTP/1.1\r\nHost: hq\r\n\r\n")
            assert feed.recv(64).startswith(b"HTTP/1.1 200")
            started = time.monotonic()
            server.send_signal(signal.SIGTERM)
            output, _ = server.communicate(timeout=WAIT)
            elapsed = time.monotonic() - started
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    # uvicorn re-raises the signal once it has shut down gracefully, so the exit status
    # says "ended by SIGTERM"; anything else (a crash, a kill) is a failure.
    assert server.returncode in (0, -signal.SIGTERM), output
    assert elapsed < WAIT
    assert "Application shutdown complete." in output
