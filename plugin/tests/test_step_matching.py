"""A step parser's fixed opening turns wordings away without compiling it, never wrongly."""

from __future__ import annotations

import itertools
import re

import pytest
from pytest_bdd import parsers

from hq_spec.step_matching import NO_SKELETON, could_match, matches, skeleton_of

PARSERS = [
    parsers.parse("Volt recruits {name}"),
    parsers.parse("{who} recruits {name} at {place}"),
    parsers.parse("{who} recruits {name}"),
    parsers.parse("Ñandú waves {x}"),
    parsers.parse("{name} recruits Volt"),
    parsers.parse("the badge {{HQ}} opens {door}"),
    parsers.parse("a brace { stays plain {word}"),
    parsers.parse("x{,}y {rest}"),
    parsers.parse("wait a{,2}b"),
    parsers.parse("x{0,1} y"),
    parsers.parse("Case Counts {here}", case_sensitive=True),
    parsers.parse("Kelvin at {degrees:d}"),
    parsers.parse("the roster is empty"),
    parsers.cfparse("Volt recruits {names:Name+}", extra_types={"Name": str}),
    parsers.re(r"Volt (?P<verb>\w+) Tide"),
    parsers.string("Volt waves"),
]
WORDINGS = [
    "Volt recruits Tide",
    "Volt recruits Tide at HQ",
    "Volt recruits Tide at",
    "Volt at HQ recruits Tide",
    "ñandú waves hola",
    "volt RECRUITS tide",
    "Tide recruits Volt",
    "the badge {HQ} opens the vault",
    "the badge HQ opens the vault",
    "a brace { stays plain here",
    "x y z",
    "wait b",
    "wait aab",
    " y",
    "x y",
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


def test_the_skeleton_is_the_fixed_text_in_order() -> None:
    assert skeleton_of(parsers.parse("Volt recruits {name}")) == (("volt recruits ",), True, True)
    assert skeleton_of(parsers.parse("{who} recruits {name} at {place}")) == (
        (" recruits ", " at "), True, False,
    )  # fmt: skip
    assert skeleton_of(parsers.parse("the badge {{HQ}} opens {door}")) == (
        ("the badge {hq} opens ",), True, True,
    )  # fmt: skip
    assert skeleton_of(parsers.parse("Case {x}", case_sensitive=True)) == (("Case ",), False, True)
    # A brace the library leaves unescaped may count the repeats of the character before it:
    # the fixed text stops before that character.
    assert skeleton_of(parsers.parse("wait a{,2}b")) == (("wait ",), True, True)
    assert skeleton_of(parsers.parse("x{,}y {rest}"))[0] == ()  # nothing fixed: always tried
    # Case-blind text beyond ASCII is left to the parser.
    assert skeleton_of(parsers.parse("Ñandú waves {x}")) == NO_SKELETON


def test_other_parsers_have_no_skeleton_and_are_always_tried() -> None:
    for parser in (parsers.re("Volt (?P<verb>\\w+)"), parsers.string("Volt waves")):
        assert skeleton_of(parser) == NO_SKELETON
        assert could_match(parser, "anything at all")


def test_a_wording_turned_away_never_compiles_the_phrase(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real_compile = re.compile

    def counting_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real_compile(pattern, flags)

    opening, inner = parsers.parse("Volt recruits {name}"), parsers.parse("{who} recruits {name}")
    monkeypatch.setattr(re, "compile", counting_compile)
    assert not matches(opening, "Tide greets Volt")
    assert not matches(inner, "Tide greets Volt")  # a phrase that opens with a fill-in too
    assert compiled == []
    assert matches(inner, "Volt recruits Tide")
    assert any("recruits" in pattern for pattern in compiled)
