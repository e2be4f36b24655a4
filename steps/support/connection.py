"""One connection to HQ per scenario, in-process or over TCP, recording what it observes."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Protocol

import httpx2

from hq_spec.evidence import Evidence, EvidenceLog
from steps.support.sse import FeedEvent


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and HQ's answer."""

    method: str
    path: str
    status: int
    headers: httpx2.Headers
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class FeedReading:
    """What a listener got from the status feed before it ended or the deadline passed."""

    status: int
    headers: httpx2.Headers
    events: list[FeedEvent]
    ended: bool


def on_the_wire(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Headers as a client sends them: UTF-8 bytes, so any text a scenario names can be sent."""
    return [(name.encode(), value.encode()) for name, value in headers]


class CommsLink(Protocol):
    """One client's connection to the comms channel."""

    # Once HQ's end of the connection has broken down (not closed on purpose), where HQ's own
    # account of it is, in HQ's words; None while it works or after HQ closed it on purpose.
    broke_down: str | None

    def send_text(self, text: str) -> None: ...
    def send_bytes(self, data: bytes) -> None: ...
    def receive(self, within: float) -> str | None: ...
    def close(self) -> None: ...


class HQConnection(ABC):
    """HQ as the steps see it: HTTP exchanges, the feed and comms, all recorded as evidence."""

    in_process: bool
    http: httpx2.Client  # for requests made outside the steps' vocabulary (several at once)

    def __init__(self, evidence: EvidenceLog) -> None:
        self.evidence = evidence

    def request(
        self,
        actor: str | None,
        method: str,
        path: str,
        *,
        headers: list[tuple[str, str]] | None = None,
        content: bytes | None = None,
    ) -> Exchange:
        exchange = self._send(method, path, headers or [], content)
        self._record_exchange(actor, exchange, headers or [], content)
        return exchange

    def _send(
        self, method: str, path: str, headers: list[tuple[str, str]], content: bytes | None
    ) -> Exchange:
        """One request through the HTTP client, and HQ's whole answer."""
        # Each actor's cookies travel in its own Cookie header; the client keeps none between
        # requests, so no pass can leak from one actor to another.
        self.http.cookies.clear()
        response = self.http.request(method, path, headers=on_the_wire(headers), content=content)
        self.http.cookies.clear()
        return Exchange(method, path, response.status_code, response.headers, response.content)

    def _record_exchange(
        self,
        actor: str | None,
        exchange: Exchange,
        headers: list[tuple[str, str]],
        content: bytes | None,
    ) -> None:
        self.evidence.record(
            Evidence(
                kind="http",
                actor=actor,
                summary=f"{exchange.method} {exchange.path} -> {exchange.status}",
                payload={
                    "request": {
                        "method": exchange.method,
                        "path": exchange.path,
                        "headers": headers,  # masked by hq_spec as it records
                        "body": (content or b"").decode("utf-8", "replace")[:4000],
                    },
                    "response": {
                        "status": exchange.status,
                        "headers": exchange.headers.multi_items(),
                        "body": exchange.text()[:4000],
                    },
                },
            )
        )

    def read_feed(self, actor: str | None, path: str, *, within: float) -> FeedReading:
        reading = self._read_feed(path, within)
        self.evidence.record(
            Evidence(
                kind="feed",
                actor=actor,
                summary=f"{len(reading.events)} reports from the status feed"
                + ("" if reading.ended else " (still open at the deadline)"),
                payload={
                    # method, path and status name the operation, for the page's API coverage
                    "method": "GET",
                    "path": path,
                    "status": reading.status,
                    "events": [{"event": e.event, "data": e.data} for e in reading.events],
                },
            )
        )
        return reading

    def note_frame(self, actor: str, direction: str, frame: str, *, path: str) -> None:
        verb = "sent" if direction == "sent" else "heard"
        self.evidence.record(
            Evidence(
                kind="comms",
                actor=actor,
                summary=f"{actor} {verb} {frame[:200]}",
                payload={"path": path, "direction": direction, "frame": frame[:4000]},
            )
        )

    @abstractmethod
    def _read_feed(self, path: str, within: float) -> FeedReading: ...

    @abstractmethod
    def open_comms(self, path: str, *, within: float, actor: str | None = None) -> CommsLink:
        """A comms connection for `actor` (on a cluster, at that actor's desk)."""

    @abstractmethod
    def close(self) -> None: ...
