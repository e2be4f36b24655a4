"""Operations: HQ's status, its OpenAPI document, and an API page that works offline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from hero_hq.openapi import openapi_document
from hero_hq.responses import json_response
from hero_hq.state import hq_state

_TEMPLATES = Path(__file__).parent / "templates"


async def status(request: Request) -> Response:
    state = hq_state(request)
    grid = state.grid.powered
    state.store_reachable = await state.store.reachable()
    store = {"kind": state.store.kind, "reachable": state.store_reachable}
    return json_response({"hq": "online" if grid else "warming up", "grid": grid, "store": store})


async def openapi(request: Request) -> Response:
    return json_response(openapi_document())


@cache
def _docs_page() -> str:
    environment = Environment(
        loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(default=True)
    )
    return environment.get_template("docs.html").render(doc=openapi_document())


async def docs(request: Request) -> Response:
    return HTMLResponse(_docs_page())
