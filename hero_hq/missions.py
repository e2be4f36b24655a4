"""Mission control: the status feed (SSE), dispatching heroes in the background, the mission log."""

from __future__ import annotations

from collections.abc import AsyncIterator

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from hero_hq.bodies import plain_errors
from hero_hq.errors import ValidationFailed
from hero_hq.mission_log import MissionLog
from hero_hq.models import DispatchOrder
from hero_hq.rates import spend
from hero_hq.responses import json_response, raw_json_response
from hero_hq.state import hq_state

FEED_EVENTS = (
    ("status", "all quiet on sector 1"),
    ("status", "all quiet on sector 2"),
    ("status", "all quiet on sector 3"),
    ("close", "stand down"),
)
FEED_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


def sse_event(event: str, data: str) -> bytes:
    return f"event: {event}\ndata: {data}\n\n".encode()


async def _feed_events() -> AsyncIterator[bytes]:
    for event, data in FEED_EVENTS:
        yield sse_event(event, data)  # each event is its own chunk, flushed as produced


async def feed(request: Request) -> Response:
    return StreamingResponse(_feed_events(), media_type="text/event-stream", headers=FEED_HEADERS)


def _hero_to_dispatch(request: Request) -> str:
    names = request.query_params.getlist("hero")
    if not names:
        raise ValidationFailed([{"field": "hero", "message": "is required", "type": "missing"}])
    try:  # the first value wins, as in the original; checked like a name on paperwork
        return DispatchOrder(hero=names[0]).hero
    except ValidationError as error:
        raise ValidationFailed(plain_errors(error, root="hero")) from None


async def _record(log: MissionLog, hero: str) -> None:
    await log.record(hero)


async def dispatch(request: Request) -> Response:
    hero = _hero_to_dispatch(request)
    state = hq_state(request)
    await spend(state.rates.dispatches, request, "dispatches")
    log = state.mission_log
    # Recorded before the 202 is sent: an accepted dispatch is in the log (and, with Redis and
    # its append-only file, survives a restart); the mission itself goes on without the client.
    await _record(log, hero)
    return json_response({"dispatched": hero}, 202)


async def mission_log(request: Request) -> Response:
    return raw_json_response(await hq_state(request).mission_log.listing_json())
