"""A step parser's fixed opening turns wordings away without compiling it, never wrongly."""

from __future__ import annotations

import itertools
import re

import pytest
from pytest_bdd import parsers

from hq_spec.step_matching import could_match, matches, opening_of

PARSERS = [
    parsers.parse("Volt recruits {name}"),
    parsers.parse("{name} recruits Volt"),
    parsers.parse("the badge {{HQ}} opens {door}"),
    parsers.parse("a brace { stays plain {word}"),
    parsers.parse("x{,}y {rest}"),
    parsers.parse("Case Counts {here}", case_sensitive=True),
    parsers.parse("Kelvin at {degrees:d}"),
    parsers.parse("the roster is empty"),
    parsers.cfparse("Volt recruits {names:Name+}", extra_types={"Name": str}),
    parsers.re(r"Volt (?P<verb>\w+) Tide"),
    parsers.string("Volt waves"),
]
WORDINGS = [
    "Volt recruits Tide",
    "volt RECRUITS tide",
    "Tide recruits Volt",
    "the badge {HQ} opens the vault",
    "the badge HQ opens the vault",
    "a brace { stays plain here",
    "x y z",
    "xy z",
    "Case Counts now",
    "case counts now",
    "\u212aelvin at 300",  # the Kelvin sign, which a case-blind expression pairs with k
    "Kelvin at 300",
    "the roster is empty",
    "THE ROSTER IS EMPTY",
    "Volt recruits Tide, Ebb",
    "Volt greets Tide",
    "Volt waves",
    "",
]


@pytest.mark.parametrize(
    ("parser", "wording"),
    list(itertools.product(PARSERS, WORDINGS)),
    ids=[f"{p.name}|{w}" for p, w in itertools.product(PARSERS, WORDINGS)],
)
def test_a_wording_matches_exactly_when_the_parser_says_so(parser: object, wording: str) -> None:
    assert matches(parser, wording) == parser.is_matching(wording)  # type: ignore[attr-defined]


def test_the_opening_is_the_text_before_the_first_fill_in() -> None:
    assert opening_of(parsers.parse("Volt recruits {name}")) == ("Volt recruits ", True)
    assert opening_of(parsers.parse("the badge {{HQ}} opens {door}")) == (
        "the badge {HQ} opens ",
        True,
    )
    assert opening_of(parsers.parse("Case {x}", case_sensitive=True)) == ("Case ", False)
    assert opening_of(parsers.parse("{name} recruits Volt")) == ("", True)
    # A brace the library leaves unescaped may count repeats: the opening stops before it.
    assert opening_of(parsers.parse("x{,}y {rest}")) == ("x", True)


def test_other_parsers_have_no_opening_and_are_always_tried() -> None:
    for parser in (parsers.re("Volt (?P<verb>\\w+)"), parsers.string("Volt waves")):
        assert opening_of(parser) == ("", False)
        assert could_match(parser, "anything at all")


def test_a_wording_turned_away_never_compiles_the_phrase(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real_compile = re.compile

    def counting_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real_compile(pattern, flags)

    parser = parsers.parse("Volt recruits {name}")
    monkeypatch.setattr(re, "compile", counting_compile)
    assert not matches(parser, "Tide greets Volt")
    assert compiled == []
    assert matches(parser, "Volt recruits Tide")
    assert any("recruits" in pattern for pattern in compiled)
