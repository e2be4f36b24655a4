"""pytest-bdd reads each step function's signature once per run, and each function its own."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
from pytest_bdd.utils import get_required_args

from hq_spec import step_signatures
from hq_spec.step_signatures import SignatureCache

pytest_plugins = ["pytester"]


def counting_cache() -> tuple[SignatureCache, list[Callable[..., object]]]:
    """A cache over the real readers that notes every function it had to read."""
    read: list[Callable[..., object]] = []

    def signature(function: Callable[..., object]) -> inspect.Signature:
        read.append(function)
        return inspect.signature(function)

    def required_args(function: Callable[..., object]) -> list[str]:
        read.append(function)
        return get_required_args(function)

    return SignatureCache(signature, required_args), read


def two_step_functions() -> tuple[Callable[..., object], Callable[..., object]]:
    # Every step function of a project is called `_`: each one is told apart by itself.
    def _(hero: str, roster: object) -> None: ...

    first = _

    def _(count: int, badge: str = "none") -> None:  # type: ignore[no-redef]
        ...

    return first, _


def test_each_function_keeps_its_own_parameters() -> None:
    cache, _ = counting_cache()
    first, second = two_step_functions()
    assert list(cache.signature(first).parameters) == ["hero", "roster"]
    assert list(cache.signature(second).parameters) == ["count", "badge"]
    assert cache.required_args(first) == ["hero", "roster"]
    assert cache.required_args(second) == ["count"]


def test_a_function_is_read_once_however_often_its_step_runs() -> None:
    cache, read = counting_cache()
    first, second = two_step_functions()
    for _ in range(3):
        cache.signature(first)
        cache.required_args(first)
    assert read == [first, first]  # once for its signature, once for its fixtures
    cache.signature(second)
    assert read == [first, first, second]


def test_a_redefined_function_is_read_afresh() -> None:
    cache, _ = counting_cache()
    first, _second = two_step_functions()
    assert cache.required_args(first) == ["hero", "roster"]
    again, _second = two_step_functions()  # same name, same code, a new function
    assert again is not first
    cache.required_args(again).append("changed")  # the caller's list is its own
    assert cache.required_args(again) == ["hero", "roster"]


def test_an_unhashable_callable_is_read_every_time() -> None:
    class Step:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self, hero: str) -> None: ...

    cache, read = counting_cache()
    step = Step()
    assert cache.required_args(step) == ["hero"]
    assert cache.required_args(step) == ["hero"]
    assert len(read) == 2


def test_a_run_reads_through_the_cache_and_puts_pytest_bdds_own_back(
    pytester: pytest.Pytester,
) -> None:
    scenario_module = step_signatures.SCENARIO_MODULE
    before = (scenario_module.signature, scenario_module.get_required_args)
    pytester.makefile(
        ".feature",
        roster=(
            "Feature: Roster\n"
            "  Scenario: One\n    Given Volt joins with 7 watts\n"
            "  Scenario: Two\n    Given Tide joins with 9 watts\n"
        ),
    )
    pytester.makepyfile(
        test_roster="""
import pytest
from pytest_bdd import given, parsers, scenarios
from hq_spec.step_signatures import SignatureCache

scenarios("roster.feature")

@pytest.fixture
def roster():
    return []

@given(parsers.parse("{hero} joins with {watts:d} watts"))
def _(hero, watts, roster, request):
    import importlib
    reader = importlib.import_module("pytest_bdd.scenario").signature
    assert isinstance(getattr(reader, "__self__", None), SignatureCache)
    roster.append((hero, watts))
    assert roster == [(hero, watts)] and watts in (7, 9)
"""
    )
    pytester.runpytest("-p", "hq_spec.messages_plugin").assert_outcomes(passed=2)
    assert (scenario_module.signature, scenario_module.get_required_args) == before
