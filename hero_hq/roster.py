"""The roster: recruited heroes in recruitment order, with their JSON serialised once."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json

from hero_hq.errors import HeroNotFound, RosterFull
from hero_hq.models import CreateHero, Hero


class Roster:
    """Heroes by id, ids counting from 1 per app; bounded so a flood cannot exhaust memory."""

    def __init__(self, max_heroes: int) -> None:
        self._max = max_heroes
        self._heroes: dict[int, dict[str, Any]] = {}
        self._json: dict[int, bytes] = {}
        self._listing: bytes | None = b"[]"

    def __len__(self) -> int:
        return len(self._heroes)

    def recruit(self, paperwork: CreateHero) -> bytes:
        """Add a hero; returns the new hero's JSON."""
        if len(self._heroes) >= self._max:
            raise RosterFull("the roster is full", {"limit": self._max})
        # The paperwork is validated already: construct without validating it a second time,
        # and serialise the plain fields straight to JSON (this is HQ's hottest write path).
        fields: dict[str, Any] = {
            "id": len(self._heroes) + 1,
            "name": paperwork.name,
            "power": paperwork.power,
            "wattage": paperwork.wattage,
        }
        body = to_json(fields)
        hero_id: int = fields["id"]
        self._heroes[hero_id] = fields
        self._json[hero_id] = body
        self._listing = None  # rebuilt lazily: many recruits in a row cost one join, not many
        return body

    def get(self, hero_id: int) -> Hero:
        try:
            return Hero.model_construct(**self._heroes[hero_id])
        except KeyError:
            raise HeroNotFound(hero_id) from None

    def get_json(self, hero_id: int) -> bytes:
        try:
            return self._json[hero_id]
        except KeyError:
            raise HeroNotFound(hero_id) from None

    def listing_json(self) -> bytes:
        """The whole roster as a JSON array, joined from per-hero JSON, cached until it changes."""
        if self._listing is None:
            self._listing = b"[" + b",".join(self._json.values()) + b"]"
        return self._listing
