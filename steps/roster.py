"""The roster: recruiting heroes and finding them again."""

from __future__ import annotations

from pytest_bdd import given, then, when

from hq_spec.mismatch import expect
from steps.support.agency import Agency
from steps.support.checks import describe, expect_answer, expect_refusal
from steps.support.vocabulary import phrase


@given("the roster is empty")
def _(agency: Agency) -> None:
    """Nobody has been recruited yet."""
    heroes = expect_answer(
        agency.roster(agency.cast["a visitor"]), 200, "the roster to be readable"
    )
    expect(heroes == [], expected="an empty roster", observed=f"the roster held {heroes}")


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


@then(phrase("HQ files {hero:Hero} as hero number {number:d}"))
def _(agency: Agency, hero: str, number: int) -> None:
    """The last recruitment put this hero on the roster under this number."""
    exchange = agency.connection.last
    filed = expect_answer(exchange, 201, f"HQ to file {hero} as hero number {number}")
    expect(
        filed.get("id") == number and filed.get("name") == hero,
        expected=f"{hero} filed as hero number {number}",
        observed=f"HQ filed {filed}",
    )


@then(phrase('{hero:Hero} is on the roster with the power "{power}" and {wattage:d} watts'))
@then(phrase('"{hero}" is on the roster with the power "{power}" and {wattage:d} watts'))
def _(agency: Agency, hero: str, power: str, wattage: int) -> None:
    """Looking the hero up, and reading the roster, both show exactly this paperwork."""
    visitor = agency.cast["a visitor"]
    number = agency.hero_numbers.get(hero)
    expect(
        number is not None, expected=f"{hero} to have been recruited", observed="they never were"
    )
    wanted = {"id": number, "name": hero, "power": power, "wattage": wattage}
    found = expect_answer(agency.look_up(visitor, str(number)), 200, f"to find {hero}")
    expect(
        found == wanted, expected=f"{hero}'s record to read {wanted}", observed=f"it read {found}"
    )
    roster = expect_answer(agency.roster(visitor), 200, "the roster to be readable")
    expect(
        wanted in roster, expected=f"the roster to include {wanted}", observed=f"it held {roster}"
    )


@then(phrase("the roster lists {names:Names} in that order"))
def _(agency: Agency, names: list[str]) -> None:
    """The roster, as last read, names exactly these heroes in this order."""
    roster = expect_answer(agency.connection.last, 200, "the roster")
    listed = [hero.get("name") for hero in roster]
    expect(listed == names, expected=f"the roster to list {names}", observed=f"it listed {listed}")
    numbers = [hero.get("id") for hero in roster]
    expect(
        numbers == list(range(1, len(names) + 1)),
        expected="hero numbers counting up from 1",
        observed=f"numbers {numbers}",
    )


@then("the roster lists nobody")
def _(agency: Agency) -> None:
    """The roster, as last read, is empty."""
    roster = expect_answer(agency.connection.last, 200, "the roster")
    expect(roster == [], expected="an empty roster", observed=f"it listed {roster}")


@then(phrase('{actor:Actor} is shown {hero:Hero} with the power "{power}" and {wattage:d} watts'))
def _(agency: Agency, actor: str, hero: str, power: str, wattage: int) -> None:
    """The last hero looked up is this hero, with exactly this paperwork."""
    shown = expect_answer(agency.answers.get(agency.cast[actor].name), 200, f"to be shown {hero}")
    wanted = {"id": agency.hero_numbers.get(hero), "name": hero, "power": power, "wattage": wattage}
    expect(shown == wanted, expected=f"to be shown {wanted}", observed=f"was shown {shown}")


@then(phrase("HQ tells {actor:Actor} there is no hero number {number:d}"))
def _(agency: Agency, actor: str, number: int) -> None:
    """HQ says plainly that it has no hero filed under that number."""
    exchange = agency.answers.get(agency.cast[actor].name)
    expect_refusal(exchange, 404, "hero_not_found", "no such hero", {"id": number})


@then("nobody has joined the roster")
def _(agency: Agency) -> None:
    """The roster is still empty: whatever was refused left no trace."""
    heroes = expect_answer(agency.roster(agency.cast["a visitor"]), 200, "the roster")
    expect(heroes == [], expected="nobody on the roster", observed=f"the roster held {heroes}")


@then(phrase("the roster holds {count:d} hero"))
@then(phrase("the roster holds {count:d} heroes"))
def _(agency: Agency, count: int) -> None:
    """The roster holds exactly this many heroes."""
    heroes = expect_answer(agency.roster(agency.cast["a visitor"]), 200, "the roster")
    expect(
        len(heroes) == count,
        expected=f"{count} heroes on the roster",
        observed=f"{len(heroes)}: {describe(agency.connection.last)}",
    )
