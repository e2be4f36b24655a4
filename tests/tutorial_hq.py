"""The tutorial's original Hero HQ, as a test double: its codes and bodies as the reference records.

/work/shared/reference/hero-hq-original.md (its sections are cited below) records what the original
app answered. This double answers the same, so running the specification against it shows which
scenarios go beyond the tutorial: exactly those tagged @beyond-tutorial must fail.
`build_app` is the factory `--hq-app tests.tutorial_hq:build_app` builds each scenario's HQ with.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

BADGE = "hq-badge-007"  # the tutorial's only valid badge (section 8.2)
COOKIE = "lauren_session"
SECRET = b"the tutorial's published secret"
SENT_PATH = "tutorial.sent_path"  # the scope key keeping the path as the client sent it
BODY_LIMIT = 1024 * 1024  # section 2: over 1 MiB is a 422, not a 413
FEED = [
    ("status", "all quiet on sector 1"),
    ("status", "all quiet on sector 2"),
    ("status", "all quiet on sector 3"),
    ("close", "stand down"),
]


class CreateHero(BaseModel):
    """The paperwork a hero files to join HQ (lax, as in the tutorial: "9001" and true pass)."""

    name: str
    power: str
    wattage: int


class LoginBody(BaseModel):
    hero_id: int


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Compact JSON, raw UTF-8, no charset: every answer of the original (section 1)."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text.encode(), status, headers, media_type="application/json")


def _error(status: int, code: str, message: str, detail: dict[str, Any] | None = None) -> Response:
    return _json({"error": {"code": code, "message": message, "detail": detail or {}}}, status)


class Extractor(Exception):
    """A 422 from parameter or body extraction."""

    def __init__(self, response: Response) -> None:
        self.response = response


async def _body(request: Request, model: type[BaseModel]) -> Any:
    raw = await request.body()
    if len(raw) > BODY_LIMIT:
        detail = {"field": "body", "source": "json"}
        message = f"failed to extract 'body': body exceeds {BODY_LIMIT} bytes"
        raise Extractor(_error(422, "extractor_error", message, detail))
    if not raw:
        raise Extractor(
            _error(422, "extractor_field_error", "missing JSON body", {"field": "body"})
        )
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        message = f"invalid JSON: {error}"
        raise Extractor(_error(422, "extractor_error", message, {"field": "body"})) from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        # Section 2: each error is the str() of pydantic's error dict, url included.
        errors = [str(dict(e)) for e in error.errors()]
        detail = {"field": "body", "errors": errors}
        raise Extractor(
            _error(422, "extractor_error", "Validation failed for field 'body'", detail)
        ) from None


class Tutorial:
    """One app's state: roster, sessions, mission log, comms room and grid."""

    def __init__(self) -> None:
        self.heroes: dict[int, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.log: list[str] = []
        self.room: list[WebSocket] = []
        self.grid = SimpleNamespace(powered=False)

    # Roster (section 2) ---------------------------------------------------------------------
    async def recruit(self, request: Request) -> Response:
        if request.headers.get("x-hq-badge") != BADGE:
            hint = {"hint": "send a valid X-HQ-Badge header"}
            return _error(403, "villain_detected", "halt! that is not a valid HQ badge", hint)
        paperwork = await _body(request, CreateHero)
        hero = {"id": len(self.heroes) + 1, **paperwork.model_dump()}
        self.heroes[hero["id"]] = hero
        return _json(hero, 201)

    async def roster(self, request: Request) -> Response:
        return _json(list(self.heroes.values()))

    async def hero(self, request: Request) -> Response:
        written = request.path_params["id"]
        try:
            number = int(written)
        except ValueError:
            message = f"invalid literal for int() with base 10: '{written}'"
            return _error(422, "extractor_field_error", message)
        if number not in self.heroes:
            return _error(404, "hero_not_found", "no such hero", {"id": number})
        return _json(self.heroes[number])

    # Sessions (section 3) -------------------------------------------------------------------
    def _session_id(self, request: Request) -> str | None:
        value = request.cookies.get(COOKIE, "")
        session_id, _, signature = value.rpartition(".")
        if not session_id or not hmac.compare_digest(signature, _sign(session_id)):
            return None
        return session_id if session_id in self.sessions else None

    async def whoami(self, request: Request) -> Response:
        session_id = self._session_id(request)
        if session_id is None:
            return _json({"identified": False})
        return _json({"identified": True, **self.sessions[session_id]})

    async def login(self, request: Request) -> Response:
        body = await _body(request, LoginBody)
        hero = self.heroes.get(body.hero_id)
        if hero is None:
            detail = {"hero_id": body.hero_id}
            return _error(401, "unauthorized", "no such hero to log in as", detail)
        old = self._session_id(request)
        if old is not None:
            del self.sessions[old]
        session_id = secrets.token_urlsafe(32)
        self.sessions[session_id] = {"hero_id": hero["id"], "name": hero["name"]}
        cookie = f"{session_id}.{_sign(session_id)}; Max-Age=1209600"
        return _json({"welcome": hero["name"]}, headers=_cookie(cookie))

    async def logout(self, request: Request) -> Response:
        session_id = self._session_id(request)
        if session_id is not None:
            del self.sessions[session_id]
        return _json({"farewell": True}, headers=_cookie("; Max-Age=0"))

    # Missions (sections 4 and 5) ------------------------------------------------------------
    async def feed(self, request: Request) -> Response:
        async def events() -> AsyncIterator[bytes]:
            for event, data in FEED:
                yield f"event: {event}\ndata: {data}\n\n".encode()

        headers = {
            "cache-control": "no-cache",
            "connection": "keep-alive",
            "x-accel-buffering": "no",
        }
        return StreamingResponse(
            events(), headers=headers, media_type="text/event-stream; charset=utf-8"
        )

    async def dispatch(self, request: Request) -> Response:
        heroes = request.query_params.getlist("hero")
        if not heroes:
            message = "missing query parameter 'hero'"
            return _error(422, "extractor_field_error", message, {"field": "hero"})
        self.log.append(heroes[0])
        return _json({"dispatched": heroes[0]}, 202)

    async def mission_log(self, request: Request) -> Response:
        return _json({"dispatched": self.log})

    # Operations (section 7) -----------------------------------------------------------------
    async def status(self, request: Request) -> Response:
        if self.grid.powered:
            return _json({"hq": "online", "grid": True})
        return _json({"hq": "warming up", "grid": False})

    async def openapi(self, request: Request) -> Response:
        ok = {"200": {"description": "Success"}}
        paths: dict[str, Any] = {
            "/heroes": {"get": {"responses": ok}, "post": {"responses": ok}},
            "/heroes/{id}": {"get": {"responses": ok}},
            "/me": {"get": {"responses": ok}},
            "/me/login": {"post": {"responses": ok}},
            "/me/logout": {"post": {"responses": ok}},
            "/missions/feed": {"get": {"responses": ok}},
            "/missions/dispatch": {"post": {"responses": ok}},
            "/missions/log": {"get": {"responses": ok}},
            "/status": {"get": {"responses": ok}},
        }
        info = {"title": "lauren application", "version": "1.0.0"}
        return _json({"openapi": "3.1.0", "info": info, "paths": paths, "components": {}})

    async def docs(self, request: Request) -> Response:
        page = (
            "<!doctype html><title>API — Swagger UI</title><div id=swagger-ui></div>"
            '<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js">'
            '</script><script>SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"})'
            "</script>"
        )
        return Response(page, media_type="text/html; charset=utf-8")

    # Comms (section 6) ----------------------------------------------------------------------
    async def comms(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.room.append(websocket)
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                reply = _chat_or_error(message)
                if "chat" in reply:
                    for member in list(self.room):
                        await member.send_text(_compact(reply))
                else:
                    await websocket.send_text(_compact(reply))
        except WebSocketDisconnect:
            pass
        finally:
            self.room.remove(websocket)


def _sign(session_id: str) -> str:
    return hmac.new(SECRET, session_id.encode(), hashlib.sha256).hexdigest()


def _cookie(value: str) -> dict[str, str]:
    return {"set-cookie": f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"}


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _ws_error(message: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {"error": {"code": "websocket_validation_error", "message": message, "detail": detail}}


def _chat_or_error(message: dict[str, Any]) -> dict[str, Any]:
    """The broadcast a frame asks for, or the error its sender alone is told (section 6)."""
    text = message.get("text")
    if text is None:
        return _ws_error("no handler for binary frames", {"size": len(message.get("bytes") or b"")})
    try:
        frame = json.loads(text)
    except json.JSONDecodeError as error:
        return _ws_error(f"invalid JSON frame: {error}", {"fragment": text[:120]})
    if not isinstance(frame, dict):
        kind = type(frame).__name__
        return _ws_error("frame must be a JSON object with an 'event' field", {"received": kind})
    event = frame.get("event")
    if not isinstance(event, str):
        return _ws_error("frame missing required 'event' field", {"frame_keys": list(frame)})
    if event != "chat":
        detail = {"event": event, "known": ["chat"]}
        return _ws_error(f"no handler for event '{event}'", detail)
    payload = frame.get("data", frame)
    if not isinstance(payload, dict):
        errors = [{"type": "dict_type", "loc": [], "msg": "Input should be a valid dictionary"}]
        return _ws_error("validation error", {"event": event, "errors": errors})
    return {"chat": payload.get("text", "")}


class TrailingSlashFolding:
    """Trailing slashes do not matter (section 1); messages still echo the path as it was sent."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in {"http", "websocket"} and scope["path"] != "/":
            sent = scope["path"]
            scope = {**scope, "path": sent.rstrip("/") or "/", SENT_PATH: sent}
        await self.app(scope, receive, send)


def _sent_path(request: Request) -> str:
    return str(request.scope.get(SENT_PATH, request.url.path))


def build_app() -> Starlette:
    """A fresh tutorial HQ (the tutorial had no settings)."""
    hq = Tutorial()

    def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except Extractor as refusal:
                return refusal.response

        return endpoint

    async def roster(request: Request) -> Response:
        return await (hq.recruit(request) if request.method == "POST" else hq.roster(request))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hq.grid.powered = True
        yield
        hq.grid.powered = False

    routes = [
        Route("/heroes", guarded(roster), methods=["GET", "POST"]),
        Route("/heroes/{id}", guarded(hq.hero), methods=["GET"]),
        Route("/me", guarded(hq.whoami), methods=["GET"]),
        Route("/me/login", guarded(hq.login), methods=["POST"]),
        Route("/me/logout", guarded(hq.logout), methods=["POST"]),
        Route("/missions/feed", hq.feed, methods=["GET"]),
        Route("/missions/dispatch", guarded(hq.dispatch), methods=["POST"]),
        Route("/missions/log", hq.mission_log, methods=["GET"]),
        Route("/status", hq.status, methods=["GET"]),
        Route("/openapi.json", hq.openapi, methods=["GET"]),
        Route("/docs", hq.docs, methods=["GET"]),
        WebSocketRoute("/comms", hq.comms),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TrailingSlashFolding)],
        exception_handlers={404: _not_found, 405: _not_allowed},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    app.state.hq = SimpleNamespace(grid=hq.grid)  # what the lifecycle scenarios inspect
    return app


async def _not_found(request: Request, exc: Exception) -> Response:
    message = f"No route matches {request.method} {_sent_path(request)}"
    return _error(404, "route_not_found", message)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    allow = [m for m in getattr(exc, "headers", {}).get("Allow", "").split(", ") if m != "HEAD"]
    message = f"{request.method} not allowed for {_sent_path(request)}"
    response = _error(405, "method_not_allowed", message, {"allow": allow})
    response.headers["allow"] = ", ".join(allow)
    return response
