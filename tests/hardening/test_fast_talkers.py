"""A fast talker is slowed before a slow listener is dropped: keeping up with the rate loses nothing."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.hardening.conftest import Serve

RATE = 20  # chats a second per sender, set for this test through HQ_CHATS_PER_SECOND
CHATS = 700  # said as fast as one client can, each 16 KB on the wire
LISTENERS = 3
READ_PAUSE = 1 / (2 * RATE)  # each listener reads twice as fast as one sender may talk
DEADLINE = 30.0


def chat(number: int) -> str:
    return json.dumps({"event": "chat", "text": f"{number:04d}" + "🦸" * 3996}, ensure_ascii=False)


class Listener(threading.Thread):
    """Reads at a bounded pace from a socket with a small receive buffer, so it can fall behind."""

    def __init__(self, url: str, stack: ExitStack) -> None:
        super().__init__(daemon=True)
        sock = socket.create_connection(("127.0.0.1", int(url.split(":")[2].split("/")[0])))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        self.connection = stack.enter_context(
            connect(url, sock=sock, open_timeout=5, max_size=None, max_queue=4)
        )
        self.heard: list[str] = []
        self.closed: int | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                frame = self.connection.recv(timeout=0.5)
            except TimeoutError:
                continue
            except ConnectionClosed as closed:
                self.closed = closed.rcvd.code if closed.rcvd else 1006
                return
            self.heard.append(json.loads(frame)["chat"][:4])
            time.sleep(READ_PAUSE)


def talk(talker: ClientConnection) -> tuple[list[str], int]:
    """Say every chat as fast as possible; the chats HQ broadcast, and how many it refused."""
    told: list[dict[str, object]] = []

    def hear_own() -> None:
        while len(told) < CHATS:
            told.append(json.loads(talker.recv(timeout=DEADLINE)))

    reader = threading.Thread(target=hear_own, daemon=True)
    reader.start()
    for number in range(CHATS):
        talker.send(chat(number))
    reader.join(DEADLINE)
    broadcast = [str(t["chat"])[:4] for t in told if "chat" in t]
    refused = [t for t in told if "error" in t]
    assert all(r["error"]["code"] == "too_many_requests" for r in refused)  # type: ignore[index]
    return broadcast, len(refused)


def test_listeners_who_keep_up_with_the_rate_hear_every_chat_the_talker_was_allowed(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    record_property("cases", CHATS)
    with serve({"HQ_CHATS_PER_SECOND": str(RATE)}) as server, ExitStack() as stack:
        listeners = [Listener(server.ws_url, stack) for _ in range(LISTENERS)]
        for listener in listeners:
            listener.start()
        talker = stack.enter_context(connect(server.ws_url, open_timeout=5, max_size=None))
        started = time.monotonic()
        broadcast, refused = talk(talker)
        elapsed = time.monotonic() - started
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline and any(
            len(listener.heard) < len(broadcast) and listener.closed is None
            for listener in listeners
        ):
            time.sleep(0.05)
        for listener in listeners:
            listener.stop.set()
            listener.join(5)
    # No listener fell far enough behind to be dropped, and each heard everything ...
    for listener in listeners:
        assert listener.closed is None, f"a listener was closed with {listener.closed}"
        assert listener.heard == broadcast
    # ... because the talker was held to the rate (a burst of RATE, then RATE a second).
    assert refused > 0
    assert len(broadcast) <= RATE * (elapsed + 1) + 1, (len(broadcast), elapsed)
    record_property(
        "measured",
        f"a talker said {CHATS} chats in {elapsed:.1f} s at {RATE} a second allowed: {len(broadcast)} broadcast, {refused} refused; {LISTENERS} listeners reading {2 * RATE} a second heard all {len(broadcast)}",
    )
