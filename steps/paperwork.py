"""The Auditor's paperwork: what a recruit must file, and every way it can be wrong."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then, when

from hero_hq.settings import Settings
from steps.support.agency import Agency
from steps.support.checks import expect_problems, expect_refusal
from steps.support.vocabulary import FIELDS, one_of, phrase

# Volt's paperwork: every paperwork scenario changes one thing about it.
STANDARD = {"name": "Volt", "power": "lightning", "wattage": 9001}
# How paperwork can be labelled when it is sent; only JSON labels are HQ's format.
FORMATS: dict[str, str | None] = {
    "a plain-text memo": "text/plain",
    "a web form": "application/x-www-form-urlencoded",
    "an unlabelled parcel": None,
    "HQ's format with a character set": "application/json; charset=utf-8",
    "HQ's format with a specialised label": "application/vnd.api+json",
}
BODY_LIMIT = Settings().body_max_bytes


@when(phrase("{actor:Actor} files paperwork with the {field:Field} {value:Value}"))
def _(agency: Agency, actor: str, field: str, value: Any) -> None:
    """Someone files Volt's paperwork with one field set to this ("text", 42, yes, nothing)."""
    agency.recruit(agency.cast[actor], {**STANDARD, field: value})


@when(phrase("{actor:Actor} files paperwork without a {field:Field}"))
def _(agency: Agency, actor: str, field: str) -> None:
    """Someone files Volt's paperwork with this field left out."""
    agency.recruit(agency.cast[actor], {k: v for k, v in STANDARD.items() if k != field})


@when(phrase("{actor:Actor} files paperwork with only a name"))
def _(agency: Agency, actor: str) -> None:
    """Someone files paperwork that has a name and nothing else."""
    agency.recruit(agency.cast[actor], {"name": STANDARD["name"]})


@when(phrase('{actor:Actor} files paperwork with an extra field "{extra}"'))
def _(agency: Agency, actor: str, extra: str) -> None:
    """Someone files Volt's paperwork with a field HQ does not ask for."""
    agency.recruit(agency.cast[actor], {**STANDARD, extra: True})


@when(phrase("{actor:Actor} files paperwork with a {field:Field} of {count:d} letters"))
def _(agency: Agency, actor: str, field: str, count: int) -> None:
    """Someone files Volt's paperwork with this field exactly this many letters long."""
    agency.recruit(agency.cast[actor], {**STANDARD, field: "V" * count})


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
    agency.recruit(agency.cast[actor], [STANDARD])


@when(
    phrase("{actor:Actor} sends {hero:Hero}'s paperwork as {label:Format}", Format=one_of(FORMATS))
)
def _(agency: Agency, actor: str, hero: str, label: str) -> None:
    """Someone sends valid paperwork labelled as something else (a memo, a web form, ...)."""
    agency.recruit(agency.cast[actor], {**STANDARD, "name": hero}, content_type=FORMATS[label])


@when(phrase("{actor:Actor} files paperwork larger than HQ accepts"))
def _(agency: Agency, actor: str) -> None:
    """Someone files paperwork just over HQ's size limit."""
    agency.recruit(agency.cast[actor], {**STANDARD, "power": "x" * BODY_LIMIT})


@then(phrase("the Auditor rejects the {subject} because the {field:Field} {problem}"))
def _(agency: Agency, subject: str, field: str, problem: str) -> None:
    """The last request was refused for exactly this one problem with this field."""
    expect_problems(agency.connection.last, [(FIELDS[field], problem)])


@then("the Auditor lists these problems:")
def _(agency: Agency, datatable: list[list[str]]) -> None:
    """The last request was refused for exactly these problems (field, problem), all at once."""
    _, *rows = datatable
    expect_problems(agency.connection.last, [(FIELDS[field], problem) for field, problem in rows])


@then("the Auditor cannot read the paperwork")
def _(agency: Agency) -> None:
    """The paperwork was refused as unreadable."""
    expect_refusal(agency.connection.last, 422, "invalid_json", "the body is not valid JSON")


@then("the Auditor finds no paperwork")
def _(agency: Agency) -> None:
    """The paperwork was refused because there was none."""
    expect_refusal(agency.connection.last, 422, "invalid_json", "a JSON body is required", {})


@then("HQ refuses the paperwork because it is not in HQ's format")
def _(agency: Agency) -> None:
    """The paperwork was refused unread because of how it was labelled."""
    expect_refusal(
        agency.connection.last, 415, "unsupported_media_type", "send the body as application/json"
    )


@then("HQ refuses the paperwork as too large")
def _(agency: Agency) -> None:
    """The paperwork was refused for being over HQ's size limit."""
    expect_refusal(
        agency.connection.last,
        413,
        "payload_too_large",
        f"the body exceeds {BODY_LIMIT} bytes",
        {"limit": BODY_LIMIT},
    )
