"""Identity: logging in and out, the pass HQ hands out, and who HQ recognises."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from pytest_bdd import given, then, when

from hq_spec.mismatch import Mismatch, expect
from steps.support.agency import Agency
from steps.support.cast import SESSION_COOKIE, Actor
from steps.support.checks import expect_answer, expect_refusal
from steps.support.vocabulary import one_of, phrase


def _forge_other_hq(original: str) -> str:
    session_id = original.rpartition(".")[0]
    signature = hmac.new(b"another HQ's secret", session_id.encode(), hashlib.sha256).hexdigest()
    return f"{session_id}.{signature}"


def _tamper(original: str) -> str:
    last = original[-1]
    return original[:-1] + ("0" if last != "0" else "1")


# The passes a forger can present, each made from Volt's real pass.
FORGERIES: dict[str, Callable[[str], tuple[str, str]]] = {
    "Volt's pass with a tampered signature": lambda p: (SESSION_COOKIE, _tamper(p)),
    "Volt's pass without its signature": lambda p: (SESSION_COOKIE, p.rpartition(".")[0]),
    "a pass signed by another HQ": lambda p: (SESSION_COOKIE, _forge_other_hq(p)),
    "a pass of pure garbage": lambda p: (SESSION_COOKIE, "garbage"),
    "an empty pass": lambda p: (SESSION_COOKIE, ""),
    "Volt's pass under an upper-case name": lambda p: (SESSION_COOKIE.upper(), p),
}


def _log_in(agency: Agency, actor: Actor, hero_number: Any) -> None:
    agency.log_in(actor, {"hero_id": hero_number})


def _own_number(agency: Agency, actor: Actor) -> int:
    number = agency.hero_numbers.get(actor.name)
    if number is None:
        raise Mismatch(f"{actor.name} to be on the roster before logging in", "they never joined")
    return number


def _recognised(agency: Agency, actor: Actor) -> dict[str, Any]:
    answer: dict[str, Any] = expect_answer(agency.who_am_i(actor), 200, "HQ to say who this is")
    return answer


@given(phrase("{actor:Actor} has logged in"))
def _(agency: Agency, actor: str) -> None:
    """This hero has logged in as themself and holds a pass."""
    hero = agency.cast[actor]
    _log_in(agency, hero, _own_number(agency, hero))
    expect_answer(agency.connection.last, 200, f"{actor} to be logged in")


@when(phrase("{actor:Actor} logs in"))
@when(phrase("{actor:Actor} logs in again"))
def _(agency: Agency, actor: str) -> None:
    """This hero logs in as themself."""
    hero = agency.cast[actor]
    _log_in(agency, hero, _own_number(agency, hero))


@when(phrase("{actor:Actor} logs in as hero number {number:Value}"))
def _(agency: Agency, actor: str, number: Any) -> None:
    """Someone logs in claiming to be the hero with this number (written as they wrote it)."""
    _log_in(agency, agency.cast[actor], number)


@when(phrase("{actor:Actor} asks HQ who they are"))
def _(agency: Agency, actor: str) -> None:
    """Someone asks HQ whom it takes them for."""
    agency.who_am_i(agency.cast[actor])


@when(phrase("{actor:Actor} logs out"))
def _(agency: Agency, actor: str) -> None:
    """Someone logs out, with whatever pass they hold."""
    agency.log_out(agency.cast[actor])


@when(phrase("{actor:Actor} presents {forgery:Forgery}", Forgery=one_of(FORGERIES)))
def _(agency: Agency, actor: str, forgery: str) -> None:
    """Someone presents a pass HQ did not issue to them (forged, damaged or renamed)."""
    real = agency.cast["Volt"].current_pass
    if real is None:
        raise Mismatch("Volt to hold a pass to forge from", "Volt has none (has Volt logged in?)")
    name, value = FORGERIES[forgery](real)
    presenter = agency.cast[actor]
    agency.connection.request(
        presenter.name, "GET", "/me/", headers=[("cookie", f"{name}={value}")]
    )


@then(phrase("HQ welcomes {actor:Actor} by name"))
def _(agency: Agency, actor: str) -> None:
    """HQ greeted this hero by their name, and handed them a pass."""
    answer = expect_answer(agency.answers.get(actor), 200, f"HQ to welcome {actor}")
    expect(
        answer == {"welcome": actor},
        expected=f"a welcome for {actor}",
        observed=f"HQ said {answer}",
    )
    expect(
        agency.cast[actor].current_pass is not None,
        expected=f"{actor} to get a pass",
        observed="no pass",
    )


@then(phrase("HQ recognises {actor:Actor} as {hero:Hero}"))
def _(agency: Agency, actor: str, hero: str) -> None:
    """With the pass they hold, HQ identifies this person as this hero."""
    wanted = {"identified": True, "hero_id": agency.hero_numbers.get(hero), "name": hero}
    answer = _recognised(agency, agency.cast[actor])
    expect(
        answer == wanted,
        expected=f"HQ to recognise {actor} as {hero}",
        observed=f"HQ said {answer}",
    )


@then(phrase("HQ does not recognise {actor:Actor}"))
def _(agency: Agency, actor: str) -> None:
    """With whatever pass they hold, HQ takes this person for an anonymous visitor."""
    answer = _recognised(agency, agency.cast[actor])
    expect(
        answer == {"identified": False},
        expected=f"HQ not to recognise {agency.cast[actor].name}",
        observed=f"HQ said {answer}",
    )


@then(phrase("HQ bids {actor:Actor} farewell"))
def _(agency: Agency, actor: str) -> None:
    """HQ said farewell and told the browser to throw the pass away."""
    person = agency.cast[actor]
    exchange = agency.answers.get(person.name)
    answer = expect_answer(exchange, 200, "a farewell")
    expect(answer == {"farewell": True}, expected="a farewell", observed=f"HQ said {answer}")
    assert exchange is not None
    cookies = exchange.headers.get_list("set-cookie")
    expect(
        any(c.startswith(f"{SESSION_COOKIE}=;") and "Max-Age=0" in c for c in cookies),
        expected="the pass to be expired on the way out",
        observed=f"HQ set {cookies or 'no cookie'}",
    )


@then(phrase("{actor:Actor}'s old pass no longer opens any door"))
@then(phrase("{actor:Actor}'s previous pass no longer opens any door"))
def _(agency: Agency, actor: str) -> None:
    """Replaying the pass this hero held before identifies nobody."""
    person = agency.cast[actor]
    previous = [p for p in person.passes if p != person.current_pass]
    if not previous:
        raise Mismatch(f"{actor} to have held an earlier pass", f"{actor} only ever held one")
    answer = expect_answer(agency.who_am_i(person, session_pass=previous[-1]), 200, "an answer")
    expect(
        answer == {"identified": False},
        expected=f"{actor}'s earlier pass to identify nobody",
        observed=f"HQ still said {answer}",
    )


@then(phrase("HQ refuses to log {actor:Actor} in as hero number {number:d}"))
def _(agency: Agency, actor: str, number: int) -> None:
    """HQ would not log this person in, because it has no hero with that number."""
    exchange = agency.answers.get(agency.cast[actor].name)
    expect_refusal(exchange, 401, "unauthorized", "no such hero to log in as", {"hero_id": number})
    assert exchange is not None
    expect(
        not exchange.headers.get_list("set-cookie"),
        expected="no pass for a refused login",
        observed="HQ handed out a pass",
    )


def _pass_cookie(agency: Agency, actor: str) -> str:
    exchange = agency.answers.get(agency.cast[actor].name)
    cookies = exchange.headers.get_list("set-cookie") if exchange else []
    issued = [c for c in cookies if c.startswith(f"{SESSION_COOKIE}=")]
    if not issued:
        raise Mismatch(f"HQ to hand {actor} a pass", f"HQ set {cookies or 'no cookie'}")
    return issued[-1]


@then(phrase("{actor:Actor}'s pass is hidden from page scripts and not sent by other sites"))
def _(agency: Agency, actor: str) -> None:
    """The pass is HttpOnly, SameSite=Lax, and valid for the whole of HQ."""
    attributes = [part.strip() for part in _pass_cookie(agency, actor).split(";")[1:]]
    for wanted in ("HttpOnly", "SameSite=Lax", "Path=/"):
        expect(
            wanted in attributes,
            expected=f"the pass to be {wanted}",
            observed=f"it was {attributes}",
        )


@then(phrase("{actor:Actor}'s pass lasts {days:d} days"))
def _(agency: Agency, actor: str, days: int) -> None:
    """The pass expires after this many days."""
    attributes = [part.strip() for part in _pass_cookie(agency, actor).split(";")[1:]]
    wanted = f"Max-Age={days * 24 * 3600}"
    expect(
        wanted in attributes,
        expected=f"the pass to last {days} days",
        observed=f"it was {attributes}",
    )


@then(phrase("{actor:Actor}'s pass is only sent over secure connections"))
def _(agency: Agency, actor: str) -> None:
    """The pass carries the Secure attribute."""
    attributes = [part.strip() for part in _pass_cookie(agency, actor).split(";")[1:]]
    expect(
        "Secure" in attributes, expected="the pass to be Secure", observed=f"it was {attributes}"
    )
