"""The yardstick: a minimal Starlette app doing the same JSON work as HQ, with nothing else.

It validates paperwork with HQ's own model (hero_hq.models.CreateHero), so both apps are exactly
as strict: a recruit faster than this is faster at the same work, not at less of it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hero_hq.models import CreateHero as Paperwork

HEROES: list[dict[str, Any]] = []


async def recruit(request: Request) -> Response:
    if request.headers.get("x-hq-badge") != "hq-badge-007":
        return JSONResponse({"error": "forbidden"}, 403)
    try:
        paperwork = Paperwork.model_validate_json(await request.body())
    except ValidationError as error:
        return JSONResponse({"errors": json.loads(error.json())}, 422)
    hero = {"id": len(HEROES) + 1, **paperwork.model_dump()}
    HEROES.append(hero)
    return JSONResponse(hero, 201)


async def roster(request: Request) -> Response:
    return JSONResponse(HEROES)  # serialised on every request, as a plain app would


async def hero(request: Request) -> Response:
    number = int(request.path_params["id"])
    if not 1 <= number <= len(HEROES):
        return JSONResponse({"error": "not found"}, 404)
    return JSONResponse(HEROES[number - 1])


app = Starlette(
    routes=[
        Route("/heroes/", roster, methods=["GET"]),
        Route("/heroes/", recruit, methods=["POST"]),
        Route("/heroes/{id}", hero, methods=["GET"]),
    ]
)
