"""HQ's doors, listed once: Starlette's routes and the OpenAPI paths both derive from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute, Route, WebSocketRoute

from hero_hq import comms, heroes, identity, missions, operations


@dataclass(frozen=True)
class Door:
    """One address of HQ, spelled as its contract documents it; no methods means a WebSocket."""

    path: str
    endpoint: Callable[..., Any]
    methods: tuple[str, ...] = ()

    @property
    def websocket(self) -> bool:
        return not self.methods

    def route(self) -> BaseRoute:
        # Served without the trailing slash, which TrailingSlashFolding makes optional.
        served = self.path.rstrip("/") or "/"
        if self.websocket:
            return WebSocketRoute(served, self.endpoint)
        return Route(served, self.endpoint, methods=list(self.methods))


DOORS = (
    Door("/heroes/", heroes.roster, ("GET", "POST")),  # one route: a 405 names every method
    Door("/heroes/{id}", heroes.get_hero, ("GET",)),
    Door("/me/", identity.whoami, ("GET",)),
    Door("/me/login", identity.login, ("POST",)),
    Door("/me/logout", identity.logout, ("POST",)),
    Door("/missions/feed", missions.feed, ("GET",)),
    Door("/missions/dispatch", missions.dispatch, ("POST",)),
    Door("/missions/log", missions.mission_log, ("GET",)),
    Door("/status/", operations.status, ("GET",)),
    Door("/openapi.json", operations.openapi, ("GET",)),
    Door("/docs", operations.docs, ("GET",)),
    Door("/comms", comms.comms_endpoint),
)

ROUTES: list[BaseRoute] = [door.route() for door in DOORS]
