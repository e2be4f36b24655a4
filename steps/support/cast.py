"""The cast: named actors, each with its own badge, passes, comms link and what HQ told them."""

from __future__ import annotations

from dataclasses import dataclass, field

from hq_spec.mismatch import Mismatch
from steps.support.connection import CommsLink, Exchange, FeedReading

# Every persona's standard paperwork, so "Volt has joined the roster" needs no table.
PERSONAS: dict[str, tuple[str, int]] = {
    "Volt": ("lightning", 9001),
    "Tide": ("water", 7000),
    "Gale": ("wind", 4200),
    "Ember": ("fire", 3300),
    "Sneaky": ("stealth", 1),
}
# The badge the quartermaster carries: the tutorial's published development badge. A server
# configured with other badges is told which one to carry with --hq-badge.
QUARTERMASTER_BADGE = "hq-badge-007"
# The name under which HQ hands out a pass (written here once; every step reads it from here).
PASS_NAME = "lauren_session"  # noqa: S105 - a name, not a secret


@dataclass
class Actor:
    """Someone in a scenario; nothing of theirs is ever sent on another actor's behalf."""

    name: str
    badges: list[str] = field(default_factory=list)  # X-HQ-Badge headers, in order
    passes: list[str] = field(default_factory=list)  # every session pass HQ issued, newest last
    current_pass: str | None = None
    link: CommsLink | None = None
    last_answer: Exchange | None = None  # HQ's answer to this actor's latest request
    feed_reading: FeedReading | None = None  # what this actor heard on the status feed

    def cookie_header(self, session_pass: str | None = None) -> list[tuple[str, str]]:
        value = session_pass if session_pass is not None else self.current_pass
        return [("cookie", f"{PASS_NAME}={value}")] if value else []

    def badge_headers(self) -> list[tuple[str, str]]:
        return [("x-hq-badge", badge) for badge in self.badges]

    def take_pass(self, set_cookie_headers: list[str]) -> None:
        """Keep what HQ's Set-Cookie says: a new pass, or an expired one that means none."""
        for header in set_cookie_headers:
            name, _, rest = header.partition("=")
            if name.strip() != PASS_NAME:
                continue
            value = rest.split(";", 1)[0]
            expired = "max-age=0" in header.lower().replace(" ", "")
            if expired or not value:
                self.current_pass = None
            else:
                self.current_pass = value
                self.passes.append(value)


class Cast:
    """Actors by name, introduced on first mention; the anonymous visitor is one of them."""

    def __init__(self, valid_badge: str) -> None:
        self.valid_badge = valid_badge
        self._actors: dict[str, Actor] = {}

    def __getitem__(self, name: str) -> Actor:
        """The actor of this name, introduced into the scenario if this is their first mention."""
        name = normalise_name(name)
        if name not in self._actors:
            actor = Actor(name)
            if name == "the quartermaster":
                actor.badges.append(self.valid_badge)
            self._actors[name] = actor
        return self._actors[name]

    def seen(self, name: str) -> Actor:
        """An actor an earlier step introduced: a Then step may only speak of those."""
        actor = self._actors.get(normalise_name(name))
        if actor is None:
            raise Mismatch(
                f"{name} to have taken part in this scenario",
                f"no earlier step mentions {name}",
            )
        return actor

    def all(self) -> list[Actor]:
        return list(self._actors.values())


def normalise_name(name: str) -> str:
    """'the Quartermaster', 'an anonymous visitor' and 'a visitor' name the same actors."""
    lowered = name.strip().lower()
    if lowered in {"the quartermaster", "quartermaster"}:
        return "the quartermaster"
    if lowered in {"a visitor", "an anonymous visitor", "the visitor", "the anonymous visitor"}:
        return "an anonymous visitor"
    return name.strip()


def split_names(names: str) -> list[str]:
    """'Volt, Tide and Gale' -> ['Volt', 'Tide', 'Gale']."""
    parts = names.replace(" and ", ", ").split(",")
    return [part.strip() for part in parts if part.strip()]
