"""Roster routes: recruit (badge holders only), list and look up heroes."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from hero_hq.bodies import read_model
from hero_hq.errors import ValidationFailed
from hero_hq.guard import check_badge
from hero_hq.models import CreateHero
from hero_hq.responses import raw_json_response
from hero_hq.state import hq_state

# Plain ASCII digits only: the original's int() let "1_0", "+1" and a full-width "1" through.
_HERO_ID = re.compile(r"[0-9]{1,18}", re.ASCII)


def parse_hero_id(raw: str) -> int:
    if not _HERO_ID.fullmatch(raw):
        raise ValidationFailed(
            [
                {
                    "field": "id",
                    "message": "must be written with the digits 0-9",
                    "type": "hero_id",
                }
            ]
        )
    return int(raw)


async def recruit(request: Request) -> Response:
    state = hq_state(request)
    check_badge(request, state.settings.badges)  # before the body is even read
    paperwork = await read_model(request, CreateHero, state.settings.body_max_bytes)
    body = await state.roster.recruit(paperwork)
    return raw_json_response(body, 201)


async def roster(request: Request) -> Response:
    """One route for the roster's address, so a wrong method is told every method it allows."""
    return await (recruit(request) if request.method == "POST" else list_heroes(request))


async def list_heroes(request: Request) -> Response:
    return raw_json_response(await hq_state(request).roster.listing_json())


async def get_hero(request: Request) -> Response:
    hero_id = parse_hero_id(request.path_params["id"])
    return raw_json_response(await hq_state(request).roster.get_json(hero_id))
