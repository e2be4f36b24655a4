"""HQ in-process: a fresh app per scenario with its own lifespan, on the run's shared event loop."""

from __future__ import annotations

import httpx2
from starlette.applications import Starlette

from hq_spec.evidence import EvidenceLog
from steps.support.asgi import InProcessSocket, Lifespan, LoopTransport, stream_get
from steps.support.connection import CommsLink, FeedReading, HQConnection
from steps.support.deadlines import WAIT_SECONDS
from steps.support.event_loop import SHARED_LOOP, LoopAccess
from steps.support.sse import EventParser


class InProcessHQ(HQConnection):
    """One scenario's HQ: its own app, lifespan, HTTP client and comms sockets.

    Only the event loop (and its thread) is shared between scenarios; everything the app
    holds, and every connection to it, belongs to this scenario and ends with it.
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
        self.app = app
        self._loop = loop
        client = httpx2.Client(
            transport=LoopTransport(self._loop, app),
            base_url="http://hq.test",
            timeout=WAIT_SECONDS,
            trust_env=False,  # never a proxy, and no proxy transports to build per scenario
        )
        super().__init__(client, evidence)
        self._lifespan = Lifespan(self._loop, app)
        self._sockets: list[InProcessSocket] = []
        self.started = start
        if start:
            self._lifespan.start(within=WAIT_SECONDS)

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
            lambda: stream_get(self.app, path, within=within, sink=chunks)
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
        self.http.close()
