"""The app factory: build_app() wires a fresh, isolated Hero HQ; `app` is what uvicorn serves."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from hero_hq import handlers
from hero_hq.doors import ROUTES
from hero_hq.errors import HQError
from hero_hq.routing import TrailingSlashFolding
from hero_hq.sessions import SessionSigner
from hero_hq.settings import Settings
from hero_hq.state import HQState, StoreUnreachable, refusal
from hero_hq.store import StoreUnavailable

log = logging.getLogger("hero_hq")

MIDDLEWARE = [Middleware(TrailingSlashFolding)]

EXCEPTION_HANDLERS = {
    HQError: handlers.hq_error,
    StoreUnavailable: handlers.store_unavailable,
    HTTPException: handlers.http_error,
    Exception: handlers.internal_error,
}


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    state: HQState = app.state.hq
    state.store_reachable = await state.store.reachable()
    if not state.store_reachable and state.settings.production:
        reason = refusal(state.store.kind)
        log.error(reason)
        await state.store.close()
        raise StoreUnreachable(reason)
    if state.store_reachable and "session_secret" not in state.settings.model_fields_set:
        # Development without HQ_SESSION_SECRET: every desk signs passes with the random secret
        # the first desk chose, so a pass is good at every desk (production always sets one).
        secret = await state.store.claim("dev-session-secret", state.settings.session_secret)
        state.signer = SessionSigner(secret)
    try:
        # asyncio's own task group, not anyio's: HQ runs only on asyncio (its Redis client does),
        # and anyio's cost more than doubled the lifespan of an app built per scenario.
        async with asyncio.TaskGroup() as tasks:
            # Comms are relayed through the store: every desk hears what is said at any desk.
            relaying = asyncio.Event()
            relay = tasks.create_task(state.hub.relay(on_ready=relaying.set))
            keeping = tasks.create_task(state.hub.keep_places())
            await relaying.wait()
            state.grid.powered = True
            try:
                yield
            finally:
                state.hub.room.close_all()
                state.grid.powered = False
                relay.cancel()
                keeping.cancel()
    finally:
        await state.store.close()


def build_app(settings: Settings | None = None) -> Starlette:
    """A fresh HQ with its own roster, sessions, mission log, comms room and grid."""
    app = Starlette(
        routes=ROUTES,
        middleware=MIDDLEWARE,
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.router.redirect_slashes = (
        False  # TrailingSlashFolding serves every spelling; never redirect
    )
    app.state.hq = HQState.fresh(settings or Settings.from_env())
    return app


def __getattr__(name: str) -> Starlette:
    # `uvicorn hero_hq.main:app` builds the served app on first access, so importing
    # build_app (as the specification does per scenario) never reads the environment.
    if name == "app":
        served = build_app()
        globals()["app"] = served
        return served
    raise AttributeError(name)
