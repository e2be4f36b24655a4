"""The mission log: every dispatch in order, bounded so the oldest make way past the cap."""

from __future__ import annotations

from hero_hq.store import Store

KEY = "missions"


class MissionLog:
    """Dispatched heroes' names, oldest first, shared by every desk."""

    def __init__(self, store: Store, keep: int) -> None:
        self._store = store
        self._keep = keep

    async def record(self, hero: str) -> None:
        await self._store.append_capped(KEY, hero.encode(), self._keep)

    async def heroes(self) -> list[str]:
        return [name.decode() for name in await self._store.items(KEY)]
