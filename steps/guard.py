"""The guard: badges, and villains turned away at the door."""

from __future__ import annotations

from pytest_bdd import given, then, when

from steps.support.agency import Agency
from steps.support.checks import expect_refusal
from steps.support.vocabulary import phrase


@given(phrase("{actor:Actor} carries no badge"))
def _(agency: Agency, actor: str) -> None:
    """This person shows no badge at HQ's door."""
    agency.cast[actor].badges.clear()


@given(phrase('{actor:Actor} carries the badge "{badge}"'))
def _(agency: Agency, actor: str, badge: str) -> None:
    """This person shows exactly this badge."""
    agency.cast[actor].badges[:] = [badge]


@given(phrase("{actor:Actor} carries a valid HQ badge"))
def _(agency: Agency, actor: str) -> None:
    """This person shows a badge HQ accepts."""
    agency.cast[actor].badges[:] = [agency.cast.valid_badge]


@given(phrase('{actor:Actor} carries the badge "{badge}" and then a valid HQ badge'))
def _(agency: Agency, actor: str, badge: str) -> None:
    """This person shows two badges: this one first, then a valid one."""
    agency.cast[actor].badges[:] = [badge, agency.cast.valid_badge]


@given(phrase('{actor:Actor} carries a valid HQ badge and then the badge "{badge}"'))
def _(agency: Agency, actor: str, badge: str) -> None:
    """This person shows two badges: a valid one first, then this one."""
    agency.cast[actor].badges[:] = [agency.cast.valid_badge, badge]


@when(phrase("{actor:Actor} tries to recruit {hero:Hero}"))
def _(agency: Agency, actor: str, hero: str) -> None:
    """This person, with whatever badge they carry, tries to recruit a hero."""
    agency.recruit_persona(agency.cast[actor], hero)


@then(phrase("HQ turns {actor:Actor} away as a villain"))
def _(agency: Agency, actor: str) -> None:
    """The guard refuses this person as a villain, and tells them to show a valid badge."""
    expect_refusal(
        agency.cast.seen(actor).last_answer,
        403,
        "villain_detected",
        "halt! that is not a valid HQ badge",
        {"hint": "send a valid X-HQ-Badge header"},
    )
