"""Reading server-sent events out of the bytes of a stream, as they arrive."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeedEvent:
    event: str
    data: str


class EventParser:
    """Feed it chunks; it yields complete events (blank-line separated, LF or CRLF)."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, chunk: bytes) -> list[FeedEvent]:
        self._buffer += chunk.decode("utf-8").replace("\r\n", "\n")
        events = []
        while "\n\n" in self._buffer:
            block, self._buffer = self._buffer.split("\n\n", 1)
            event, data = "message", []
            for line in block.split("\n"):
                field, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if field == "event":
                    event = value
                elif field == "data":
                    data.append(value)
            events.append(FeedEvent(event, "\n".join(data)))
        return events
