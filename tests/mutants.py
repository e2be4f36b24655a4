"""Deliberately broken HQs ("mutants"), applied by name from HQ_MUTANT: does the spec notice?

Loaded as a pytest plugin (`-p tests.mutants`) by tests/test_spec_pins_behaviour.py; with no
HQ_MUTANT set it changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from hero_hq import comms, errors, guard, identity, missions, operations, roster, sessions
from hero_hq.responses import json_response


def _guard_lets_everyone_in(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(guard, "badge_is_valid", lambda presented, badges: True)


def _badge_case_ignored(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(
        guard,
        "badge_is_valid",
        lambda presented, badges: (
            presented is not None and presented.lower() in [b.lower() for b in badges]
        ),
    )


def _logout_keeps_session(mp: pytest.MonkeyPatch) -> None:
    async def keep(self: sessions.SessionStore, session_id: str) -> None:
        return None

    mp.setattr(sessions.SessionStore, "delete", keep)


def _roster_reversed(mp: pytest.MonkeyPatch) -> None:
    original = roster.Roster.listing_json

    async def reversed_listing(self: roster.Roster) -> bytes:
        await original(self)
        return b"[" + b",".join(reversed(self._json)) + b"]"

    mp.setattr(roster.Roster, "listing_json", reversed_listing)


def _feed_loses_close(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(missions, "FEED_EVENTS", missions.FEED_EVENTS[:-1])


def _feed_loses_sector(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(missions, "FEED_EVENTS", missions.FEED_EVENTS[:1] + missions.FEED_EVENTS[2:])


def _broadcast(skip: Callable[[Any, Any], bool]) -> Callable[..., Any]:
    async def listen(websocket: Any, hub: Any, member: Any) -> None:
        room = hub.room
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            try:
                frame = comms.parse_frame(message.get("text") or "")
            except comms.FrameError as error:
                room.tell(member, error.frame)
                continue
            for other in list(room._members):
                if not skip(other, member):
                    room.tell(other, frame)

    return listen


def _broadcast_skips_sender(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(comms, "_listen", _broadcast(lambda other, sender: other is sender))


def _broadcast_only_to_sender(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(comms, "_listen", _broadcast(lambda other, sender: other is not sender))


def _dispatch_not_recorded(mp: pytest.MonkeyPatch) -> None:
    async def forget(log: Any, hero: str) -> None:
        return None

    mp.setattr(missions, "_record", forget)


def _status_lies(mp: pytest.MonkeyPatch) -> None:
    async def always_online(request: Any) -> Any:
        return json_response({"hq": "online", "grid": True})

    mp.setattr(operations.status, "__code__", always_online.__code__)


def _hero_not_found_reworded(mp: pytest.MonkeyPatch) -> None:
    original = errors.HeroNotFound.__init__

    def reworded(self: errors.HeroNotFound, hero_id: int) -> None:
        original(self, hero_id)
        self.message = "hero missing"

    mp.setattr(errors.HeroNotFound, "__init__", reworded)


def _villain_code_changed(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(errors.VillainDetected, "code", "forbidden")


def _unauthorized_detail_dropped(mp: pytest.MonkeyPatch) -> None:
    original = errors.Unauthorized.__init__

    def no_detail(self: errors.Unauthorized, message: str, detail: Any = None, **kw: Any) -> None:
        original(self, message, {}, **kw)

    mp.setattr(errors.Unauthorized, "__init__", no_detail)


def _login_without_rotation(mp: pytest.MonkeyPatch) -> None:
    async def no_session(request: Any, state: Any) -> None:
        return None

    mp.setattr(identity, "current_session_id", no_session)


MUTANTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "guard lets everyone in": _guard_lets_everyone_in,
    "badge compared ignoring case": _badge_case_ignored,
    "logout does not revoke": _logout_keeps_session,
    "roster out of order": _roster_reversed,
    "feed loses its close event": _feed_loses_close,
    "feed loses a sector": _feed_loses_sector,
    "broadcast skips the sender": _broadcast_skips_sender,
    "broadcast skips everyone else": _broadcast_only_to_sender,
    "dispatch not recorded": _dispatch_not_recorded,
    "status lies": _status_lies,
    "hero_not_found message changed": _hero_not_found_reworded,
    "villain_detected code changed": _villain_code_changed,
    "unauthorized detail dropped": _unauthorized_detail_dropped,
    "login keeps the old session": _login_without_rotation,
}


def pytest_configure(config: pytest.Config) -> None:
    name = os.environ.get("HQ_MUTANT")
    if name:
        patcher = pytest.MonkeyPatch()
        MUTANTS[name](patcher)
        config.add_cleanup(patcher.undo)
