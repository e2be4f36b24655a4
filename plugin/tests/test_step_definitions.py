"""Which definition ran a step, as the stream states it: each wording bound once, and rightly."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pytest_bdd import given, parsers, when

from hq_spec.step_definitions import StepDefinitions


@given(parsers.parse("{hero} joins the roster"))
@when(parsers.parse("{hero} signs up with {watts:d} watts"))
def _twice(hero: str, watts: int = 0) -> None:
    """One function under two phrases."""


def a_step(keyword: str, text: str) -> Any:
    return SimpleNamespace(type=keyword, name=text)


def bound(definitions: StepDefinitions, keyword: str, text: str) -> tuple[str, list[str]]:
    definition, arguments = definitions.match(_twice, a_step(keyword, text))
    values = [each.group.value for each in arguments.step_match_arguments]
    return definition.pattern.source, values


def test_one_function_under_two_phrases_is_bound_by_the_phrase_each_step_matches() -> None:
    definitions = StepDefinitions(Path.cwd())
    assert bound(definitions, "given", "Volt joins the roster") == (
        "{hero} joins the roster",
        ["Volt"],
    )
    assert bound(definitions, "when", "Tide signs up with 7 watts") == (
        "{hero} signs up with {watts:d} watts",
        ["Tide", "7"],
    )
    # Asked again, in the other order: each wording keeps its own binding.
    assert bound(definitions, "when", "Tide signs up with 7 watts")[0].startswith("{hero} signs")
    assert bound(definitions, "given", "Volt joins the roster")[1] == ["Volt"]
    assert bound(definitions, "given", "Gale joins the roster")[1] == ["Gale"]


def test_a_wording_is_matched_against_the_phrases_once(monkeypatch: pytest.MonkeyPatch) -> None:
    definitions = StepDefinitions(Path.cwd())
    checked: list[str] = []
    for context in definitions.contexts_of(_twice):
        matches = context.parser.is_matching

        def spy(text: str, matches: Any = matches) -> bool:
            checked.append(text)
            return bool(matches(text))

        monkeypatch.setattr(context.parser, "is_matching", spy)
    for _ in range(3):
        bound(definitions, "given", "Volt joins the roster")
    assert checked.count("Volt joins the roster") == 1  # one pass over the phrases
    bound(definitions, "given", "Tide joins the roster")
    assert "Tide joins the roster" in checked  # a new wording is matched afresh


def test_a_function_defined_after_the_first_lookup_is_found() -> None:
    definitions = StepDefinitions(Path.cwd())
    bound(definitions, "given", "Volt joins the roster")

    @given("the gate opens late")
    def _late() -> None: ...

    definition, _ = definitions.match(_late, a_step("given", "the gate opens late"))
    assert definition.pattern.source == "the gate opens late"
    assert bound(definitions, "given", "Volt joins the roster")[1] == ["Volt"]
