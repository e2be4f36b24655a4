"""Stalled clients: a peer that stops reading loses its socket, and cannot hold HQ past SIGTERM."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack

from websockets.sync.client import ClientConnection, connect

from tests.hardening import wire
from tests.hardening.conftest import Serve
from tests.hardening.server import HQServer

BADGE = "hq-badge-007"
# 4000 four-byte characters: a chat of 16 KB on the wire.
BIG_CHAT = json.dumps({"event": "chat", "text": "🦸" * 4000}, ensure_ascii=False)
SHUTDOWN_BOUND = 5.0
# These tests are about listeners, not talkers: the talker may say as much as it likes.
FAST_TALK = {"HQ_CHATS_PER_SECOND": "100000"}
MIB = 1024 * 1024


def talk(talker: ClientConnection, chats: int) -> None:
    """Send big chats, hearing each echo, so only the stalled client falls behind."""
    for _ in range(chats):
        talker.send(BIG_CHAT)
        talker.recv(timeout=5)


def stalled_listener(server: HQServer, stack: ExitStack) -> socket.socket:
    raw, _, _ = wire.handshake(server.port, receive_buffer=4096)
    stack.callback(raw.close)
    return raw


def wait_for(condition: Callable[[], bool], within: float) -> float:
    """Seconds until `condition` held; inf if it never did within the bound."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    return float("inf")


def test_a_listener_dropped_for_being_slow_really_loses_its_socket(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    with serve({**FAST_TALK, "HQ_COMMS_MAX_CLIENTS": "5"}) as server, ExitStack() as stack:
        slow = stalled_listener(server, stack)
        slow_port = slow.getsockname()[1]
        talker = stack.enter_context(connect(server.ws_url, open_timeout=5, max_size=None))
        talk(talker, 300)  # more than the 256 frames a listener may have waiting
        queued = dict(server.connections()).get(slow_port, 0)
        gone = wait_for(lambda: slow_port not in dict(server.connections()), within=6.0)
        assert gone < 6.0, f"HQ still holds the slow client's socket ({queued} bytes queued)"
        record_property(
            "measured",
            f"a listener dropped as stalled with {queued / MIB:.1f} MiB queued to it: its socket was gone {gone:.1f} s later",
        )
        # The others carry on, and HQ has room for new clients again.
        others = [stack.enter_context(connect(server.ws_url, open_timeout=5)) for _ in range(4)]
        others[0].send(json.dumps({"event": "chat", "text": "still here"}))
        assert json.loads(others[-1].recv(timeout=5)) == {"chat": "still here"}


def test_a_close_the_client_never_answers_is_cut_short(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    """HQ closes (here: comms full, 1013); the client reads it but never sends its close back."""
    with serve({"HQ_COMMS_MAX_CLIENTS": "1"}) as server, ExitStack() as stack:
        stack.enter_context(connect(server.ws_url, open_timeout=5))
        silent, _, early = wire.handshake(server.port)
        stack.callback(silent.close)
        port = silent.getsockname()[1]
        assert b"comms_full" in early or b"comms_full" in silent.recv(4096)
        gone = wait_for(lambda: port not in dict(server.connections()), within=5.0)
    assert gone < 3.0, "HQ waited for a close reply that never came"
    record_property(
        "measured", f"a close the client never answered: its socket was gone {gone:.1f} s later"
    )


def test_sigterm_exits_within_five_seconds_despite_a_websocket_client_that_never_reads(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    with serve(FAST_TALK) as server, ExitStack() as stack:
        slow = stalled_listener(server, stack)
        slow_port = slow.getsockname()[1]
        talker = stack.enter_context(connect(server.ws_url, open_timeout=5, max_size=None))
        talk(talker, 250)  # the case: fewer than 256, so HQ never drops it as stalled
        queued = dict(server.connections()).get(slow_port, 0)
        assert queued > MIB, f"the client was meant to be stalled, but only {queued} bytes wait"
        elapsed = server.terminate(within=SHUTDOWN_BOUND + 5)
    assert elapsed < SHUTDOWN_BOUND, f"HQ took {elapsed:.1f} s to stop:\n{server.output()}"
    record_property(
        "measured",
        f"SIGTERM with a comms client never reading ({queued / MIB:.1f} MiB queued): HQ exited in {elapsed:.1f} s",
    )


def recruit_pipelined(server: HQServer, heroes: int) -> None:
    """Recruit many heroes fast: one connection, every request sent before any answer is read."""
    paperwork = json.dumps({"name": "🦸" * 100, "power": "⚡" * 100, "wattage": 1}).encode()
    request = (
        f"POST /heroes HTTP/1.1\r\nHost: hq\r\nX-HQ-Badge: {BADGE}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(paperwork)}\r\n\r\n"
    ).encode() + paperwork
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sender = threading.Thread(target=sock.sendall, args=(request * heroes,))
        sender.start()
        answers = b""
        while answers.count(b"HTTP/1.1 201") < heroes:
            chunk = sock.recv(MIB)
            assert chunk, answers[-500:]
            answers += chunk
        sender.join(10)


def test_sigterm_exits_within_five_seconds_despite_a_roster_reader_that_never_reads(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    with serve({"HQ_ROSTER_MAX": "7000"}) as server, ExitStack() as stack:
        recruit_pipelined(server, 6500)  # a roster of about 5 MB
        reader = socket.socket()
        stack.callback(reader.close)
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.connect(("127.0.0.1", server.port))
        reader.sendall(b"GET /heroes/ HTTP/1.1\r\nHost: hq\r\n\r\n")
        port = reader.getsockname()[1]
        wait_for(lambda: dict(server.connections()).get(port, 0) > MIB, within=3.0)
        queued = dict(server.connections()).get(port, 0)
        elapsed = server.terminate(within=SHUTDOWN_BOUND + 5)
    assert elapsed < SHUTDOWN_BOUND, f"HQ took {elapsed:.1f} s to stop:\n{server.output()}"
    record_property(
        "measured",
        f"SIGTERM with a 5 MB GET /heroes/ never read ({queued / MIB:.1f} MiB queued): HQ exited in {elapsed:.1f} s",
    )
