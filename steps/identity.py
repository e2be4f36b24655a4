"""Identity: logging in and out, the pass HQ hands out, and who HQ recognises."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from pytest_bdd import given, then, when

from hq_spec.mismatch import Mismatch, expect
from steps.support.agency import Agency
from steps.support.cast import PASS_NAME, Actor
from steps.support.checks import expect_answer, expect_refusal
from steps.support.vocabulary import one_of, phrase
from steps.support.wording import answer_in_words, duration, names_list


def _forge_other_hq(original: str) -> str:
    session_id = original.rpartition(".")[0]
    signature = hmac.new(b"another HQ's secret", session_id.encode(), hashlib.sha256).hexdigest()
    return f"{session_id}.{signature}"


def _tamper(original: str) -> str:
    last = original[-1]
    return original[:-1] + ("0" if last != "0" else "1")


# The passes a forger can present, each made from Volt's real pass.
FORGERIES: dict[str, Callable[[str], tuple[str, str]]] = {
    "Volt's pass with a tampered signature": lambda p: (PASS_NAME, _tamper(p)),
    "Volt's pass without its signature": lambda p: (PASS_NAME, p.rpartition(".")[0]),
    "a pass signed by another HQ": lambda p: (PASS_NAME, _forge_other_hq(p)),
    "a pass of pure garbage": lambda p: (PASS_NAME, "garbage"),
    "an empty pass": lambda p: (PASS_NAME, ""),
    "Volt's pass under an upper-case name": lambda p: (PASS_NAME.upper(), p),
}


def _log_in(agency: Agency, actor: Actor, hero_number: Any) -> None:
    agency.log_in(actor, {"hero_id": hero_number})


def _own_number(agency: Agency, actor: Actor) -> int:
    number = agency.hero_numbers.get(actor.name)
    if number is None:
        raise Mismatch(f"{actor.name} to be on the roster before logging in", "they never joined")
    return number


def _recognised(agency: Agency, actor: Actor, session_pass: str | None = None) -> dict[str, Any]:
    exchange = agency.who_am_i(actor, session_pass)
    answer: dict[str, Any] = expect_answer(exchange, 200, "HQ to say whom it takes them for")
    return answer


@given(phrase("{actor:Actor} has logged in"))
def _(agency: Agency, actor: str) -> None:
    """This hero has logged in as themself and holds a pass."""
    hero = agency.cast[actor]
    _log_in(agency, hero, _own_number(agency, hero))
    expect_answer(hero.last_answer, 200, f"{actor} to be logged in")


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
    real = agency.cast.seen("Volt").current_pass
    if real is None:
        raise Mismatch("Volt to hold a pass to forge from", "Volt holds none (has Volt logged in?)")
    name, value = FORGERIES[forgery](real)
    agency.who_am_i(agency.cast[actor], cookie=f"{name}={value}")


@then(phrase("HQ welcomes {actor:Actor} by name"))
def _(agency: Agency, actor: str) -> None:
    """HQ greeted this hero by their name, and handed them a pass."""
    person = agency.cast.seen(actor)
    wanted = f"HQ to welcome {person.name}"
    answer = expect_answer(person.last_answer, 200, wanted)
    expect(answer == {"welcome": person.name}, expected=wanted,
           observed=answer_in_words(person.last_answer))  # fmt: skip
    expect(
        person.current_pass is not None,
        expected=f"{person.name} to be handed a pass",
        observed=f"{person.name} was handed none",
    )


def _recognition(answer: dict[str, Any], agency: Agency) -> str:
    if answer.get("identified") is True:
        return f"recognises them as {answer.get('name')}"
    return "does not recognise them"


@then(phrase("HQ recognises {actor:Actor} as {hero:Hero}"))
def _(agency: Agency, actor: str, hero: str) -> None:
    """With the pass they hold, HQ identifies this person as this hero."""
    person = agency.cast.seen(actor)
    wanted = {"identified": True, "hero_id": agency.hero_numbers.get(hero), "name": hero}
    answer = _recognised(agency, person)
    expect(
        answer == wanted,
        expected=f"HQ to recognise {person.name} as {hero}",
        observed=f"HQ {_recognition(answer, agency).replace('them', person.name)}",
    )


@then(phrase("HQ does not recognise {actor:Actor}"))
def _(agency: Agency, actor: str) -> None:
    """With whatever pass they hold, HQ takes this person for an anonymous visitor."""
    person = agency.cast.seen(actor)
    answer = _recognised(agency, person)
    expect(
        answer == {"identified": False},
        expected=f"HQ not to recognise {person.name}",
        observed=f"HQ {_recognition(answer, agency).replace('them', person.name)}",
    )


@then(phrase("HQ bids {actor:Actor} farewell"))
def _(agency: Agency, actor: str) -> None:
    """HQ said farewell and told the browser to throw the pass away."""
    person = agency.cast.seen(actor)
    exchange = person.last_answer
    answer = expect_answer(exchange, 200, f"HQ to bid {person.name} farewell")
    expect(
        answer == {"farewell": True},
        expected=f"HQ to bid {person.name} farewell",
        observed=answer_in_words(exchange),
    )
    assert exchange is not None
    cookies = exchange.headers.get_list("set-cookie")
    expect(
        any(c.startswith(f"{PASS_NAME}=;") and "Max-Age=0" in c for c in cookies),
        expected=f"HQ to take {person.name}'s pass back on the way out",
        observed=f"HQ left {person.name} the pass",
    )


@then(phrase("{actor:Actor}'s previous pass no longer opens any door"))
def _(agency: Agency, actor: str) -> None:
    """Replaying the pass this hero held before identifies nobody."""
    person = agency.cast.seen(actor)
    previous = [p for p in person.passes if p != person.current_pass]
    if not previous:
        raise Mismatch(
            f"{person.name} to have held an earlier pass", f"{person.name} only ever held one"
        )
    answer = _recognised(agency, person, previous[-1])
    expect(
        answer == {"identified": False},
        expected=f"{person.name}'s earlier pass to identify nobody",
        observed=f"with it HQ {_recognition(answer, agency).replace('them', 'its holder')}",
    )


@then(phrase("HQ refuses to log {actor:Actor} in as hero number {number:d}"))
def _(agency: Agency, actor: str, number: int) -> None:
    """HQ would not log this person in, because it has no hero with that number."""
    exchange = agency.cast.seen(actor).last_answer
    wanted = f"HQ to refuse to log {actor} in as hero number {number}"
    error = expect_refusal(
        exchange, 401, "unauthorized", "no such hero to log in as", wanted=wanted
    )
    said = error.get("detail", {}).get("hero_id")
    expect(
        error.get("detail") == {"hero_id": number},
        expected=wanted,
        observed=f"HQ refused to log {actor} in as hero number {said}"
        if said is not None
        else f"HQ refused to log {actor} in without naming the hero number",
    )
    assert exchange is not None
    expect(
        not exchange.headers.get_list("set-cookie"),
        expected=f"no pass for {actor}",
        observed=f"HQ handed {actor} a pass",
    )


def _pass_attributes(agency: Agency, actor: str) -> list[str]:
    """The attributes HQ gave the pass it handed this actor in its latest answer."""
    person = agency.cast.seen(actor)
    exchange = person.last_answer
    cookies = exchange.headers.get_list("set-cookie") if exchange else []
    issued = [c for c in cookies if c.startswith(f"{PASS_NAME}=")]
    if not issued:
        raise Mismatch(f"HQ to hand {person.name} a pass", f"HQ handed {person.name} none")
    return [part.strip() for part in issued[-1].split(";")[1:]]


# What each protective attribute of a pass means, in HQ's words.
PROTECTIONS = {
    "HttpOnly": "hidden from page scripts",
    "SameSite=Lax": "not sent by other sites",
    "Path=/": "good for every door of HQ",
}


@then(phrase("{actor:Actor}'s pass is hidden from page scripts and not sent by other sites"))
def _(agency: Agency, actor: str) -> None:
    """Page scripts cannot read the pass, other sites do not send it, and all of HQ accepts it."""
    attributes = _pass_attributes(agency, actor)
    missing = [words for attribute, words in PROTECTIONS.items() if attribute not in attributes]
    expect(
        not missing,
        expected=f"{actor}'s pass to be {names_list(list(PROTECTIONS.values()))}",
        observed=f"it is not {names_list(missing)}",
    )


def _lifetime(attributes: list[str]) -> int | None:
    for attribute in attributes:
        name, _, value = attribute.partition("=")
        if name.lower() == "max-age" and value.strip().lstrip("-").isdigit():
            return int(value)
    return None


@then(phrase("{actor:Actor}'s pass lasts {days:d} days"))
def _(agency: Agency, actor: str, days: int) -> None:
    """The pass expires after this many days."""
    lifetime = _lifetime(_pass_attributes(agency, actor))
    expect(
        lifetime == days * 24 * 3600,
        expected=f"{actor}'s pass to last {duration(days * 24 * 3600)}",
        observed=f"it lasts {duration(lifetime)}"
        if lifetime is not None
        else "it says no lifetime",
    )


@then(phrase("{actor:Actor}'s pass is only sent over secure connections"))
def _(agency: Agency, actor: str) -> None:
    """The pass is only ever sent over encrypted connections."""
    attributes = _pass_attributes(agency, actor)
    expect(
        "Secure" in attributes,
        expected=f"{actor}'s pass to be sent over secure connections only",
        observed="it may be sent over any connection",
    )
