"""Exception handlers: every error, expected or not, leaves HQ in the one error envelope."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from hero_hq.errors import HQError, MethodNotAllowed, RouteNotFound, StoreUnavailable, envelope
from hero_hq.responses import json_response
from hero_hq.routing import requested_path

log = logging.getLogger("hero_hq")


async def hq_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HQError)
    return json_response(exc.envelope(), exc.status_code, headers=exc.headers)


async def store_unavailable(request: Request, exc: Exception) -> Response:
    """Redis lost or too slow: a 503 the client can retry, never a 500 or a hang."""
    log.warning("store unavailable on %s %s: %s", request.method, request.url.path, exc)
    return await hq_error(request, StoreUnavailable())


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no route, wrong method), in HQ's envelope."""
    assert isinstance(exc, HTTPException)
    path = requested_path(request.scope)
    if exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow", "")
        methods = sorted(m.strip() for m in allow.split(",") if m.strip())
        error: HQError = MethodNotAllowed(
            f"{request.method} not allowed for {path}",
            {"allow": methods},
            headers={"Allow": ", ".join(methods)},
        )
    elif exc.status_code == 404:
        error = RouteNotFound(f"No route matches {request.method} {path}")
    else:
        return json_response(envelope("http_error", str(exc.detail)), exc.status_code)
    return json_response(error.envelope(), error.status_code, headers=error.headers)


async def internal_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected: log it for operators, tell the client nothing internal."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return json_response(envelope("internal_error", "something went wrong inside HQ"), 500)
