"""pytest-bdd parses each wording once per step definition; converters still run at every step."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import parsers
from pytest_bdd.exceptions import StepImplementationError
from pytest_bdd.parser import Step
from pytest_bdd.scenario import parse_step_arguments
from pytest_bdd.steps import StepFunctionContext

from hq_spec.step_arguments import ArgumentCache

pytest_plugins = ["pytester"]


def step(wording: str) -> Step:
    return Step(name=wording, type="given", indent=0, line_number=1, keyword="Given ")


def definition(parser: Any, **converters: Any) -> StepFunctionContext:
    return StepFunctionContext(
        type="given", step_func=lambda: None, parser=parser, converters=converters
    )


def counting_cache() -> tuple[ArgumentCache, list[str]]:
    """A cache over pytest-bdd's own parse that notes every wording it had to parse."""
    parsed: list[str] = []

    def parse(step: Step, context: StepFunctionContext) -> dict[str, Any]:
        parsed.append(step.name)
        return parse_step_arguments(step, context)

    return ArgumentCache(parse), parsed


def test_a_wording_is_parsed_once_however_often_its_step_runs() -> None:
    cache, parsed = counting_cache()
    recruits = definition(parsers.parse("{hero} recruits {count:d} heroes"))
    for _ in range(3):
        assert cache.parse_step_arguments(step("Volt recruits 2 heroes"), recruits) == {
            "hero": "Volt",
            "count": 2,
        }
    assert cache.parse_step_arguments(step("Tide recruits 5 heroes"), recruits) == {
        "hero": "Tide",
        "count": 5,
    }
    assert parsed == ["Volt recruits 2 heroes", "Tide recruits 5 heroes"]


def test_the_same_wording_under_two_definitions_is_parsed_by_each() -> None:
    cache, _ = counting_cache()
    as_text = definition(parsers.parse("{count} heroes"))
    as_number = definition(parsers.parse("{count:d} heroes"))
    assert cache.parse_step_arguments(step("7 heroes"), as_text) == {"count": "7"}
    assert cache.parse_step_arguments(step("7 heroes"), as_number) == {"count": 7}


def test_converters_run_at_every_step_so_each_gets_an_object_of_its_own() -> None:
    cache, parsed = counting_cache()
    listed = definition(parsers.parse("the roster lists {names}"), names=lambda text: [text])
    first = cache.parse_step_arguments(step("the roster lists Volt"), listed)
    second = cache.parse_step_arguments(step("the roster lists Volt"), listed)
    assert first == second == {"names": ["Volt"]}
    first["names"].append("Tide")  # one step changing what it was given...
    assert second["names"] == ["Volt"]  # ...changes nothing another step was given
    assert parsed == ["the roster lists Volt"]


def test_a_value_a_step_could_change_in_place_is_parsed_afresh_each_time() -> None:
    cache, parsed = counting_cache()
    split = parsers.parse("the roster lists {names:Names}", extra_types={"Names": str.split})
    listed = definition(split)
    first = cache.parse_step_arguments(step("the roster lists Volt Tide"), listed)
    first["names"].append("Gale")
    second = cache.parse_step_arguments(step("the roster lists Volt Tide"), listed)
    assert second == {"names": ["Volt", "Tide"]}
    assert parsed == ["the roster lists Volt Tide"] * 2


def test_pytest_bdds_own_refusals_still_reach_the_author() -> None:
    cache, _ = counting_cache()
    reserved = definition(parsers.parse("a table {datatable}"))
    with pytest.raises(StepImplementationError, match="reserved: 'datatable'"):
        cache.parse_step_arguments(step("a table here"), reserved)


def test_a_run_parses_through_the_cache_and_leaves_pytest_bdd_as_it_was(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(
        ".feature",
        counting="Feature: Counting\n"
        + "".join(f"  Scenario: Count {n}\n    Given 3 heroes\n\n" for n in range(1, 4)),
    )
    pytester.makepyfile(
        test_counting="""
        import importlib
        from pytest_bdd import given, parsers, scenarios
        from hq_spec.step_arguments import ArgumentCache

        scenarios("counting.feature")
        seen = []

        @given(parsers.parse("{count:d} heroes"))
        def _(count):
            module = importlib.import_module("pytest_bdd.scenario")
            assert type(module.parse_step_arguments.__self__) is ArgumentCache
            seen.append(count)

        def test_zz_every_step_got_its_number():
            assert seen == [3, 3, 3]
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=4)
    import importlib

    module = importlib.import_module("pytest_bdd.scenario")
    assert module.parse_step_arguments is parse_step_arguments
