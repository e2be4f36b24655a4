"""Comms under hostile input over real sockets: the sender is told, nobody else is disturbed."""

from __future__ import annotations

import base64
import json
import os
import socket
from collections.abc import Callable
from contextlib import ExitStack

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.hardening.conftest import Serve

WAIT = 2.0
HOSTILE: list[str | bytes] = [
    "{not json",
    "x" * 70_000,
    json.dumps({"event": "chat", "text": "x" * 70_000}),
    b"\xff\xfe\x00invalid utf-8 in a binary frame",
    b'{"event":"chat","text":"binary json"}',
    "[1, 2]",
    "null",
    json.dumps({"event": ["chat"], "text": "x"}),
    json.dumps({"event": "chat", "text": {"nested": True}}),
    json.dumps({"event": "chat", "data": [1, 2]}),
    json.dumps({"event": "dance"}),
    # The frames that used to end the sender's connection (1006) with a traceback:
    "[" * 60_000,
    '{"event":"chat","text":' + "[" * 5000 + "]" * 5000 + "}",
    '{"event":"chat","text":' + "9" * 5000 + "}",
    '{"\\ud800":1}',
    '{"event":"\\ud800"}',
]


def chat(text: str) -> str:
    return json.dumps({"event": "chat", "text": text})


def open_clients(stack: ExitStack, url: str, count: int) -> list[ClientConnection]:
    return [
        stack.enter_context(connect(url, open_timeout=WAIT, max_size=None)) for _ in range(count)
    ]


def test_hostile_frames_get_an_error_and_the_connection_stays_usable(serve: Serve) -> None:
    with serve() as server, ExitStack() as stack:
        sender, bystander = open_clients(stack, server.base_url.replace("http", "ws") + "/comms", 2)
        for frame in HOSTILE:
            sender.send(frame)
            reply = json.loads(sender.recv(timeout=WAIT))
            assert reply["error"]["code"] == "websocket_validation_error", frame
        with pytest.raises(TimeoutError):
            bystander.recv(timeout=0.3)
        sender.send(chat("still standing"))
        assert json.loads(bystander.recv(timeout=WAIT)) == {"chat": "still standing"}
        assert json.loads(sender.recv(timeout=WAIT)) == {"chat": "still standing"}


def test_a_flood_of_hostile_frames_leaves_the_others_unaffected_and_the_log_quiet(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    record_property("cases", 500)
    with serve(None, "--log-level", "info") as server, ExitStack() as stack:
        flooder, other = open_clients(stack, server.base_url.replace("http", "ws") + "/comms", 2)
        logged_before = len(server.output())
        for number in range(500):
            flooder.send(HOSTILE[-5:][number % 5] if number % 2 else "{garbage")
        for _ in range(500):
            assert (
                json.loads(flooder.recv(timeout=WAIT))["error"]["code"]
                == "websocket_validation_error"
            )
        other.send(chat("calm"))
        assert json.loads(other.recv(timeout=WAIT)) == {"chat": "calm"}
        flooder.send(chat("and me"))
        assert json.loads(other.recv(timeout=WAIT)) == {"chat": "and me"}
        logged = server.output()[logged_before:]
    assert "Traceback" not in logged
    assert len(logged) < 2_000, logged[:2_000]


def _raw_handshake(port: int) -> socket.socket:
    """Open /comms by hand, so the test can send bytes no well-behaved client library would."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        f"GET /comms HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += raw.recv(4096)
    assert response.startswith(b"HTTP/1.1 101"), response
    return raw


def _masked_frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


def test_invalid_utf8_in_a_text_frame_is_a_protocol_error_the_server_closes(serve: Serve) -> None:
    """RFC 6455 forbids it: the WebSocket layer closes with 1007 before HQ ever sees the frame."""
    with serve() as server, ExitStack() as stack:
        [other] = open_clients(stack, server.base_url.replace("http", "ws") + "/comms", 1)
        raw = stack.enter_context(_raw_handshake(server.port))
        raw.sendall(_masked_frame(0x1, b"\xff\xfe not utf-8"))
        reply = raw.recv(4096)
        assert reply[0] == 0x88, reply  # a close frame...
        assert int.from_bytes(reply[2:4], "big") == 1007  # ...saying "invalid frame payload data"
        other.send(chat("unaffected"))
        assert json.loads(other.recv(timeout=WAIT)) == {"chat": "unaffected"}


def test_abrupt_disconnects_mid_broadcast_leave_no_ghosts(serve: Serve) -> None:
    with serve({"HQ_CHATS_PER_SECOND": "1000"}) as server, ExitStack() as stack:
        url = server.base_url.replace("http", "ws") + "/comms"
        survivors = open_clients(stack, url, 3)
        ghosts = [stack.enter_context(connect(url, open_timeout=WAIT)) for _ in range(5)]
        survivors[0].send(chat("before"))
        for ghost in ghosts:  # vanish without a closing handshake
            ghost.socket.shutdown(socket.SHUT_RDWR)
            ghost.socket.close()
        for number in range(20):
            survivors[0].send(chat(f"after {number}"))
        for survivor in survivors:
            heard = [json.loads(survivor.recv(timeout=WAIT))["chat"] for _ in range(21)]
            assert heard == ["before"] + [f"after {n}" for n in range(20)]
            with pytest.raises(TimeoutError):
                survivor.recv(timeout=0.2)
