"""Talking to an ASGI app in-process with deadlines: requests, lifespan, streams and WebSockets."""

from __future__ import annotations

import math
from concurrent.futures import Future
from typing import Any

import anyio
import httpx2
from anyio.abc import TaskStatus
from anyio.from_thread import BlockingPortal
from starlette.types import ASGIApp, Message

Headers = list[tuple[str, str]]


class PortalTransport(httpx2.BaseTransport):
    """A synchronous httpx2 transport that runs each request on the app in the portal's loop.

    One hop into the loop per request: httpx2's ASGI transport runs the app there and the whole
    answer comes back at once. The client's read timeout bounds the request, so an app that
    never answers fails the request instead of hanging the run.
    """

    def __init__(self, portal: BlockingPortal, app: ASGIApp) -> None:
        self._portal = portal
        # Errors the app raises are answered as 500s (HQ's own handler writes the envelope).
        self._asgi = httpx2.ASGITransport(app, raise_app_exceptions=False)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        status, headers, body = self._portal.call(self._exchange, request)
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
    """An app's ASGI lifespan run in the portal's loop: startup now, shutdown when asked."""

    def __init__(self, portal: BlockingPortal, app: ASGIApp) -> None:
        self._portal = portal
        self._app = app
        self._task: Future[None] | None = None
        self._stop_requested: anyio.Event | None = None

    def start(self, *, within: float) -> None:
        """Run the app's startup; raises LifespanFailed if it fails or takes too long."""
        self._task, self._stop_requested = self._portal.start_task(self._run, within)

    def stop(self, *, within: float) -> None:
        """Run the app's shutdown and wait for it to finish."""
        task, stop_requested = self._task, self._stop_requested
        if task is None or stop_requested is None:
            return
        self._task = self._stop_requested = None
        self._portal.call(stop_requested.set)
        task.result(timeout=within + 1)

    async def _run(self, within: float, *, task_status: TaskStatus[anyio.Event]) -> None:
        to_app, app_inbox = anyio.create_memory_object_stream[Message](math.inf)
        app_outbox, from_app = anyio.create_memory_object_stream[Message](math.inf)
        failure: list[BaseException] = []
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}

        async def run_app() -> None:
            async with app_outbox:
                try:
                    await self._app(scope, app_inbox.receive, app_outbox.send)
                except Exception as error:  # reported with the failed reply, if any
                    failure.append(error)

        async def step(phase: str) -> str | None:
            """Ask the app to run a phase; what went wrong, or None if it completed."""
            await to_app.send({"type": f"lifespan.{phase}"})
            silence = f"no answer in {within} s"
            reply: Message = {"type": f"lifespan.{phase}.failed", "message": silence}
            with anyio.move_on_after(within):
                try:
                    reply = await from_app.receive()
                except anyio.EndOfStream:
                    reply = {"type": f"lifespan.{phase}.failed", "message": repr(failure)}
            if reply["type"] == f"lifespan.{phase}.complete":
                return None
            return f"HQ's {phase} failed: {reply.get('message', '')}"

        stop_requested = anyio.Event()
        async with anyio.create_task_group() as tasks, to_app, from_app, app_inbox:
            tasks.start_soon(run_app)
            problem = await step("startup")
            if problem is None:
                task_status.started(stop_requested)
                await stop_requested.wait()
                problem = await step("shutdown")
            if problem is not None:
                tasks.cancel_scope.cancel()
        if problem is not None:
            raise LifespanFailed(problem)


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
