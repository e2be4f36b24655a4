"""Talking to an ASGI app in-process with deadlines: requests, lifespan, streams and WebSockets."""

from __future__ import annotations

import math
from typing import Any

import anyio
import httpx2
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from starlette.types import ASGIApp, Message

from steps.support.event_loop import LoopAccess, TaskHandle

Headers = list[tuple[str, str]]


class LoopTransport(httpx2.BaseTransport):
    """A synchronous httpx2 transport that runs each request on the app in the shared loop.

    httpx2's ASGI transport runs the app and the whole answer comes back at once. The client's
    read timeout bounds the request, so an app that never answers fails the request instead
    of hanging the run.
    """

    def __init__(self, loop: LoopAccess, app: ASGIApp) -> None:
        self._loop = loop
        # Errors the app raises are answered as 500s (HQ's own handler writes the envelope).
        self._asgi = httpx2.ASGITransport(app, raise_app_exceptions=False)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        status, headers, body = self._loop.call(self._exchange, request)
        return httpx2.Response(
            status, headers=headers, stream=httpx2.ByteStream(body), request=request
        )

    async def _exchange(self, request: httpx2.Request) -> tuple[int, Any, bytes]:
        within = request.extensions.get("timeout", {}).get("read")
        with anyio.move_on_after(math.inf if within is None else within) as deadline:
            response = await self._asgi.handle_async_request(request)
            body = await response.aread()
        if deadline.cancelled_caught:
            raise httpx2.ReadTimeout(
                f"HQ did not answer {request.method} {request.url.path} within {within} s",
                request=request,
            )
        return response.status_code, response.headers.raw, body


class LifespanFailed(RuntimeError):
    """The app refused to start or stop, with the reason it gave."""


class Lifespan:
    """An app's ASGI lifespan run in the shared loop: startup now, shutdown when asked."""

    def __init__(self, loop: LoopAccess, app: ASGIApp) -> None:
        self._loop = loop
        self._app = app
        self._task: TaskHandle[None] | None = None
        self._failure: Exception | None = None

    def start(self, *, within: float) -> None:
        """Run the app's startup; raises LifespanFailed if it fails or takes too long."""
        self._to_app, app_inbox = self._loop.call(_channel)
        app_outbox, self._from_app = self._loop.call(_channel)
        self._task = self._loop.start_task_soon(self._run_app, app_inbox, app_outbox)
        try:
            self._loop.call(self._phase, "startup", within)
        except LifespanFailed:
            self._end(within)
            raise

    def stop(self, *, within: float) -> None:
        """Run the app's shutdown and wait for it to finish."""
        if self._task is None:
            return
        try:
            self._loop.call(self._phase, "shutdown", within)
        finally:
            self._end(within)

    def _end(self, within: float) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        try:
            task.result(timeout=within)
        except TimeoutError:
            task.cancel()
        for stream in (self._to_app, self._from_app):
            self._loop.call(stream.aclose)

    async def _run_app(
        self, inbox: MemoryObjectReceiveStream[Message], outbox: MemoryObjectSendStream[Message]
    ) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        async with inbox, outbox:
            try:
                await self._app(scope, inbox.receive, outbox.send)
            except Exception as error:  # reported as the reason its phase failed
                self._failure = error

    async def _phase(self, phase: str, within: float) -> None:
        await self._to_app.send({"type": f"lifespan.{phase}"})
        reply: Message = {"type": "", "message": f"no answer within {within} s"}
        with anyio.move_on_after(within):
            try:
                reply = await self._from_app.receive()
            except anyio.EndOfStream:
                reply = {"type": "", "message": repr(self._failure)}
        if reply["type"] != f"lifespan.{phase}.complete":
            raise LifespanFailed(f"HQ's {phase} failed: {reply.get('message', '')}")


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

    def __init__(self, loop: LoopAccess, app: ASGIApp, path: str, *, within: float) -> None:
        self._loop = loop
        self._to_app, self._app_inbox = loop.call(_channel)
        self._from_app_tx, self._from_app = loop.call(_channel)
        scope = {
            "type": "websocket", "asgi": {"version": "3.0"},
            "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"", "headers": [(b"host", b"hq.test")],
            "scheme": "ws", "client": ("127.0.0.1", 1), "server": ("hq.test", 80),
            "subprotocols": [], "state": {},
        }  # fmt: skip
        self._task = loop.start_task_soon(
            app, scope, self._app_inbox.receive, self._from_app_tx.send
        )
        self.closed = False
        self._send({"type": "websocket.connect"})
        reply = self._receive_message(within)
        if reply is None or reply["type"] != "websocket.accept":
            raise ConnectionError(f"HQ did not accept the comms connection (got {reply})")

    def _send(self, message: Message) -> None:
        self._loop.call(self._to_app.send, message)

    def _receive_message(self, within: float) -> Message | None:
        async def receive() -> Message | None:
            with anyio.move_on_after(within):
                message: Message = await self._from_app.receive()
                return message
            return None

        return self._loop.call(receive)

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
            self._loop.call(stream.aclose)


async def _channel() -> tuple[Any, Any]:
    return anyio.create_memory_object_stream[Message](math.inf)
