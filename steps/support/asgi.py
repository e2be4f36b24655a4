"""Talking to an ASGI app in-process with deadlines: requests, lifespan, streams and WebSockets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from typing import Any
from urllib.parse import quote, unquote

import httpx2
from starlette.types import ASGIApp, Message, Scope

from steps.support.event_loop import LoopAccess, TaskHandle, take_or_quiet

log = logging.getLogger(__name__)

RawHeaders = list[tuple[bytes, bytes]]
# Where in-process requests seem to come from and go to (HQ's rates count per client address).
CLIENT = ("127.0.0.1", 123)
SERVER = ("hq.test", 80)
HOST = b"hq.test"
BODY_METHODS = {"POST", "PUT", "PATCH"}
# What may stand in a request target as it is; anything else is percent-encoded, as a client does.
TARGET_SAFE = "/?&=%:@!$'()*+,;~"


class AppDidNotAnswer(httpx2.ReadTimeout):
    """HQ did not finish answering a request before its deadline."""


class LoopTransport(httpx2.BaseTransport):
    """A synchronous httpx2 transport that runs each request on the app in the shared loop.

    The request goes through `exchange`, as the in-process connection's own requests do. The
    client's read timeout bounds it, so an app that never answers fails the request instead
    of hanging the run.
    """

    def __init__(self, loop: LoopAccess, app: ASGIApp) -> None:
        self._loop = loop
        self._app = app

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        within = request.extensions.get("timeout", {}).get("read")
        status, headers, body = self._loop.call(
            answer,
            self._app,
            request.method,
            request.url.raw_path.decode("ascii"),
            request.headers.raw,
            request.read(),
            math.inf if within is None else within,
        )
        return httpx2.Response(
            status, headers=headers, stream=httpx2.ByteStream(body), request=request
        )


async def answer(
    app: ASGIApp, method: str, target: str, headers: RawHeaders, body: bytes, within: float
) -> tuple[int, RawHeaders, bytes]:
    """HQ's whole answer to one request, or AppDidNotAnswer once `within` seconds pass."""
    chunks: list[bytes] = []
    status, answer_headers, ended = await exchange(
        app, method, target, headers, body, within=within, sink=chunks
    )
    if not ended:
        path = target.partition("?")[0]
        raise AppDidNotAnswer(f"HQ did not answer {method} {path} within {within:g} s")
    return status, answer_headers, b"".join(chunks)


async def exchange(
    app: ASGIApp,
    method: str,
    target: str,
    headers: RawHeaders,
    body: bytes,
    *,
    within: float,
    sink: list[bytes],
) -> tuple[int, RawHeaders, bool]:
    """Send one request, appending the answer's body to `sink` as it comes; True if it ended.

    The request reaches HQ as it would from a server: a percent-decoded path beside the raw
    one, a Host and, for a body (or a POST, PUT or PATCH without one), its Content-Length. An
    app that raises is answered with a 500, as a server does, and HQ's own handler writes it.
    """
    raw_target = quote(target, safe=TARGET_SAFE)
    raw_path, _, query = raw_target.partition("?")
    names = {name.lower() for name, _ in headers}
    sent = [(name.lower(), value) for name, value in headers]
    if b"host" not in names:
        sent.append((b"host", HOST))
    if b"content-length" not in names and (body or method in BODY_METHODS):
        sent.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": unquote(raw_path), "raw_path": raw_path.encode("ascii"),
        "root_path": "", "query_string": query.encode("ascii"), "headers": sent,
        "client": CLIENT, "server": SERVER, "state": {},
    }  # fmt: skip
    start: dict[str, Any] = {}
    done = asyncio.Event()
    body_sent = False

    async def receive() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            if method != "HEAD":
                sink.append(message.get("body", b""))
            if not message.get("more_body", False):
                done.set()

    # asyncio's own deadline, not anyio's: it costs a fraction as much, at every request.
    deadline = asyncio.timeout(None if math.isinf(within) else within)
    try:
        async with deadline:
            await app(scope, receive, send)
    except Exception:
        if not deadline.expired():  # a server answers 500 (HQ's handler has already, if it could)
            if not start:
                start.update({"status": 500, "headers": []})
            done.set()
    return int(start.get("status", 0)), list(start.get("headers", [])), done.is_set()


class LifespanFailed(RuntimeError):
    """The app refused to start or stop, with the reason it gave."""


class Mailbox:
    """ASGI messages going one way; a message already waiting is taken without a loop turn."""

    def __init__(self) -> None:
        self._messages: asyncio.Queue[Message] = asyncio.Queue()

    async def send(self, message: Message) -> None:
        self._messages.put_nowait(message)

    async def receive(self) -> Message:
        return await self._messages.get()

    def take(self) -> Message | None:
        """The next message if one is waiting, else None."""
        try:
            return self._messages.get_nowait()
        except asyncio.QueueEmpty:
            return None


class Lifespan:
    """An app's ASGI lifespan run in the shared loop: startup now, shutdown when asked."""

    def __init__(self, loop: LoopAccess, app: ASGIApp) -> None:
        self._loop = loop
        self._app = app
        self._task: TaskHandle[None] | None = None
        self._failure: Exception | None = None
        self._to_app = Mailbox()
        self._from_app = Mailbox()

    def start(self, *, within: float) -> None:
        """Run the app's startup; raises LifespanFailed if it fails or takes too long."""
        self._task = self._loop.start_task_soon(self._run_app)
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

    async def _run_app(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        try:
            await self._app(scope, self._to_app.receive, self._from_app.send)
        except Exception as error:  # reported as the reason its phase failed
            self._failure = error
        finally:  # a phase still waiting for a reply learns that none will come
            await self._from_app.send({"type": "lifespan.ended"})

    async def _phase(self, phase: str, within: float) -> None:
        await self._to_app.send({"type": f"lifespan.{phase}"})
        reply: Message = {"type": "", "message": f"no answer within {within} s"}
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                reply = await self._from_app.receive()
        if reply["type"] == "lifespan.ended":
            reply = {"type": "", "message": repr(self._failure)}
        if reply["type"] != f"lifespan.{phase}.complete":
            raise LifespanFailed(f"HQ's {phase} failed: {reply.get('message', '')}")


# Where a scenario author finds why HQ's end of a comms connection broke down: the crash is logged
# as it happens, and pytest shows the captured log with a failing scenario. The failure itself
# says only that it broke down: the crash's own words are Python's, not HQ's.
HQS_ACCOUNT_IN_PROCESS = "HQ's own account of it is in the captured log"


class InProcessSocket:
    """A WebSocket client for an in-process app whose every wait has a deadline."""

    def __init__(self, loop: LoopAccess, app: ASGIApp, path: str, *, within: float) -> None:
        self._loop = loop
        self._app = app
        self._to_app = Mailbox()
        self._from_app = Mailbox()
        scope = {
            "type": "websocket", "asgi": {"version": "3.0"},
            "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"", "headers": [(b"host", HOST)],
            "scheme": "ws", "client": CLIENT, "server": SERVER,
            "subprotocols": [], "state": {},
        }  # fmt: skip
        self.closed = False
        # Where HQ's account of its end breaking down is, once it has.
        self.broke_down: str | None = None
        self._task = loop.start_task_soon(self._run_app, scope)
        self._send({"type": "websocket.connect"})
        reply = self._receive_message(within)
        if reply is None or reply["type"] != "websocket.accept":
            raise ConnectionError(f"HQ did not accept the comms connection (got {reply})")

    async def _run_app(self, scope: Scope) -> None:
        try:
            await self._app(scope, self._to_app.receive, self._from_app.send)
        except Exception:
            self.broke_down = HQS_ACCOUNT_IN_PROCESS
            # As a server does: the crash is logged (pytest shows it with a failing scenario's
            # captured log) and the client sees the connection drop. Logged now, it is not left in
            # a finished task for the garbage collector to log at some later moment (in the middle
            # of pytest reading a failure's source, where CPython 3.11's parser breaks: "AST
            # constructor recursion depth mismatch").
            log.exception("HQ's comms connection crashed")
        finally:  # the app has finished: it says no more, as a dropped connection does
            await self._from_app.send({"type": "websocket.close", "code": 1006})

    def _send(self, message: Message) -> None:
        self._loop.call(self._to_app.send, message)

    def _receive_message(self, within: float) -> Message | None:
        """HQ's next message, or None once nothing more can come within `within` seconds."""
        return self._loop.call(take_or_quiet, self._from_app, within)

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
