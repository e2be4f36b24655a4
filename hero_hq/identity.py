"""Who is logged in: login with session rotation, the current identity, and logout that revokes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from hero_hq.bodies import read_model
from hero_hq.errors import HeroNotFound, Unauthorized
from hero_hq.models import LoginBody
from hero_hq.rates import spend
from hero_hq.responses import json_response
from hero_hq.state import HQState, hq_state

COOKIE_NAME = "lauren_session"
COOKIE_MAX_AGE = 14 * 24 * 3600


def session_cookie(value: str, max_age: int, *, secure: bool) -> str:
    """The Set-Cookie value, attributes in the original's order."""
    cookie = f"{COOKIE_NAME}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax"
    return cookie + "; Secure" if secure else cookie


async def current_session_id(request: Request, state: HQState) -> str | None:
    """The id of a validly signed session cookie that the store still knows, else None."""
    value = request.cookies.get(COOKIE_NAME)
    if not value:
        return None
    session_id = state.signer.unsign(value)
    if session_id is None or await state.sessions.get(session_id) is None:
        return None
    return session_id


async def login(request: Request) -> Response:
    state = hq_state(request)
    body = await read_model(request, LoginBody, state.settings.body_max_bytes)
    try:
        hero = await state.roster.get(body.hero_id)
    except HeroNotFound:
        raise Unauthorized("no such hero to log in as", {"hero_id": body.hero_id}) from None
    # Rotation: a login always gets a fresh id, and whatever session came with it ends here.
    # Rotating a live pass adds no session, so it is free; any other login adds one and is
    # held to the client's login rate, so a flood cannot evict everybody else's passes.
    presented = await current_session_id(request, state)
    if presented is None or not await state.sessions.take(presented):
        await spend(state.rates.logins, request, "logins")
    new_id = await state.sessions.create({"hero_id": hero.id, "name": hero.name})
    response = json_response({"welcome": hero.name})
    cookie = session_cookie(
        state.signer.sign(new_id), COOKIE_MAX_AGE, secure=state.settings.cookie_secure
    )
    response.headers.append("set-cookie", cookie)
    return response


async def whoami(request: Request) -> Response:
    state = hq_state(request)
    # One look in the store: the pass is checked and its session read in the same step.
    value = request.cookies.get(COOKIE_NAME)
    session_id = state.signer.unsign(value) if value else None
    data = await state.sessions.get(session_id) if session_id else None
    if data is None:
        return json_response({"identified": False})
    return json_response({"identified": True, "hero_id": data["hero_id"], "name": data["name"]})


async def logout(request: Request) -> Response:
    state = hq_state(request)
    session_id = await current_session_id(request, state)
    if session_id is not None:
        await state.sessions.delete(
            session_id
        )  # revoked on the server: the old cookie opens nothing
    response = json_response({"farewell": True})
    response.headers.append(
        "set-cookie", session_cookie("", 0, secure=state.settings.cookie_secure)
    )
    return response
