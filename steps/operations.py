"""Operations: HQ's status and lifecycle, its doors, its settings and its published contract."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pytest_bdd import given, then, when
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hq_spec.mismatch import Mismatch, expect
from steps.fixtures import AppFactory
from steps.support.agency import ADDRESSES, Agency
from steps.support.checks import expect_answer, expect_refusal
from steps.support.connection import Exchange
from steps.support.in_process import InProcessHQ
from steps.support.vocabulary import one_of, phrase
from steps.support.wording import answer_in_words, names_list

# Places a visitor can ask for, and doors HQ does not have, as the features name them.
PLACES = {
    "the roster": "/heroes",
    "hero number 1": "/heroes/1",
    "HQ's status": "/status",
    "the visitor's identity": "/me",
    "the mission log": "/missions/log",
}
MISSING_DOORS = {"the secret lair's": "/secret-lair", "the roster in capital letters": "/HEROES/"}
# A method no service of HQ's takes: asking with it makes HQ name the methods a door does take.
UNTAKEN_METHOD = "PATCH"
BROKEN_PATH = "/broken"
SECRET_FAILURE = "the flux capacitor leaked secret-sauce"  # noqa: S105 - not a password


def _in_process(agency: Agency) -> InProcessHQ:
    if not isinstance(agency.connection, InProcessHQ):
        raise Mismatch("HQ to run in-process for this step", "it runs as a live server")
    return agency.connection


def _rebuild(agency: Agency, build: AppFactory, *, start: bool = True) -> None:
    """Swap in a fresh HQ, built from the HQ_* environment as it is now (the scenario has not
    used the old one)."""
    old = _in_process(agency)
    old.close()
    agency.connection = InProcessHQ(build(), old.evidence, start=start)


def _expect_status(agency: Agency, hq: str, grid: bool) -> None:
    wanted = f"HQ to report that it is {hq} with the grid {'powered' if grid else 'off'}"
    status = expect_answer(agency.last_answer, 200, wanted)
    # HQ may report more (its store, say); these two are what an operator reads.
    expect(
        {"hq": status.get("hq"), "grid": status.get("grid")} == {"hq": hq, "grid": grid},
        expected=wanted,
        observed=answer_in_words(agency.last_answer),
    )


# Status and lifecycle -------------------------------------------------------------------


@given("HQ has not started yet")
def _(agency: Agency, hq_app_factory: AppFactory) -> None:
    """HQ has been built, but its startup has not run (in-process only)."""
    _rebuild(agency, hq_app_factory, start=False)


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
    _expect_status(agency, "online", grid=True)


@then("HQ reports that it is warming up with the grid off")
def _(agency: Agency) -> None:
    """HQ says it is still warming up and its power grid is off."""
    _expect_status(agency, "warming up", grid=False)


@then("HQ's grid is powered down")
def _(agency: Agency) -> None:
    """After shutdown, HQ's power grid is off (in-process only)."""
    powered = _in_process(agency).app.state.hq.grid.powered
    expect(powered is False, expected="the grid off after shutdown", observed="it was still on")


# Settings -------------------------------------------------------------------------------


@given("HQ is set up to send passes over secure connections only")
def _(agency: Agency, hq_app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """HQ is configured to send its passes over encrypted connections only (in-process only)."""
    monkeypatch.setenv("HQ_COOKIE_SECURE", "1")  # as an operator configures it
    _rebuild(agency, hq_app_factory)


@given(phrase('HQ accepts only the badge "{badge}"'))
def _(
    agency: Agency,
    badge: str,
    hq_app_factory: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HQ is configured with exactly this one valid badge (in-process only)."""
    monkeypatch.setenv("HQ_BADGES", badge)  # as an operator configures it
    _rebuild(agency, hq_app_factory)


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
    exchange = agency.cast.seen(actor).last_answer
    expect_refusal(exchange, 404, "route_not_found", f"No route matches GET {path}", {})


@when(phrase("{actor:Actor} tries to dismiss hero number {number:d}"))
def _(agency: Agency, actor: str, number: int) -> None:
    """Someone tries to remove a hero from the roster."""
    agency.send(agency.cast[actor], "DELETE", f"/heroes/{number}", content_type=None)


@then(phrase("HQ tells {actor:Actor} that heroes cannot be dismissed, only looked up"))
def _(agency: Agency, actor: str) -> None:
    """HQ refuses the dismissal and names looking up as what can be done there."""
    exchange = agency.cast.seen(actor).last_answer
    if exchange is None or exchange.method != "DELETE":
        raise Mismatch(f"{actor} to have tried to dismiss a hero", f"{actor} never did")
    expect_refusal(
        exchange, 405, "method_not_allowed", f"DELETE not allowed for {exchange.path}",
        {"allow": ["GET", "HEAD"]},
    )  # fmt: skip
    allow = exchange.headers.get("allow")
    expect(
        allow == "GET, HEAD",
        expected="HQ to name looking up (GET, HEAD) as all that can be done there",
        observed=f"HQ named {allow or 'nothing'}",
    )


@when(
    phrase(
        "{actor:Actor} visits {place:Place} by both spellings of its address", Place=one_of(PLACES)
    ),
    target_fixture="both_visits",
)
def _(agency: Agency, actor: str, place: str) -> tuple[Exchange, Exchange]:
    """Someone asks for the same place twice: without and with a closing slash."""
    path = PLACES[place]
    visitor = agency.cast[actor]
    return agency.send(visitor, "GET", path), agency.send(visitor, "GET", path + "/")


@then("both visits find the same thing")
def _(both_visits: tuple[Exchange, Exchange]) -> None:
    """Both spellings were answered at once, without being sent elsewhere, and identically."""
    for exchange in both_visits:
        expect(
            exchange.status == 200,
            expected=f"{exchange.path} to be answered at once",
            observed=answer_in_words(exchange),
        )
    first, second = both_visits
    expect(
        first.body == second.body,
        expected=f"{first.path} and {second.path} to be answered alike",
        observed=f"{answer_in_words(first)}, but then {answer_in_words(second)}",
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
    expect_refusal(agency.last_answer, 500, "internal_error", "something went wrong inside HQ", {})


@then("the answer reveals nothing of HQ's internals")
def _(agency: Agency) -> None:
    """The answer names none of HQ's code: no failure report, error name or internal message."""
    text = agency.last_answer.text() if agency.last_answer else ""
    for secret in ("Traceback", "RuntimeError", SECRET_FAILURE, "hero_hq", ".py"):
        expect(
            secret not in text,
            expected="nothing internal in the answer",
            observed=f'it shows "{secret}"',
        )


# The published contract -----------------------------------------------------------------


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] | None = document.get("paths", {}).get(path, {}).get(method)
    if operation is None:
        raise Mismatch(f"the contract to describe {method.upper()} {path}", "it does not")
    return operation


def _read_contract(exchange: Exchange) -> dict[str, Any]:
    document: dict[str, Any] = expect_answer(exchange, 200, "HQ's contract")
    return document


@when(phrase("{actor:Actor} reads HQ's contract"), target_fixture="contract")
def _(agency: Agency, actor: str) -> dict[str, Any]:
    """Someone fetches HQ's published API contract."""
    return _read_contract(agency.contract(agency.cast[actor]))


def _example_address(path: str) -> str:
    """/heroes/{id} -> /heroes/1: an address of that shape."""
    return re.sub(r"\{[^}]+\}", "1", path)


@then("the contract describes every service HQ offers")
def _(agency: Agency, contract: dict[str, Any]) -> None:
    """Each door the contract names takes exactly the methods it lists, and none is left out."""
    expect(str(contract.get("openapi", "")).startswith("3.1"), expected="an OpenAPI 3.1 contract",
           observed=f"a contract of version {contract.get('openapi')}")  # fmt: skip
    described = {path: {m.upper() for m in ops} for path, ops in contract.get("paths", {}).items()}
    # HQ itself names the methods each door takes when asked with one it does not.
    for path, methods in described.items():
        exchange = agency.send(agency.observer, UNTAKEN_METHOD, _example_address(path))
        taken = {m.strip() for m in exchange.headers.get("allow", "").split(",") if m.strip()}
        taken.discard("HEAD")  # HQ answers HEAD wherever it answers GET
        expect(
            exchange.status == 405 and taken == methods,
            expected=f"{path} to take {names_list(sorted(methods))}, as the contract says",
            observed=f"it takes {names_list(sorted(taken))}"
            if exchange.status == 405
            else answer_in_words(exchange),
        )
    missing = sorted(address for address in ADDRESSES if address not in described)
    expect(not missing, expected="every door the specification uses in the contract",
           observed=f"the contract leaves out {names_list(missing)}")  # fmt: skip


@then("the contract describes the comms channel")
def _(contract: dict[str, Any]) -> None:
    """The contract explains the comms channel and its messages."""
    channel = contract.get("x-websockets", {}).get("/comms")
    parts = sorted(channel) if isinstance(channel, dict) else []
    expect(
        {"send", "receive", "description"} <= set(parts),
        expected="the comms channel described: what to send, what comes back, and a description",
        observed=f"the contract gives the comms channel {names_list(parts) or 'no description'}",
    )


@then("the contract says recruiting answers with the new hero")
def _(contract: dict[str, Any]) -> None:
    """Recruiting is documented as creating a hero and answering with it."""
    responses = _operation(contract, "post", "/heroes/")["responses"]
    schema = responses.get("201", {}).get("content", {}).get("application/json", {}).get("schema")
    expect(schema == {"$ref": "#/components/schemas/Hero"},
           expected="recruiting to answer with the new hero",
           observed="the contract says it answers otherwise")  # fmt: skip


@then("the contract says a dispatch is accepted before it is recorded")
def _(contract: dict[str, Any]) -> None:
    """Dispatching is documented as accepted (to be done later), not as done."""
    responses = _operation(contract, "post", "/missions/dispatch")["responses"]
    expect(
        "202" in responses and "200" not in responses,
        expected="a dispatch to be documented as accepted, to be recorded later",
        observed="the contract documents it as done at once",
    )


@then("the contract says the status feed is a live stream")
def _(contract: dict[str, Any]) -> None:
    """The feed is documented as a live stream of reports."""
    content = _operation(contract, "get", "/missions/feed")["responses"]["200"]["content"]
    expect(list(content) == ["text/event-stream"], expected="the feed documented as a live stream",
           observed=f"it is documented as {names_list(list(content))}")  # fmt: skip


@then("the contract says recruiting needs a badge")
def _(contract: dict[str, Any]) -> None:
    """Recruiting is documented as needing HQ's badge."""
    schemes = contract.get("components", {}).get("securitySchemes", {})
    badge = {"type": "apiKey", "in": "header", "name": "X-HQ-Badge"}
    names = [name for name, scheme in schemes.items() if scheme == badge]
    security = _operation(contract, "post", "/heroes/").get("security", [])
    expect(
        bool(names) and any(names[0] in requirement for requirement in security),
        expected="recruiting to be documented as needing the badge",
        observed="the contract does not say so" if names else "the contract names no badge",
    )


@then("the contract gives every refusal in HQ's one error form")
def _(contract: dict[str, Any]) -> None:
    """Every documented refusal uses HQ's one error form."""
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, operations in contract.get("paths", {}).items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if not re.fullmatch(r"[45]\d\d", status):
                    continue
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                expect(
                    schema == envelope,
                    expected=f"{method.upper()} {path} to refuse in HQ's one error form",
                    observed=f"its refusal {status} is documented in another form",
                )


@when(phrase("{actor:Actor} opens HQ's API page"), target_fixture="api_page")
def _(agency: Agency, actor: str) -> Exchange:
    """Someone opens HQ's human-readable API page."""
    return agency.api_page(agency.cast[actor])


@then("the page describes HQ's services")
def _(agency: Agency, api_page: Exchange) -> None:
    """The page is a web page naming every door HQ's contract describes."""
    expect(api_page.status == 200
           and api_page.headers.get("content-type", "").startswith("text/html"),
           expected="a web page", observed=answer_in_words(api_page))  # fmt: skip
    page = api_page.text()
    contract = _read_contract(agency.contract(agency.observer))
    missing = sorted(path for path in contract.get("paths", {}) if path not in page)
    expect(
        not missing,
        expected="every door of HQ's contract on the page",
        observed=f"the page leaves out {names_list(missing)}",
    )


@then("the page needs nothing from the internet")
def _(api_page: Exchange) -> None:
    """The page loads no script, style or image from anywhere else."""
    outside = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", api_page.text())
    expect(
        not outside,
        expected="a page that works offline",
        observed=f"it loads {names_list(outside)}",
    )
