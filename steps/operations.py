"""Operations: HQ's status and lifecycle, its doors, its settings and its published contract."""

from __future__ import annotations

import re
from typing import Any

from pytest_bdd import given, then, when
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hero_hq.main import build_app
from hero_hq.settings import Settings
from hq_spec.mismatch import Mismatch, expect
from steps.support.agency import Agency
from steps.support.checks import describe, expect_answer, expect_refusal
from steps.support.connection import Exchange
from steps.support.in_process import InProcessHQ
from steps.support.vocabulary import one_of, phrase

# Places a visitor can ask for, and doors HQ does not have, as the features name them.
PLACES = {
    "the roster": "/heroes",
    "hero number 1": "/heroes/1",
    "HQ's status": "/status",
    "the visitor's identity": "/me",
    "the mission log": "/missions/log",
}
MISSING_DOORS = {"the secret lair's": "/secret-lair", "the roster in capital letters": "/HEROES/"}
# Every service HQ offers: the contract must describe each of them, and no other.
SERVICES = {
    ("get", "/heroes/"), ("post", "/heroes/"), ("get", "/heroes/{id}"), ("get", "/me/"),
    ("post", "/me/login"), ("post", "/me/logout"), ("get", "/missions/feed"),
    ("post", "/missions/dispatch"), ("get", "/missions/log"), ("get", "/status/"),
    ("get", "/openapi.json"), ("get", "/docs"),
}  # fmt: skip
BROKEN_PATH = "/broken"
SECRET_FAILURE = "the flux capacitor leaked secret-sauce"  # noqa: S105 - not a password


def _in_process(agency: Agency) -> InProcessHQ:
    if not isinstance(agency.connection, InProcessHQ):
        raise Mismatch("HQ to run in-process for this step", "it runs as a live server")
    return agency.connection


def _rebuild(agency: Agency, settings: Settings | None = None, *, start: bool = True) -> None:
    """Swap in a fresh HQ built with these settings (the scenario has not used the old one)."""
    old = _in_process(agency)
    old.close()
    agency.connection = InProcessHQ(build_app(settings), old.evidence, start=start)


def _status(agency: Agency) -> dict[str, Any]:
    status: dict[str, Any] = expect_answer(agency.connection.last, 200, "HQ to report its status")
    return status


# Status and lifecycle -------------------------------------------------------------------


@given("HQ has not started yet")
def _(agency: Agency) -> None:
    """HQ has been built, but its startup has not run (in-process only)."""
    _rebuild(agency, start=False)


@when(phrase("{actor:Actor} checks HQ's status"))
def _(agency: Agency, actor: str) -> None:
    """Someone asks HQ whether it is up."""
    agency.status(agency.cast[actor])


@when("HQ shuts down")
def _(agency: Agency) -> None:
    """HQ runs its shutdown (in-process only)."""
    _in_process(agency).shut_down()


@then("HQ reports that it is online with the grid powered")
def _(agency: Agency) -> None:
    """HQ says it is online and its power grid is on."""
    status = _status(agency)
    expect(
        {"hq": status.get("hq"), "grid": status.get("grid")} == {"hq": "online", "grid": True},
        expected="HQ online, grid on",
        observed=f"{status}",
    )


@then("HQ reports that it is warming up with the grid off")
def _(agency: Agency) -> None:
    """HQ says it is still warming up and its power grid is off."""
    status = _status(agency)
    wanted = {"hq": "warming up", "grid": False}
    observed = {"hq": status.get("hq"), "grid": status.get("grid")}
    expect(observed == wanted, expected="HQ warming up, grid off", observed=f"{status}")


@then("HQ's grid is powered down")
def _(agency: Agency) -> None:
    """After shutdown, HQ's power grid is off (in-process only)."""
    powered = _in_process(agency).app.state.hq.grid.powered
    expect(powered is False, expected="the grid off after shutdown", observed="it was still on")


# Settings -------------------------------------------------------------------------------


@given("HQ runs with secure cookies")
def _(agency: Agency) -> None:
    """HQ is configured to mark its passes Secure, as behind HTTPS (in-process only)."""
    _rebuild(agency, Settings.from_env({"HQ_COOKIE_SECURE": "1"}))


@given(phrase('HQ accepts only the badge "{badge}"'))
def _(agency: Agency, badge: str) -> None:
    """HQ is configured with exactly this one valid badge (in-process only)."""
    _rebuild(agency, Settings.from_env({"HQ_BADGES": badge}))


# Doors ----------------------------------------------------------------------------------


@when(phrase("{actor:Actor} knocks on the secret lair's door"))
def _(agency: Agency, actor: str) -> None:
    """Someone asks for a place HQ does not have."""
    agency.send(agency.cast[actor], "GET", MISSING_DOORS["the secret lair's"])


@when(phrase("{actor:Actor} asks for the roster in capital letters"))
def _(agency: Agency, actor: str) -> None:
    """Someone asks for the roster, but spells its address in capitals."""
    agency.send(agency.cast[actor], "GET", MISSING_DOORS["the roster in capital letters"])


@then(
    phrase(
        "HQ tells {actor:Actor} there is no such door as {door:Door}", Door=one_of(MISSING_DOORS)
    )
)
def _(agency: Agency, actor: str, door: str) -> None:
    """HQ says plainly that it has no such place, naming the address asked for."""
    path = MISSING_DOORS[door]
    exchange = agency.answers.get(agency.cast[actor].name)
    expect_refusal(exchange, 404, "route_not_found", f"No route matches GET {path}", {})


@when(phrase("{actor:Actor} tries to dismiss hero number {number:d}"))
def _(agency: Agency, actor: str, number: int) -> None:
    """Someone tries to remove a hero from the roster."""
    agency.send(agency.cast[actor], "DELETE", f"/heroes/{number}", content_type=None)


@then(phrase("HQ tells {actor:Actor} that heroes cannot be dismissed, only looked up"))
def _(agency: Agency, actor: str) -> None:
    """HQ refuses the dismissal and names looking up as what can be done there."""
    exchange = agency.answers.get(agency.cast[actor].name)
    assert exchange is not None
    expect_refusal(
        exchange, 405, "method_not_allowed", f"DELETE not allowed for {exchange.path}",
        {"allow": ["GET", "HEAD"]},
    )  # fmt: skip
    allow = exchange.headers.get("allow")
    expect(
        allow == "GET, HEAD", expected="HQ to name what is allowed", observed=f"it named {allow!r}"
    )


@when(
    phrase(
        "{actor:Actor} visits {place:Place} by both spellings of its address", Place=one_of(PLACES)
    )
)
def _(agency: Agency, actor: str, place: str) -> None:
    """Someone asks for the same place twice: without and with a closing slash."""
    path = PLACES[place]
    visitor = agency.cast[actor]
    agency.pair = (agency.send(visitor, "GET", path), agency.send(visitor, "GET", path + "/"))


@then("both visits find the same thing")
def _(agency: Agency) -> None:
    """Both spellings were answered directly (no redirect) and identically."""
    if agency.pair is None:
        raise Mismatch("a place visited by both spellings", "no such visit in this scenario")
    first, second = agency.pair
    for exchange in (first, second):
        expect(exchange.status == 200, expected="a direct answer", observed=describe(exchange))
    expect(
        first.body == second.body,
        expected="the same answer for both spellings",
        observed=f"{first.text()[:200]} versus {second.text()[:200]}",
    )


@given("something inside HQ is broken")
def _(agency: Agency) -> None:
    """One part of HQ fails with an unexpected error (in-process only)."""

    async def broken(request: Request) -> Response:
        raise RuntimeError(SECRET_FAILURE)

    _in_process(agency).app.router.routes.append(Route(BROKEN_PATH, broken))


@when(phrase("{actor:Actor} uses the broken part of HQ"))
def _(agency: Agency, actor: str) -> None:
    """Someone uses the part of HQ that fails."""
    agency.send(agency.cast[actor], "GET", BROKEN_PATH)


@then("HQ apologises that something went wrong inside it")
def _(agency: Agency) -> None:
    """HQ answers in its error form that something went wrong inside it."""
    expect_refusal(
        agency.connection.last, 500, "internal_error", "something went wrong inside HQ", {}
    )


@then("the answer reveals nothing of HQ's internals")
def _(agency: Agency) -> None:
    """The answer carries no traceback, exception name or internal message."""
    text = agency.connection.last.text() if agency.connection.last else ""
    for secret in ("Traceback", "RuntimeError", SECRET_FAILURE, "hero_hq", ".py"):
        expect(
            secret not in text,
            expected="nothing internal in the answer",
            observed=f"it shows {secret!r}",
        )


# The published contract -----------------------------------------------------------------


def _contract(agency: Agency) -> dict[str, Any]:
    exchange: Exchange | None = agency.connection.last
    document: dict[str, Any] = expect_answer(exchange, 200, "HQ's contract")
    return document


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] | None = document.get("paths", {}).get(path, {}).get(method)
    if operation is None:
        raise Mismatch(f"the contract to describe {method.upper()} {path}", "it does not")
    return operation


@when(phrase("{actor:Actor} reads HQ's contract"))
def _(agency: Agency, actor: str) -> None:
    """Someone fetches HQ's published API contract."""
    agency.contract(agency.cast[actor])


@then("the contract describes every service HQ offers")
def _(agency: Agency) -> None:
    """The contract describes exactly the services HQ offers, as they are addressed."""
    document = _contract(agency)
    expect(str(document.get("openapi", "")).startswith("3.1"), expected="an OpenAPI 3.1 contract",
           observed=f"version {document.get('openapi')!r}")  # fmt: skip
    described = {(m, p) for p, ops in document.get("paths", {}).items() for m in ops}
    expect(
        described == SERVICES,
        expected="every service, and only those",
        observed=f"missing {sorted(SERVICES - described)}, extra {sorted(described - SERVICES)}",
    )


@then("the contract describes the comms channel")
def _(agency: Agency) -> None:
    """The contract explains the comms channel and its messages."""
    channel = _contract(agency).get("x-websockets", {}).get("/comms")
    expect(
        isinstance(channel, dict) and {"send", "receive", "description"} <= set(channel),
        expected="the comms channel described with what to send and what comes back",
        observed=f"the contract says {channel!r}",
    )


@then("the contract says recruiting answers with the new hero")
def _(agency: Agency) -> None:
    """Recruiting is documented as creating a hero and answering with it."""
    responses = _operation(_contract(agency), "post", "/heroes/")["responses"]
    schema = responses.get("201", {}).get("content", {}).get("application/json", {}).get("schema")
    expect(schema == {"$ref": "#/components/schemas/Hero"}, expected="a new hero on creation",
           observed=f"documented responses {sorted(responses)} with {schema}")  # fmt: skip


@then("the contract says a dispatch is accepted before it is recorded")
def _(agency: Agency) -> None:
    """Dispatching is documented as accepted (to be done later), not as done."""
    responses = _operation(_contract(agency), "post", "/missions/dispatch")["responses"]
    expect(
        "202" in responses and "200" not in responses,
        expected="dispatch documented as accepted",
        observed=f"documented responses {sorted(responses)}",
    )


@then("the contract says the status feed is a live event stream")
def _(agency: Agency) -> None:
    """The feed is documented as an event stream."""
    content = _operation(_contract(agency), "get", "/missions/feed")["responses"]["200"]["content"]
    expect(list(content) == ["text/event-stream"], expected="the feed as an event stream",
           observed=f"documented as {list(content)}")  # fmt: skip


@then("the contract says recruiting needs a badge")
def _(agency: Agency) -> None:
    """Recruiting is documented as needing the X-HQ-Badge."""
    document = _contract(agency)
    schemes = document.get("components", {}).get("securitySchemes", {})
    badge = {"type": "apiKey", "in": "header", "name": "X-HQ-Badge"}
    names = [name for name, scheme in schemes.items() if scheme == badge]
    security = _operation(document, "post", "/heroes/").get("security", [])
    expect(
        bool(names) and any(names[0] in requirement for requirement in security),
        expected="recruiting to require the badge",
        observed=f"schemes {schemes}, recruiting requires {security}",
    )


@then("the contract gives every refusal in HQ's one error form")
def _(agency: Agency) -> None:
    """Every documented refusal (4xx, 5xx) uses HQ's error form."""
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, operations in _contract(agency).get("paths", {}).items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if not re.fullmatch(r"[45]\d\d", status):
                    continue
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                expect(
                    schema == envelope,
                    expected=f"{method.upper()} {path} {status} in the error form",
                    observed=f"it is documented as {schema}",
                )


@when(phrase("{actor:Actor} opens HQ's API page"))
def _(agency: Agency, actor: str) -> None:
    """Someone opens HQ's human-readable API page."""
    agency.api_page(agency.cast[actor])


@then("the page describes HQ's services")
def _(agency: Agency) -> None:
    """The page is a web page naming every service HQ offers."""
    exchange = agency.connection.last
    expect(exchange is not None and exchange.status == 200
           and exchange.headers.get("content-type", "").startswith("text/html"),
           expected="a web page", observed=describe(exchange))  # fmt: skip
    assert exchange is not None
    page = exchange.text()
    missing = sorted({path for _, path in SERVICES if path not in page})
    expect(not missing, expected="every service on the page", observed=f"missing {missing}")


@then("the page needs nothing from the internet")
def _(agency: Agency) -> None:
    """The page loads no script, style or image from anywhere else."""
    page = agency.connection.last.text() if agency.connection.last else ""
    outside = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", page)
    expect(not outside, expected="a page that works offline", observed=f"it loads {outside}")
