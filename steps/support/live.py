"""HQ over real sockets: httpx2 for HTTP and the feed, websockets for comms, with deadlines."""

from __future__ import annotations

import time
from contextlib import ExitStack

import httpx2
from websockets.exceptions import ConnectionClosed
from websockets.frames import CloseCode
from websockets.sync.client import ClientConnection, connect

from hq_spec.evidence import EvidenceLog
from steps.support.connection import CommsLink, FeedReading, HQConnection
from steps.support.sse import EventParser, FeedEvent

# A client is not told why a server's end broke down, only that it did; the server is another
# process, whose output (shown with a failing scenario) has its own account of it.
HQS_ACCOUNT_LIVE = "HQ's own account of it is in HQ's server output"


def server_end_failed(closed: ConnectionClosed) -> bool:
    """Whether the server's end broke down rather than closed the connection on purpose.

    It dropped the connection without a close frame (1006), or closed it for an internal error
    (1011) without a word of why. HQ closes with 1011 on purpose too, saying why ("HQ lost its
    store", after telling the hero so): that, and any other close, is a goodbye on purpose.
    """
    said = closed.rcvd
    return said is None or (said.code == CloseCode.INTERNAL_ERROR and not said.reason)


class LiveSocket:
    """A comms client over a real WebSocket."""

    def __init__(self, url: str, *, within: float, account: str = HQS_ACCOUNT_LIVE) -> None:
        self._stack = ExitStack()
        self._account = account  # where HQ's own account of its end breaking down is
        self._ws: ClientConnection = self._stack.enter_context(
            connect(url, open_timeout=within, close_timeout=1)
        )
        self.closed = False
        self.broke_down: str | None = None

    def send_text(self, text: str) -> None:
        self._ws.send(text)

    def send_bytes(self, data: bytes) -> None:
        self._ws.send(data)

    def receive(self, within: float) -> str | None:
        if self.closed:
            return None
        try:
            frame = self._ws.recv(timeout=within)
        except TimeoutError:
            return None
        except ConnectionClosed as closed:
            self.closed = True
            if server_end_failed(closed):
                self.broke_down = self._account
            return None
        return frame if isinstance(frame, str) else frame.decode("utf-8", "replace")

    def close(self) -> None:
        self._stack.close()


class LiveHQ(HQConnection):
    in_process = False

    def __init__(self, base_url: str, evidence: EvidenceLog, *, timeout: float) -> None:
        super().__init__(evidence)
        self.http = httpx2.Client(base_url=base_url, timeout=timeout)
        self.base_url = base_url
        self._sockets: list[LiveSocket] = []

    def _read_feed(self, path: str, within: float) -> FeedReading:
        deadline = time.monotonic() + within
        parser, events = EventParser(), list[FeedEvent]()
        ended = False
        with self.http.stream("GET", path, timeout=within) as response:
            try:
                for chunk in response.iter_raw():
                    events.extend(parser.feed(chunk))
                    if time.monotonic() > deadline:
                        break
                else:
                    ended = True
            except httpx2.ReadTimeout:
                pass  # what arrived before the deadline is the evidence
            return FeedReading(response.status_code, response.headers, events, ended)

    def open_comms(self, path: str, *, within: float, actor: str | None = None) -> CommsLink:
        url = self.base_url.replace("http://", "ws://", 1) + path
        socket = LiveSocket(url, within=within)
        self._sockets.append(socket)
        return socket

    def close(self) -> None:
        for socket in self._sockets:
            socket.close()
        self.http.close()
