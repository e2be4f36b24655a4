"""Hostile input replayed against `hero-hq serve` over raw sockets: no redirect, nothing hidden."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

from tests.hardening.conftest import Serve

BADGE = "hq-badge-007"


def exchange(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send one raw HTTP/1.1 request; the status line, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        head, _, body = answer.partition(b"\r\n\r\n")
        status, *lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
        while len(body) < int(headers.get("content-length", "0")):
            body += sock.recv(65536)
    return status, headers, body


def request(method: str, path: str, body: bytes = b"", **headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def paperwork(name: str) -> bytes:
    return json.dumps({"name": name, "power": "p", "wattage": 1}).encode()


def test_no_answer_is_a_redirect_or_built_from_the_host_header(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    cases = [("GET", "/status//", b""), ("GET", "/status/////", b""), ("GET", "/me//", b""),
             ("POST", "/heroes//", paperwork("Volt")), ("GET", "/heroes/1//", b""),
             ("GET", "/comms//", b""), ("GET", "/nowhere//", b"")]  # fmt: skip
    record_property("cases", len(cases))
    with serve() as server:
        for method, path, body in cases:
            status, headers, answer = exchange(
                server.port, request(method, path, body, Host="evil.example", X_HQ_Badge=BADGE)
            )
            assert not status.split()[1].startswith("3"), (path, status)
            assert "location" not in headers, (path, headers)
            assert b"evil.example" not in answer, (path, answer)


def test_badges_with_surrounding_whitespace_count_the_same_on_the_wire(serve: Serve) -> None:
    with serve() as server:
        for badge in (f"  {BADGE}", f"{BADGE}  ", f"\t{BADGE}\t"):
            status, _, answer = exchange(
                server.port, request("POST", "/heroes", paperwork("Volt"), X_HQ_Badge=badge)
            )
            assert status.startswith("HTTP/1.1 201"), (repr(badge), answer)


def test_names_a_reader_cannot_see_are_refused_in_words(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    hidden = ["\u200b", "\u2060", "\ufeff", "\u2800", "\u180e", "\x00", "\u202eVolt", "\u3164"]
    record_property("cases", len(hidden))
    with serve() as server:
        for name in hidden:
            status, _, answer = exchange(
                server.port, request("POST", "/heroes", paperwork(name), X_HQ_Badge=BADGE)
            )
            assert status.startswith("HTTP/1.1 422"), (repr(name), answer)
            [problem] = json.loads(answer)["error"]["detail"]["errors"]
            assert problem["message"] in (
                "must not be blank",
                f"must not contain control, format or bidirectional characters "
                f"(found U+{ord(name[0]):04X})",
            ), problem
        _, _, roster = exchange(server.port, request("GET", "/heroes"))
        assert json.loads(roster) == []
