"""HQ's OpenAPI 3.1 document, written to tell the truth about every route HQ serves."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from hero_hq import schemas
from hero_hq.identity import COOKIE_NAME
from hero_hq.models import CreateHero, Hero, Label, LoginBody

_MODELS: list[type[BaseModel]] = [
    CreateHero,
    Hero,
    LoginBody,
    schemas.ErrorEnvelope,
    schemas.Welcome,
    schemas.Identity,
    schemas.Farewell,
    schemas.Dispatched,
    schemas.MissionLog,
    schemas.Status,
    schemas.ChatFrame,
    schemas.ChatBroadcast,
]

_ERRORS = {
    "401": "No hero with that id to log in as (`unauthorized`).",
    "403": "Missing or wrong X-HQ-Badge (`villain_detected`).",
    "404": "No such hero (`hero_not_found`).",
    "409": "The roster is full (`roster_full`).",
    "413": "The body exceeds 64 KiB (`payload_too_large`).",
    "415": "The body is not application/json (`unsupported_media_type`).",
    "422": "Bad paperwork (`validation_error`) or a body that is not JSON (`invalid_json`).",
    "429": "Too many from this client (`too_many_requests`); the Retry-After header says when "
    "to try again.",
    "500": "Something went wrong inside HQ (`internal_error`); no internals are shown.",
    "503": "HQ cannot reach its store (Redis) just now (`store_unavailable`); retry shortly.",
}


# One server-sent event of the status feed (tools that read SSE validate each event against it).
_FEED_EVENT = {
    "type": "object",
    "properties": {"event": {"enum": ["status", "close"]}, "data": {"type": "string"}},
    "required": ["event", "data"],
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(
    summary: str,
    tag: str,
    ok: tuple[str, dict[str, Any]],
    errors: tuple[str, ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    status, response = ok
    responses = {status: response}
    for code in (*errors, "500"):
        responses[code] = _json(_ref("ErrorEnvelope"), _ERRORS[code])
    operation_id = summary.lower().replace(" ", "_").replace("'", "")
    return {
        "summary": summary,
        "operationId": operation_id,
        "tags": [tag],
        **extra,
        "responses": responses,
    }


def _json_body(model: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(model)}}}


def _operations() -> dict[str, dict[str, Any]]:
    """What each door's methods do, keyed by the path as hero_hq.doors spells it."""
    hero_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    }
    hero_name = {
        "name": "hero",
        "in": "query",
        "required": True,
        "schema": TypeAdapter(Label).json_schema(),
    }
    set_cookie = {"Set-Cookie": {"description": COOKIE_NAME, "schema": {"type": "string"}}}
    return {
        "/heroes/": {
            "get": _operation(
                "List heroes",
                "roster",
                (
                    "200",
                    _json({"type": "array", "items": _ref("Hero")}, "The roster, oldest first."),
                ),
                ("503",),
            ),
            "post": _operation(
                "Recruit a hero",
                "roster",
                ("201", _json(_ref("Hero"), "Recruited.")),
                ("403", "409", "413", "415", "422", "503"),
                requestBody=_json_body("CreateHero"),
                security=[{"badge": []}],
            ),
        },
        "/heroes/{id}": {
            "get": _operation(
                "Get a hero",
                "roster",
                ("200", _json(_ref("Hero"), "The hero.")),
                ("404", "422", "503"),
                parameters=[hero_id],
            ),
        },
        "/me/": {
            "get": _operation(
                "Who am I",
                "identity",
                ("200", _json(_ref("Identity"), "The session's hero, if any.")),
                ("503",),
                security=[{}, {"session": []}],
            ),
        },
        "/me/login": {
            "post": _operation(
                "Log in",
                "identity",
                (
                    "200",
                    {
                        **_json(_ref("Welcome"), "Logged in; a fresh session cookie is set."),
                        "headers": set_cookie,
                    },
                ),
                ("401", "413", "415", "422", "429", "503"),
                requestBody=_json_body("LoginBody"),
            ),
        },
        "/me/logout": {
            "post": _operation(
                "Log out",
                "identity",
                (
                    "200",
                    {
                        **_json(_ref("Farewell"), "The session is revoked and the cookie expired."),
                        "headers": set_cookie,
                    },
                ),
                ("503",),
                security=[{}, {"session": []}],
            ),
        },
        "/missions/feed": {
            "get": _operation(
                "Status feed",
                "missions",
                (
                    "200",
                    {
                        "description": "Server-sent events: three `status` events, then `close`.",
                        "content": {"text/event-stream": {"schema": _FEED_EVENT}},
                    },
                ),
            ),
        },
        "/missions/dispatch": {
            "post": _operation(
                "Dispatch a hero",
                "missions",
                ("202", _json(_ref("Dispatched"), "Accepted, and already in the mission log.")),
                ("422", "429", "503"),
                parameters=[hero_name],
            ),
        },
        "/missions/log": {
            "get": _operation(
                "Mission log",
                "missions",
                ("200", _json(_ref("MissionLog"), "Dispatches so far, oldest first.")),
                ("503",),
            ),
        },
        "/status/": {
            "get": _operation(
                "HQ status", "operations", ("200", _json(_ref("Status"), "Whether HQ is online."))
            ),
        },
        "/openapi.json": {
            "get": _operation(
                "API document", "operations", ("200", _json({"type": "object"}, "This document."))
            ),
        },
        "/docs": {
            "get": _operation(
                "API page",
                "operations",
                (
                    "200",
                    {
                        "description": "A human-readable page of this document; works offline.",
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    },
                ),
            ),
        },
    }


if TYPE_CHECKING:
    from hero_hq.doors import Door

_COMMS: dict[str, Any] = {
    "path": "/comms",
    "description": (
        'WebSocket. Send text frames `{"event":"chat","text":"..."}`; every connected client,'
        ' the sender included, receives `{"chat":"..."}`. A bad frame gets an error frame'
        " (`websocket_validation_error`, in the error envelope) sent to the sender only, and the"
        " connection stays open. Past the sender's chat rate, a `too_many_requests` error frame"
        " instead of a broadcast. Past the client limit (counted across every desk), a"
        " `comms_full` frame and close code 1013. When HQ cannot reach its store, a"
        " `store_unavailable` frame, then close code 1013 for a newcomer (try again later) or"
        " 1011 for a client that was connected."
    ),
    "send": _ref("ChatFrame"),
    "receive": {"oneOf": [_ref("ChatBroadcast"), _ref("ErrorEnvelope")]},
}


class UndocumentedDoor(RuntimeError):
    """A door HQ serves without documenting it, or documents without serving it."""


def paths_of(doors: Sequence[Door]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document's paths and WebSockets, one for each of HQ's doors and nothing else."""
    documented = _operations()
    paths: dict[str, Any] = {}
    websockets: dict[str, Any] = {}
    for door in doors:
        if door.websocket:
            websockets[door.path] = _COMMS
            continue
        operations = documented.pop(door.path, {})
        missing = [m for m in door.methods if m.lower() not in operations]
        if missing:
            raise UndocumentedDoor(f"{' and '.join(missing)} {door.path} is served, not documented")
        paths[door.path] = {m.lower(): operations[m.lower()] for m in door.methods}
    if documented:
        raise UndocumentedDoor(f"{', '.join(documented)} documented, but HQ has no such door")
    return paths, websockets


@cache
def openapi_document() -> dict[str, Any]:
    """The document, built once per process: it depends on code, not on any app's state."""
    # Imported here: one of HQ's doors is the one that serves this document.
    from hero_hq.doors import DOORS

    paths, websockets = paths_of(DOORS)
    _, definitions = models_json_schema(
        [(model, "validation") for model in _MODELS], ref_template="#/components/schemas/{model}"
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hero HQ",
            "version": "1.0.0",
            "description": "Recruit heroes, dispatch them, and keep in touch. "
            + _COMMS["description"],
        },
        "paths": paths,
        "components": {
            "schemas": definitions["$defs"],
            "securitySchemes": {
                "badge": {"type": "apiKey", "in": "header", "name": "X-HQ-Badge"},
                "session": {"type": "apiKey", "in": "cookie", "name": COOKIE_NAME},
            },
        },
        "tags": [{"name": n} for n in ("roster", "identity", "missions", "operations")],
        "x-websockets": websockets,
    }
