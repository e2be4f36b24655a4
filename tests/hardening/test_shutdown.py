"""Graceful shutdown: SIGTERM with feed and comms clients connected ends cleanly, lifespan included."""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable
from contextlib import ExitStack

from websockets.sync.client import connect

from tests.hardening.conftest import Serve

WAIT = 5.0


def test_sigterm_with_clients_connected_exits_cleanly_within_five_seconds(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    with serve(None, "--log-level", "info") as server, ExitStack() as stack:
        for _ in range(3):
            stack.enter_context(connect(server.ws_url, open_timeout=WAIT))
        feed = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
        stack.callback(feed.close)
        feed.sendall(b"GET /missions/feed HTTP/1.1\r\nHost: hq\r\n\r\n")
        assert feed.recv(64).startswith(b"HTTP/1.1 200")
        elapsed = server.terminate(within=WAIT)
        output = server.output()
    # uvicorn re-raises the signal once it has shut down gracefully, so the exit status
    # says "ended by SIGTERM"; anything else (a crash, a kill) is a failure.
    assert server.process.returncode in (0, -signal.SIGTERM), output
    assert elapsed < WAIT, output
    assert "Application shutdown complete." in output
    record_property(
        "measured", f"SIGTERM with 3 comms clients and a feed reader: HQ exited in {elapsed:.1f} s"
    )
