"""Server-side sessions: signed opaque ids in a bounded, expiring in-memory store."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class SessionSigner:
    """Signs session ids as `<id>.<hex HMAC-SHA256>` and checks them in constant time."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _signature(self, session_id: str) -> str:
        return hmac.new(self._secret, session_id.encode(), hashlib.sha256).hexdigest()

    def sign(self, session_id: str) -> str:
        return f"{session_id}.{self._signature(session_id)}"

    def unsign(self, value: str) -> str | None:
        """The id inside a cookie value, or None when it is unsigned or tampered with."""
        session_id, dot, signature = value.rpartition(".")
        if not dot or not session_id:
            return None
        if hmac.compare_digest(signature.encode(), self._signature(session_id).encode()):
            return session_id
        return None


@dataclass
class _Entry:
    data: dict[str, Any]
    last_seen: float


class SessionStore:
    """Sessions by id; idle ones expire, and past the cap the least recently used is evicted."""

    def __init__(
        self,
        *,
        idle_seconds: float,
        max_sessions: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._idle = idle_seconds
        self._max = max_sessions
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def create(self, data: dict[str, Any]) -> str:
        self._sweep()
        session_id = secrets.token_urlsafe(32)
        self._entries[session_id] = _Entry(data, self._clock())
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return session_id

    def get(self, session_id: str) -> dict[str, Any] | None:
        entry = self._entries.get(session_id)
        if entry is None:
            return None
        now = self._clock()
        if now - entry.last_seen > self._idle:
            del self._entries[session_id]
            return None
        entry.last_seen = now
        self._entries.move_to_end(session_id)
        return entry.data

    def delete(self, session_id: str) -> None:
        self._entries.pop(session_id, None)

    def rotate(self, old_id: str | None, data: dict[str, Any]) -> str:
        """A fresh id for new data; the old id stops working at once."""
        if old_id is not None:
            self.delete(old_id)
        return self.create(data)

    def _sweep(self) -> None:
        # Entries are kept in last-seen order, so expired ones sit at the front.
        cutoff = self._clock() - self._idle
        while self._entries:
            oldest_id, oldest = next(iter(self._entries.items()))
            if oldest.last_seen >= cutoff:
                break
            del self._entries[oldest_id]
