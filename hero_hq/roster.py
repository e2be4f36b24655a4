"""The roster: recruited heroes numbered in recruitment order, each desk caching their JSON."""

from __future__ import annotations

import json

from pydantic_core import to_json

from hero_hq.errors import HeroNotFound, RosterFull
from hero_hq.models import CreateHero, Hero
from hero_hq.store import Store

KEY = "roster"


def _hero_json(hero_id: int, fields: bytes) -> bytes:
    # The store keeps each hero's fields without the number, which is its place in the list.
    return b'{"id":%d,%s' % (hero_id, fields)


class Roster:
    """Heroes by number, counting from 1 per HQ; bounded so a flood cannot exhaust the store.

    Heroes are only ever added, so the roster's length is its version: each desk keeps the JSON
    of the heroes it has seen and fetches only newcomers when the length has grown.
    """

    def __init__(self, store: Store, max_heroes: int) -> None:
        self._store = store
        self._max = max_heroes
        self._json: list[bytes] = []  # heroes 1..n as this desk last saw them
        self._listing = b"[]"

    async def recruit(self, paperwork: CreateHero) -> bytes:
        """File a hero under the next free number (atomically, on every desk); its JSON."""
        # Validated already: serialise the plain fields straight to JSON (HQ's hottest write).
        fields = {"name": paperwork.name, "power": paperwork.power, "wattage": paperwork.wattage}
        tail = to_json(fields)[1:]
        hero_id = await self._store.append_within(KEY, tail, self._max)
        if hero_id is None:
            raise RosterFull("the roster is full", {"limit": self._max})
        return _hero_json(hero_id, tail)

    async def get(self, hero_id: int) -> Hero:
        return Hero.model_construct(**json.loads(await self.get_json(hero_id)))

    async def get_json(self, hero_id: int) -> bytes:
        if 1 <= hero_id <= len(self._json):
            return self._json[hero_id - 1]  # a filed hero never changes
        tail = await self._store.item(KEY, hero_id)
        if tail is None:
            raise HeroNotFound(hero_id)
        return _hero_json(hero_id, tail)

    async def listing_json(self) -> bytes:
        """The whole roster as a JSON array, rebuilt only when some desk has recruited since."""
        count = await self._store.length(KEY)
        if count < len(self._json):  # the store was emptied under us (a Redis without its AOF)
            self._json, self._listing = [], b"[]"
        seen = len(self._json)
        if count > seen:
            newcomers = await self._store.items(KEY, seen)
            # Requests overlap while the store answers: only the first to return extends the
            # cache; the others serve what it built (at least as fresh as what they fetched).
            if len(self._json) == seen:
                self._json.extend(_hero_json(seen + n, tail) for n, tail in enumerate(newcomers, 1))
                self._listing = b"[" + b",".join(self._json) + b"]"
        return self._listing
