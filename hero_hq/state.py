"""Per-app state: each build_app() has its own store, and roster, sessions, log and comms on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import HTTPConnection

from hero_hq.comms_hub import Hub
from hero_hq.mission_log import MissionLog
from hero_hq.rates import ClientRates
from hero_hq.roster import Roster
from hero_hq.sessions import SessionSigner, SessionStore
from hero_hq.settings import Settings, SettingsError
from hero_hq.store import MemoryStore, Store


@dataclass
class Grid:
    """HQ's power grid: on between lifespan startup and shutdown."""

    powered: bool = False


def open_store(settings: Settings) -> Store:
    """In memory unless HQ_REDIS_URL names a Redis shared with other desks."""
    if settings.redis_url is None:
        return MemoryStore()
    from hero_hq.store.redis import RedisStore  # only a desk of a cluster pays for importing it

    return RedisStore(settings.redis_url, settings.redis_namespace)


class StoreUnreachable(SettingsError):
    """In production, HQ will not serve without the store its settings name."""


def refusal(kind: str) -> str:
    return f"HQ_ENV=production: the {kind} store does not answer; refusing to start"


def require_store(settings: Settings) -> None:
    """In production, refuse to start when HQ_REDIS_URL names a Redis that does not answer."""
    if settings.production and settings.redis_url is not None:
        from hero_hq.store.redis import answers

        problem = answers(settings.redis_url)
        if problem is not None:
            raise StoreUnreachable(f"{refusal('redis')} (HQ_REDIS_URL: {problem})")


@dataclass
class HQState:
    settings: Settings
    store: Store
    roster: Roster
    sessions: SessionStore
    signer: SessionSigner
    mission_log: MissionLog
    hub: Hub
    rates: ClientRates
    grid: Grid = field(default_factory=Grid)
    store_reachable: bool | None = None  # as last found at startup or at /status/

    @classmethod
    def fresh(cls, settings: Settings, store: Store | None = None) -> HQState:
        store = store or open_store(settings)
        return cls(
            settings=settings,
            store=store,
            roster=Roster(store, settings.roster_max),
            sessions=SessionStore(
                store, idle_seconds=settings.session_idle_seconds, max_sessions=settings.session_max
            ),
            signer=SessionSigner(settings.session_secret),
            # Bounded: past the cap the oldest entries make way (documented in the README).
            mission_log=MissionLog(store, settings.mission_log_max),
            hub=Hub(store, settings.comms_max_clients),
            rates=ClientRates.from_settings(settings, store),
        )


def hq_state(connection: HTTPConnection) -> HQState:
    """The state of the app serving this request or WebSocket."""
    state: HQState = connection.app.state.hq
    return state
