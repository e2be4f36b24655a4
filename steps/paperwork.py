"""The Auditor's paperwork: what a recruit must file, and every way it can be wrong."""

from __future__ import annotations

import json
from typing import Any

from pytest_bdd import then, when

from hq_spec.mismatch import Mismatch
from steps.support.agency import Agency
from steps.support.checks import expect_problem_table, expect_problems, expect_refusal
from steps.support.connection import Exchange
from steps.support.vocabulary import one_of, phrase, size_words

# How paperwork can be labelled when it is sent; only JSON labels are HQ's format.
FORMATS: dict[str, str | None] = {
    "a plain-text memo": "text/plain",
    "a web form": "application/x-www-form-urlencoded",
    "an unlabelled parcel": None,
    "HQ's format with a character set": "application/json; charset=utf-8",
    "HQ's format with a specialised label": "application/vnd.api+json",
}
# What the Auditor can reject, and the request (method, address) each one is.
SUBJECTS: dict[str, tuple[str, str]] = {
    "paperwork": ("POST", "/heroes/"),
    "login": ("POST", "/me/login"),
    "dispatch": ("POST", "/missions/dispatch"),
    "look-up": ("GET", "/heroes/"),
}


def paperwork_of(agency: Agency, hero: str) -> dict[str, Any]:
    """A hero's standard paperwork: every paperwork scenario changes one thing about it."""
    power, wattage = agency.standard_paperwork(hero)
    return {"name": hero, "power": power, "wattage": wattage}


def padded(paperwork: dict[str, Any], size: int) -> bytes:
    """The paperwork with a note HQ ignores, padded so the whole is exactly `size` bytes."""
    empty = json.dumps({**paperwork, "notes": ""}, ensure_ascii=False).encode()
    if len(empty) > size:
        raise ValueError(f"paperwork cannot be as small as {size_words(size)}")
    return json.dumps({**paperwork, "notes": "x" * (size - len(empty))}).encode()


@when(phrase("{actor:Actor} files {hero:Hero}'s paperwork with the {field:Field} {value:Value}"))
def _(agency: Agency, actor: str, hero: str, field: str, value: Any) -> None:
    """Someone files a hero's paperwork with one field set to this ("text", 42, yes, nothing)."""
    agency.recruit(agency.cast[actor], {**paperwork_of(agency, hero), field: value})


@when(phrase("{actor:Actor} files {hero:Hero}'s paperwork without a {field:Field}"))
def _(agency: Agency, actor: str, hero: str, field: str) -> None:
    """Someone files a hero's paperwork with this field left out."""
    paperwork = paperwork_of(agency, hero)
    agency.recruit(agency.cast[actor], {k: v for k, v in paperwork.items() if k != field})


@when(phrase("{actor:Actor} files {hero:Hero}'s paperwork with only a name"))
def _(agency: Agency, actor: str, hero: str) -> None:
    """Someone files paperwork that has the hero's name and nothing else."""
    agency.recruit(agency.cast[actor], {"name": paperwork_of(agency, hero)["name"]})


@when(phrase('{actor:Actor} files {hero:Hero}\'s paperwork with an extra field "{extra}"'))
def _(agency: Agency, actor: str, hero: str, extra: str) -> None:
    """Someone files a hero's paperwork with a field HQ does not ask for."""
    agency.recruit(agency.cast[actor], {**paperwork_of(agency, hero), extra: True})


@when(
    phrase(
        "{actor:Actor} files {hero:Hero}'s paperwork with a {field:Field} of {count:d} characters"
    )
)
def _(agency: Agency, actor: str, hero: str, field: str, count: int) -> None:
    """Someone files a hero's paperwork with this field exactly this many characters long."""
    agency.recruit(agency.cast[actor], {**paperwork_of(agency, hero), field: "V" * count})


@when(phrase("{actor:Actor} files {hero:Hero}'s paperwork padded to {size:Size}"))
def _(agency: Agency, actor: str, hero: str, size: int) -> None:
    """Someone files a hero's paperwork with a long note, so that it is exactly this large."""
    agency.recruit(agency.cast[actor], raw=padded(paperwork_of(agency, hero), size))


@when(phrase("{actor:Actor} files garbled paperwork"))
def _(agency: Agency, actor: str) -> None:
    """Someone files paperwork that cannot be read at all."""
    agency.recruit(agency.cast[actor], raw=b'{"name": "Volt", oops')


@when(phrase("{actor:Actor} files an empty envelope"))
def _(agency: Agency, actor: str) -> None:
    """Someone files an envelope with no paperwork in it."""
    agency.recruit(agency.cast[actor], raw=b"")


@when(phrase("{actor:Actor} files a list instead of a form"))
def _(agency: Agency, actor: str) -> None:
    """Someone files a list of things where a form with named fields belongs."""
    agency.recruit(agency.cast[actor], [paperwork_of(agency, "Volt")])


@when(
    phrase("{actor:Actor} sends {hero:Hero}'s paperwork as {label:Format}", Format=one_of(FORMATS))
)
def _(agency: Agency, actor: str, hero: str, label: str) -> None:
    """Someone sends a hero's valid paperwork labelled as something else (a memo, a web form...)."""
    agency.recruit(agency.cast[actor], paperwork_of(agency, hero), content_type=FORMATS[label])


def _subject_of(exchange: Exchange | None) -> str:
    if exchange is None:
        return "nothing (HQ was never asked anything)"
    for subject, (method, address) in SUBJECTS.items():
        # The roster's own address is paperwork; an address below it is a look-up.
        same_door = exchange.method == method and exchange.path.startswith(address.rstrip("/"))
        if same_door and (subject == "paperwork" or exchange.path.rstrip("/") != "/heroes"):
            return subject
    return f"a request to {exchange.path}"


def _expect_subject(exchange: Exchange | None, subject: str) -> None:
    actual = _subject_of(exchange)
    if actual != subject:
        raise Mismatch(
            f"the Auditor to reject the {subject}", f"the latest request was the {actual}"
        )


@then(
    phrase(
        "the Auditor rejects the {subject:Subject} because the {field:Field} {problem}",
        Subject=one_of(SUBJECTS),
    )
)
def _(agency: Agency, subject: str, field: str, problem: str) -> None:
    """The latest paperwork, login, dispatch or look-up was refused for this one problem."""
    _expect_subject(agency.last_answer, subject)
    expect_problems(agency.last_answer, [(field, problem)], subject)


@then("the Auditor lists these problems:")
def _(agency: Agency, datatable: list[list[str]]) -> None:
    """The latest paperwork was refused for exactly these problems (field, problem), all at once."""
    header, *rows = datatable
    _expect_subject(agency.last_answer, "paperwork")
    expect_problem_table(agency.last_answer, header, rows)


@then("the Auditor cannot read the paperwork")
def _(agency: Agency) -> None:
    """The paperwork was refused as unreadable."""
    _expect_subject(agency.last_answer, "paperwork")
    expect_refusal(agency.last_answer, 422, "invalid_json", "the body is not valid JSON")


@then("the Auditor finds no paperwork")
def _(agency: Agency) -> None:
    """The paperwork was refused because there was none."""
    _expect_subject(agency.last_answer, "paperwork")
    expect_refusal(agency.last_answer, 422, "invalid_json", "a JSON body is required", {})


@then("HQ refuses the paperwork because it is not in HQ's format")
def _(agency: Agency) -> None:
    """The paperwork was refused unread because of how it was labelled."""
    _expect_subject(agency.last_answer, "paperwork")
    expect_refusal(
        agency.last_answer, 415, "unsupported_media_type", "send the body as application/json"
    )


@then(phrase("HQ refuses the paperwork as larger than {size:Size}"))
def _(agency: Agency, size: int) -> None:
    """The paperwork was refused, unread, for being larger than this."""
    _expect_subject(agency.last_answer, "paperwork")
    expect_refusal(
        agency.last_answer,
        413,
        "payload_too_large",
        f"the body exceeds {size} bytes",
        {"limit": size},
        wanted=f"HQ to refuse the paperwork as larger than {size_words(size)}",
    )
