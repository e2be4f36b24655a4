"""`hero-hq serve`, the front door: frames capped before they are buffered, nothing inflates."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from contextlib import ExitStack

import pytest
from websockets.sync.client import connect

from hero_hq.comms import MAX_FRAME_BYTES
from hero_hq.serve import build_parser, main, uvicorn_options
from tests.hardening import wire
from tests.hardening.conftest import Serve

TEXT = 0x1
CLOSE_MESSAGE_TOO_BIG = 1009
MIB = 1024 * 1024


def options(*argv: str) -> dict[str, object]:
    return uvicorn_options(build_parser().parse_args(["serve", *argv]))


def test_safe_settings_are_fixed_and_proxy_headers_are_off_unless_asked() -> None:
    chosen = options()
    assert chosen["host"] == "127.0.0.1"
    assert chosen["proxy_headers"] is False
    assert chosen["forwarded_allow_ips"] is None
    assert chosen["ws_per_message_deflate"] is False
    assert chosen["ws_max_size"] == 2 * MAX_FRAME_BYTES
    assert chosen["timeout_graceful_shutdown"] == 3
    asked = options("--proxy-headers", "--forwarded-allow-ips", "10.0.0.1", "--workers", "3")
    assert (asked["proxy_headers"], asked["forwarded_allow_ips"]) == (True, "10.0.0.1")
    assert asked["workers"] == 3


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [(["serve", "--workers", "0"], "must be at least 1"),
     (["serve", "--forwarded-allow-ips", "10.0.0.1"], "only makes sense with --proxy-headers"),
     (["serve", "--log-level", "chatty"], "invalid choice: 'chatty'"),
     ([], "the following arguments are required: command")],
)  # fmt: skip
def test_the_command_line_refuses_what_it_cannot_honour(
    argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert complaint in capsys.readouterr().err


def test_compression_is_declined_and_a_huge_message_is_refused_from_its_header(
    serve: Serve,
) -> None:
    with serve() as server, ExitStack() as stack:
        raw, answer, _ = wire.handshake(server.port, extensions="permessage-deflate")
        stack.callback(raw.close)
        assert "sec-websocket-extensions" not in answer.lower()
        # 16 MiB announced, not one byte of it sent: HQ refuses on the length alone.
        raw.sendall(wire.frame_header(TEXT, 16 * MIB, os.urandom(4)))
        assert wire.close_code(raw) == CLOSE_MESSAGE_TOO_BIG
        [other] = [stack.enter_context(connect(server.ws_url, open_timeout=5))]
        other.send(json.dumps({"event": "chat", "text": "unaffected"}))
        assert json.loads(other.recv(timeout=5)) == {"chat": "unaffected"}


def test_two_dozen_oversized_messages_that_are_never_finished_hold_no_memory(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    """The issue's attack: 24 clients each send a large message and stop reading."""
    with serve() as server, ExitStack() as stack:
        before = server.rss_mib()
        for _ in range(24):
            raw, _, _ = wire.handshake(server.port)
            stack.callback(raw.close)
            mask = os.urandom(4)
            raw.sendall(wire.frame_header(TEXT, 16 * MIB, mask))
            # 2 MiB of it, which HQ must not keep; it may have dropped the connection already.
            with contextlib.suppress(OSError):
                raw.sendall(b"a" * (2 * MIB))
        grown = server.peak_rss_mib() - before
        record_property(
            "measured",
            f"24 clients each sent 2 MiB of a 16 MiB message: HQ's peak memory grew {grown:.1f} MiB",
        )
        assert grown < 16, f"HQ's peak memory grew by {grown:.0f} MiB"
