"""HQ in-process: a fresh app per scenario, its lifespan started, on its own event loop."""

from __future__ import annotations

import httpx2
from anyio.from_thread import BlockingPortal
from starlette.applications import Starlette
from starlette.testclient import TestClient

from hq_spec.evidence import EvidenceLog
from steps.support.asgi import InProcessSocket, stream_get
from steps.support.connection import CommsLink, FeedReading, HQConnection
from steps.support.sse import EventParser


class InProcessHQ(HQConnection):
    in_process = True

    def __init__(self, app: Starlette, evidence: EvidenceLog, *, start: bool = True) -> None:
        self.app = app
        # TestClient gives us the blocking portal (one event loop per app) and runs the lifespan.
        client = TestClient(app, base_url="http://hq.test", raise_server_exceptions=False)
        self.started = start
        if start:
            client.__enter__()
        super().__init__(client, evidence)
        self._client = client
        self._sockets: list[InProcessSocket] = []

    def shut_down(self) -> None:
        """Run the lifespan shutdown now (the app object stays inspectable)."""
        if self.started:
            for socket in self._sockets:
                socket.close()
            self._client.__exit__(None, None, None)
            self.started = False

    def _portal(self) -> BlockingPortal:
        if self._client.portal is None:
            raise RuntimeError("HQ has not started: in-process streams need a started app")
        return self._client.portal

    def _read_feed(self, path: str, within: float) -> FeedReading:
        chunks: list[bytes] = []
        status, headers, ended = self._portal().call(
            lambda: stream_get(self.app, path, within=within, sink=chunks)
        )
        parser = EventParser()
        events = [event for chunk in chunks for event in parser.feed(chunk)]
        return FeedReading(status, httpx2.Headers(headers), events, ended)

    def open_comms(self, path: str, *, within: float) -> CommsLink:
        socket = InProcessSocket(self._portal(), self.app, path, within=within)
        self._sockets.append(socket)
        return socket

    def close(self) -> None:
        self.shut_down()
        self._client.close()
