"""Server-side sessions: signed opaque ids in HQ's store, bounded and expiring when idle."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from hero_hq.store import Store


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


class SessionStore:
    """Sessions by id in HQ's store: idle ones expire, past the cap the least recently used go."""

    KEY = "sessions"

    def __init__(self, store: Store, *, idle_seconds: float, max_sessions: int) -> None:
        self._store = store
        self._idle = idle_seconds
        self._max = max_sessions

    async def count(self) -> int:
        return await self._store.count_records(self.KEY)

    async def create(self, data: dict[str, Any]) -> str:
        session_id = secrets.token_urlsafe(32)
        await self._store.put_record(
            self.KEY, session_id, json.dumps(data).encode(),
            idle_seconds=self._idle, max_records=self._max,
        )  # fmt: skip
        return session_id

    async def get(self, session_id: str) -> dict[str, Any] | None:
        found = await self._store.touch_record(self.KEY, session_id, idle_seconds=self._idle)
        if found is None:
            return None
        data: dict[str, Any] = json.loads(found)
        return data

    async def delete(self, session_id: str) -> None:
        await self._store.drop_record(self.KEY, session_id)

    async def take(self, session_id: str) -> bool:
        """End a session, saying whether it was still live (so only one login can rotate it)."""
        taken = await self._store.take_record(self.KEY, session_id, idle_seconds=self._idle)
        return taken is not None

    async def rotate(self, old_id: str | None, data: dict[str, Any]) -> str:
        """A fresh id for new data; the old id stops working at once."""
        if old_id is not None:
            await self.delete(old_id)
        return await self.create(data)
