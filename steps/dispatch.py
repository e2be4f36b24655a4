"""Dispatch: sending heroes out at once, and the mission log that records it afterwards."""

from __future__ import annotations

from pytest_bdd import then, when

from hq_spec.mismatch import expect
from steps.support.agency import Agency
from steps.support.checks import expect_answer
from steps.support.deadlines import eventually
from steps.support.vocabulary import phrase
from steps.support.wording import answer_in_words, names_list


def _logged(agency: Agency) -> list[str]:
    answer = expect_answer(agency.mission_log(agency.observer), 200, "the mission log")
    dispatched: list[str] = answer.get("dispatched", [])
    return dispatched


@when(phrase("{actor:Actor} dispatches {hero:Hero}"))
@when(phrase('{actor:Actor} dispatches "{hero:Text}"'))
def _(agency: Agency, actor: str, hero: str) -> None:
    """Someone sends this hero on a mission (any name is accepted; quote it to send it exactly)."""
    agency.dispatch(agency.cast[actor], hero)


@when(phrase("{actor:Actor} dispatches nobody"))
def _(agency: Agency, actor: str) -> None:
    """Someone asks for a dispatch without naming a hero."""
    agency.dispatch(agency.cast[actor], None)


@when(phrase("{actor:Actor} reads the mission log"))
def _(agency: Agency, actor: str) -> None:
    """Someone reads the mission log."""
    agency.mission_log(agency.cast[actor])


@then(phrase("HQ accepts the dispatch of {hero:Hero}"))
def _(agency: Agency, hero: str) -> None:
    """HQ accepted the dispatch at once, before recording it."""
    wanted = f"HQ to accept the dispatch of {hero}"
    answer = expect_answer(agency.last_answer, 202, wanted)
    expect(
        answer == {"dispatched": hero},
        expected=wanted,
        observed=answer_in_words(agency.last_answer),
    )


@then(phrase("the mission log shows {names:Names}"))
@then(phrase("the mission log shows {names:Names} in that order"))
def _(agency: Agency, names: list[str]) -> None:
    """Soon after the dispatches, the mission log lists exactly these heroes, in order."""
    # Recording happens after HQ answers, so a live HQ may need a moment: look again until due.
    logged = eventually(lambda: _logged(agency), lambda seen: seen == names)
    expect(
        logged == names,
        expected=f"the mission log to show {names_list(names)}",
        observed=f"it shows {names_list(logged)}",
    )


@then("the mission log is empty")
def _(agency: Agency) -> None:
    """Nobody has been recorded as dispatched."""
    logged = _logged(agency)
    expect(logged == [], expected="an empty mission log", observed=f"it shows {names_list(logged)}")
