"""Recruit bodies read straight from the ASGI messages: split bodies, and clients that go away."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect
from starlette.testclient import TestClient

from hero_hq.main import build_app
from hero_hq.settings import Settings

PAPERWORK = json.dumps({"name": "Volt", "power": "lightning", "wattage": 9001}).encode()


async def _recruit(app: Starlette, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """POST /heroes/ with the body delivered as these ASGI messages; what HQ sent back."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/heroes/", "raw_path": b"/heroes/", "root_path": "",
        "query_string": b"", "client": ("127.0.0.1", 1), "server": ("hq.test", 80),
        "headers": [
            (b"host", b"hq.test"), (b"x-hq-badge", b"hq-badge-007"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(PAPERWORK)).encode()),
        ],
    }  # fmt: skip
    inbox = iter(messages)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(inbox)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def test_a_body_split_across_messages_is_read_whole() -> None:
    thirds = [PAPERWORK[:10], PAPERWORK[10:20], PAPERWORK[20:]]
    messages = [
        {"type": "http.request", "body": part, "more_body": n < 2} for n, part in enumerate(thirds)
    ]
    sent = anyio.run(_recruit, build_app(Settings(badges=("hq-badge-007",))), messages)
    assert sent[0]["status"] == 201
    assert json.loads(sent[1]["body"]) == {
        "id": 1,
        "name": "Volt",
        "power": "lightning",
        "wattage": 9001,
    }


def test_a_client_that_leaves_mid_body_recruits_nobody() -> None:
    messages = [
        {"type": "http.request", "body": PAPERWORK[:10], "more_body": True},
        {"type": "http.disconnect"},
    ]
    app = build_app(Settings(badges=("hq-badge-007",)))
    with pytest.raises(ClientDisconnect):
        anyio.run(_recruit, app, messages)
    assert TestClient(app).get("/heroes/").json() == []
