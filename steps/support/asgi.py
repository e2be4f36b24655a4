"""Talking to an ASGI app in-process with deadlines: streamed responses and WebSocket sessions."""

from __future__ import annotations

import math
from typing import Any

import anyio
from anyio.from_thread import BlockingPortal
from starlette.types import ASGIApp, Message

Headers = list[tuple[str, str]]


async def stream_get(
    app: ASGIApp, path: str, *, within: float, sink: list[bytes]
) -> tuple[int, Headers, bool]:
    """GET `path`, appending body chunks to `sink` as they arrive; True if it ended in time."""
    start: dict[str, Any] = {}
    done = anyio.Event()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "headers": [(b"host", b"hq.test")], "client": ("127.0.0.1", 1),
        "server": ("hq.test", 80), "state": {},
    }  # fmt: skip
    request_sent = False

    async def receive() -> Message:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            sink.append(message.get("body", b""))
            if not message.get("more_body", False):
                done.set()

    with anyio.move_on_after(within):
        await app(scope, receive, send)
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start.get("headers", [])]
    return int(start.get("status", 0)), headers, done.is_set()


class InProcessSocket:
    """A WebSocket client for an in-process app whose every wait has a deadline."""

    def __init__(self, portal: BlockingPortal, app: ASGIApp, path: str, *, within: float) -> None:
        self._portal = portal
        self._to_app, self._app_inbox = portal.call(_channel)
        self._from_app_tx, self._from_app = portal.call(_channel)
        scope = {
            "type": "websocket", "asgi": {"version": "3.0"},
            "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"", "headers": [(b"host", b"hq.test")],
            "scheme": "ws", "client": ("127.0.0.1", 1), "server": ("hq.test", 80),
            "subprotocols": [], "state": {},
        }  # fmt: skip
        self._task = portal.start_task_soon(
            app, scope, self._app_inbox.receive, self._from_app_tx.send
        )
        self.closed = False
        self._send({"type": "websocket.connect"})
        reply = self._receive_message(within)
        if reply is None or reply["type"] != "websocket.accept":
            raise ConnectionError(f"HQ did not accept the comms connection (got {reply})")

    def _send(self, message: Message) -> None:
        self._portal.call(self._to_app.send, message)

    def _receive_message(self, within: float) -> Message | None:
        async def receive() -> Message | None:
            with anyio.move_on_after(within):
                message: Message = await self._from_app.receive()
                return message
            return None

        return self._portal.call(receive)

    def send_text(self, text: str) -> None:
        self._send({"type": "websocket.receive", "text": text})

    def send_bytes(self, data: bytes) -> None:
        self._send({"type": "websocket.receive", "bytes": data})

    def receive(self, within: float) -> str | None:
        """The next text frame, or None if none arrives in time or the server closed."""
        if self.closed:
            return None
        message = self._receive_message(within)
        if message is None:
            return None
        if message["type"] == "websocket.close":
            self.closed = True
            return None
        text: str | None = message.get("text")
        return text if text is not None else message.get("bytes", b"").decode("utf-8", "replace")

    def close(self) -> None:
        if not self._task.done():
            self._send({"type": "websocket.disconnect", "code": 1000})
            try:
                self._task.result(timeout=2)
            except TimeoutError:
                self._task.cancel()
        for stream in (self._to_app, self._app_inbox, self._from_app_tx, self._from_app):
            self._portal.call(stream.aclose)


async def _channel() -> tuple[Any, Any]:
    return anyio.create_memory_object_stream[Message](math.inf)
