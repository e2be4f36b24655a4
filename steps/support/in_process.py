"""HQ in-process: a fresh app per scenario with its own lifespan, on the run's shared event loop."""

from __future__ import annotations

from functools import cached_property

import httpx2
from starlette.applications import Starlette

from hq_spec.evidence import EvidenceLog
from steps.support.asgi import InProcessSocket, Lifespan, LoopTransport, answer, exchange
from steps.support.connection import (
    CommsLink,
    Exchange,
    FeedReading,
    HQConnection,
    on_the_wire,
)
from steps.support.deadlines import WAIT_SECONDS
from steps.support.event_loop import SHARED_LOOP, LoopAccess
from steps.support.sse import EventParser


class InProcessHQ(HQConnection):
    """One scenario's HQ: its own app, lifespan and comms sockets.

    Only the event loop is shared between scenarios; everything the app holds, and every
    connection to it, belongs to this scenario and ends with it. Requests go straight to the
    app as ASGI messages, with no HTTP client to build per scenario or per request.
    """

    in_process = True

    def __init__(
        self,
        app: Starlette,
        evidence: EvidenceLog,
        *,
        start: bool = True,
        loop: LoopAccess = SHARED_LOOP,
    ) -> None:
        super().__init__(evidence)
        self.app = app
        self._loop = loop
        self._lifespan = Lifespan(self._loop, app)
        self._sockets: list[InProcessSocket] = []
        self.started = start
        if start:
            self._lifespan.start(within=WAIT_SECONDS)

    @cached_property
    def http(self) -> httpx2.Client:  # type: ignore[override]
        """An HTTP client onto this app, for requests several threads make at once."""
        return httpx2.Client(
            transport=LoopTransport(self._loop, self.app),
            base_url="http://hq.test",
            timeout=WAIT_SECONDS,
            trust_env=False,  # never a proxy, and no proxy transports to build
        )

    def _send(
        self, method: str, path: str, headers: list[tuple[str, str]], content: bytes | None
    ) -> Exchange:
        status, answer_headers, body = self._loop.call(
            answer, self.app, method, path, on_the_wire(headers), content or b"", WAIT_SECONDS
        )
        return Exchange(method, path, status, httpx2.Headers(answer_headers), body)

    def shut_down(self) -> None:
        """Run the lifespan shutdown now (the app object stays inspectable)."""
        if self.started:
            self._close_sockets()
            self._lifespan.stop(within=WAIT_SECONDS)
            self.started = False

    def _close_sockets(self) -> None:
        sockets, self._sockets = self._sockets, []
        for socket in sockets:
            socket.close()

    def _read_feed(self, path: str, within: float) -> FeedReading:
        chunks: list[bytes] = []
        status, headers, ended = self._loop.call(
            lambda: exchange(self.app, "GET", path, [], b"", within=within, sink=chunks)
        )
        parser = EventParser()
        events = [event for chunk in chunks for event in parser.feed(chunk)]
        return FeedReading(status, httpx2.Headers(headers), events, ended)

    def open_comms(self, path: str, *, within: float, actor: str | None = None) -> CommsLink:
        socket = InProcessSocket(self._loop, self.app, path, within=within)
        self._sockets.append(socket)
        return socket

    def close(self) -> None:
        self._close_sockets()
        self.shut_down()
        if "http" in self.__dict__:
            self.http.close()
