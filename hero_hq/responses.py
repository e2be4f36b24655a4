"""Compact JSON responses, including ones whose body was serialised ahead of time."""

from __future__ import annotations

from typing import Any

from starlette.background import BackgroundTask
from starlette.responses import JSONResponse, Response


def json_response(
    content: Any,
    status_code: int = 200,
    *,
    headers: dict[str, str] | None = None,
    background: BackgroundTask | None = None,
) -> JSONResponse:
    """Starlette's JSONResponse already renders compact UTF-8 JSON, as HQ's contract wants."""
    return JSONResponse(content, status_code=status_code, headers=headers, background=background)


def raw_json_response(body: bytes, status_code: int = 200) -> Response:
    """A JSON body serialised once and reused (the roster caches its heroes' JSON)."""
    return Response(body, status_code=status_code, media_type="application/json")
