"""Response shapes HQ documents in its OpenAPI document (the request models live in models.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """What went wrong: a stable code, a plain message, and structured detail."""

    code: str
    message: str
    detail: dict[str, Any]


class ErrorEnvelope(BaseModel):
    """The one shape of every HQ error."""

    error: ErrorBody


class Welcome(BaseModel):
    welcome: str


class Identity(BaseModel):
    """Who the session cookie belongs to; hero_id and name only when identified."""

    identified: bool
    hero_id: int | None = None
    name: str | None = None


class Farewell(BaseModel):
    farewell: Literal[True]


class Dispatched(BaseModel):
    dispatched: str


class MissionLog(BaseModel):
    dispatched: list[str]


class Store(BaseModel):
    """Where HQ keeps its state, and whether it answered just now."""

    kind: Literal["memory", "redis"]
    reachable: bool


class Status(BaseModel):
    hq: Literal["online", "warming up"]
    grid: bool
    store: Store


class ChatFrame(BaseModel):
    """A frame a client sends on /comms."""

    event: Literal["chat"]
    text: str


class ChatBroadcast(BaseModel):
    """A frame every client on /comms receives."""

    chat: str
