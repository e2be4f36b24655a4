"""The roster: recruiting heroes and finding them again."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, then, when

from hq_spec.mismatch import Mismatch, expect
from steps.support.agency import Agency
from steps.support.checks import expect_answer, expect_refusal
from steps.support.vocabulary import phrase
from steps.support.wording import hero_record, names_list


@given("the roster is empty")
def _(agency: Agency) -> None:
    """Nobody has been recruited yet."""
    heroes = expect_answer(agency.roster(agency.observer), 200, "the roster to be readable")
    expect(
        heroes == [],
        expected="an empty roster",
        observed=f"the roster lists {names_list([hero.get('name') for hero in heroes])}",
    )


@given(phrase("{hero:Hero} has joined the roster"))
def _(agency: Agency, hero: str) -> None:
    """The quartermaster has recruited this hero with their standard paperwork."""
    exchange = agency.recruit_persona(agency.cast["the quartermaster"], hero)
    expect_answer(exchange, 201, f"{hero} to join the roster")


@given("these heroes have joined the roster:")
def _(agency: Agency, datatable: list[list[str]]) -> None:
    """The quartermaster has recruited each hero in the table (name, power, wattage), in order."""
    header, *rows = datatable
    for row in rows:
        paperwork = dict(zip(header, row, strict=True))
        agency.cast[paperwork["name"]]  # each hero in the table is introduced
        exchange = agency.recruit(
            agency.cast["the quartermaster"],
            {
                "name": paperwork["name"],
                "power": paperwork["power"],
                "wattage": int(paperwork["wattage"]),
            },
        )
        expect_answer(exchange, 201, f"{paperwork['name']} to join the roster")


@when(phrase("{actor:Actor} recruits {hero:Hero}"))
def _(agency: Agency, actor: str, hero: str) -> None:
    """Someone recruits a hero with that hero's standard paperwork."""
    agency.recruit_persona(agency.cast[actor], hero)


@when(phrase('{actor:Actor} recruits "{name}" with the power "{power}" at {wattage:d} watts'))
def _(agency: Agency, actor: str, name: str, power: str, wattage: int) -> None:
    """Someone recruits a hero with exactly this paperwork."""
    agency.cast[name]
    agency.recruit(agency.cast[actor], {"name": name, "power": power, "wattage": wattage})


@when(phrase("{actor:Actor} reads the roster"))
def _(agency: Agency, actor: str) -> None:
    """Someone reads the whole roster (no badge needed)."""
    agency.roster(agency.cast[actor])


@when(phrase("{actor:Actor} looks up hero number {number:d}"))
def _(agency: Agency, actor: str, number: int) -> None:
    """Someone asks HQ for the hero filed under this number."""
    agency.look_up(agency.cast[actor], str(number))


@when(phrase('{actor:Actor} looks up the hero numbered "{written}"'))
def _(agency: Agency, actor: str, written: str) -> None:
    """Someone asks for a hero by a number written exactly like this (even if it is no number)."""
    agency.look_up(agency.cast[actor], written)


def _filed_as(filed: object) -> str:
    if isinstance(filed, dict) and "id" in filed:
        return f"{filed.get('name')} is hero number {filed['id']}"
    return "HQ filed no hero"


@then(phrase("HQ files {hero:Hero} as hero number {number:d}"))
def _(agency: Agency, hero: str, number: int) -> None:
    """The latest recruitment put this hero on the roster under this number."""
    wanted = f"{hero} to be hero number {number}"
    filed = expect_answer(agency.last_answer, 201, wanted)
    expect(
        isinstance(filed, dict) and filed.get("id") == number and filed.get("name") == hero,
        expected=wanted,
        observed=_filed_as(filed),
    )


@then(phrase('{hero:Hero} is on the roster with the power "{power}" and {wattage:d} watts'))
@then(phrase('"{hero}" is on the roster with the power "{power}" and {wattage:d} watts'))
def _(agency: Agency, hero: str, power: str, wattage: int) -> None:
    """Looking the hero up, and reading the roster, both show exactly this paperwork."""
    number = agency.hero_numbers.get(hero)
    if number is None:
        raise Mismatch(f"{hero} to have joined the roster", f"HQ never filed {hero}")
    wanted = {"id": number, "name": hero, "power": power, "wattage": wattage}
    record = hero_record(wanted)
    exchange = agency.look_up(agency.observer, str(number))
    found = expect_answer(exchange, 200, f"to find {record}")
    # What HQ holds is put in words only when it differs: a large roster takes long to retell.
    if found != wanted:
        raise Mismatch(f"the roster to hold {record}", f"it holds {hero_record(found)}")
    roster = expect_answer(agency.roster(agency.observer), 200, "the roster to be readable")
    if wanted not in roster:
        listed = "; ".join(hero_record(h) for h in roster) or "nobody"
        raise Mismatch(f"the roster to list {record}", f"it lists {listed}")


def _read_roster(agency: Agency) -> list[dict[str, Any]]:
    roster: list[dict[str, Any]] = expect_answer(agency.last_answer, 200, "the roster")
    return roster


@then(phrase("the roster lists {names:Names} in that order"))
def _(agency: Agency, names: list[str]) -> None:
    """The roster, as last read, names exactly these heroes in this order, numbered from 1."""
    roster = _read_roster(agency)
    listed = [hero.get("name") for hero in roster]
    expect(
        listed == names,
        expected=f"the roster to list {names_list(names)}, in that order",
        observed=f"it listed {names_list(listed)}",
    )
    numbers = [hero.get("id") for hero in roster]
    expect(
        numbers == list(range(1, len(names) + 1)),
        expected=f"{names_list(names)} to be hero numbers 1 to {len(names)}",
        observed=f"they are hero numbers {names_list(numbers)}",
    )


@then("the roster lists nobody")
def _(agency: Agency) -> None:
    """The roster, as last read, is empty."""
    listed = [hero.get("name") for hero in _read_roster(agency)]
    expect(
        not listed, expected="the roster to list nobody", observed=f"it listed {names_list(listed)}"
    )


@then(phrase('{actor:Actor} is shown {hero:Hero} with the power "{power}" and {wattage:d} watts'))
def _(agency: Agency, actor: str, hero: str, power: str, wattage: int) -> None:
    """The hero this person last looked up is this hero, with exactly this paperwork."""
    person = agency.cast.seen(actor)
    wanted = {"id": agency.hero_numbers.get(hero), "name": hero, "power": power, "wattage": wattage}
    shown = expect_answer(
        person.last_answer, 200, f"{person.name} to be shown {hero_record(wanted)}"
    )
    expect(
        shown == wanted,
        expected=f"{person.name} to be shown {hero_record(wanted)}",
        observed=f"{person.name} is shown {hero_record(shown)}",
    )


@then(phrase("HQ tells {actor:Actor} there is no hero number {number:d}"))
def _(agency: Agency, actor: str, number: int) -> None:
    """HQ says plainly that it has no hero filed under that number."""
    exchange = agency.cast.seen(actor).last_answer
    wanted = f"HQ to tell {actor} there is no hero number {number}"
    error = expect_refusal(exchange, 404, "hero_not_found", "no such hero", wanted=wanted)
    said = error.get("detail", {}).get("id")
    expect(
        error.get("detail") == {"id": number},
        expected=wanted,
        observed=f"HQ told {actor} there is no hero number {said}"
        if said is not None
        else f"HQ told {actor} there is no such hero without naming the number",
    )


@then("nobody has joined the roster")
def _(agency: Agency) -> None:
    """The roster is still empty: whatever was refused left no trace."""
    heroes = expect_answer(agency.roster(agency.observer), 200, "the roster")
    expect(
        heroes == [],
        expected="nobody on the roster",
        observed=f"the roster lists {names_list([hero.get('name') for hero in heroes])}",
    )


@then(phrase("the roster holds {count:d} hero"))
@then(phrase("the roster holds {count:d} heroes"))
def _(agency: Agency, count: int) -> None:
    """The roster holds exactly this many heroes."""
    heroes = expect_answer(agency.roster(agency.observer), 200, "the roster")
    expect(
        len(heroes) == count,
        expected=f"the roster to hold {count} hero{'es' if count != 1 else ''}",
        observed=f"it holds {len(heroes)}",
    )
