"""Per-app state: each build_app() has its own roster, sessions, mission log, room and grid."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection

from hero_hq.comms_room import Room
from hero_hq.roster import Roster
from hero_hq.sessions import SessionSigner, SessionStore
from hero_hq.settings import Settings


@dataclass
class Grid:
    """HQ's power grid: on between lifespan startup and shutdown."""

    powered: bool = False


@dataclass
class HQState:
    settings: Settings
    roster: Roster
    sessions: SessionStore
    signer: SessionSigner
    mission_log: deque[str]
    room: Room
    grid: Grid = field(default_factory=Grid)

    @classmethod
    def fresh(cls, settings: Settings) -> HQState:
        return cls(
            settings=settings,
            roster=Roster(settings.roster_max),
            sessions=SessionStore(
                idle_seconds=settings.session_idle_seconds, max_sessions=settings.session_max
            ),
            signer=SessionSigner(settings.session_secret),
            # Bounded: past the cap the oldest entries make way (documented in the README).
            mission_log=deque(maxlen=settings.mission_log_max),
            room=Room(settings.comms_max_clients),
        )


def hq_state(connection: HTTPConnection) -> HQState:
    """The state of the app serving this request or WebSocket."""
    state: HQState = connection.app.state.hq
    return state
