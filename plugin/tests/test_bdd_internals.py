"""Each pytest-bdd internal the plugin leans on still exists and still means what it meant."""

from __future__ import annotations

import inspect
import weakref
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from hq_spec import bdd_internals
from hq_spec.bdd_internals import (
    EXAMPLE_PARAMETER,
    extra_types_of,
    field_names_of,
    phrase_of,
    registered_step_contexts,
)


def hero(text: str) -> str:
    return text


hero.pattern = r"[A-Z]\w+"  # type: ignore[attr-defined]


@given(parsers.parse("{name:Hero} joins with {wattage:d} watts", extra_types={"Hero": hero}))
def _joins(name: str, wattage: int) -> None:
    """A hero joins."""


@when(parsers.re(r"(?P<who>\w+) waves"))
def _waves(who: str) -> None:
    """Someone waves."""


@then("nothing happens")
def _nothing() -> None:
    """Nothing."""


def context_of(phrase: str) -> bdd_internals.StepFunctionContext:
    return next(c for c in registered_step_contexts() if phrase_of(c.parser) == phrase)


def test_the_registry_holds_each_definition_with_its_kind_function_and_parser() -> None:
    joins = context_of("{name:Hero} joins with {wattage:d} watts")
    assert joins.type == "given"
    assert inspect.unwrap(joins.step_func).__name__ == "_joins"
    assert joins.parser.is_matching("Volt joins with 9001 watts")
    assert joins.parser.parse_arguments("Volt joins with 9001 watts") == {
        "name": "Volt",
        "wattage": 9001,
    }
    assert context_of("nothing happens").type == "then"


def test_the_fill_ins_of_each_kind_of_parser_are_found() -> None:
    assert field_names_of(context_of("{name:Hero} joins with {wattage:d} watts").parser) == [
        "name",
        "wattage",
    ]
    assert field_names_of(context_of(r"(?P<who>\w+) waves").parser) == ["who"]
    assert field_names_of(context_of("nothing happens").parser) == []


def test_the_converters_a_parse_phrase_was_given_are_found() -> None:
    types = extra_types_of(context_of("{name:Hero} joins with {wattage:d} watts").parser)
    assert types == {"Hero": hero}


def test_the_scenario_registry_and_the_examples_parameter_are_where_they_were(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(
        ".feature",
        outline=(
            "Feature: F\n  Scenario Outline: S\n    Given <n> is fine\n"
            "    Examples:\n      | n |\n      | 1 |\n"
        ),
    )
    pytester.makepyfile(
        test_outline=f"""
from pytest_bdd import given, parsers, scenarios
from hq_spec.bdd_internals import scenario_template_of

scenarios("outline.feature")

@given(parsers.parse("{{n}} is fine"))
def _(n):
    pass

def test_internals(request):
    items = [i for i in request.session.items if i.name.startswith("test_s[")]
    template = scenario_template_of(items[0])
    assert template.name == "S"
    assert template.feature.filename.endswith("outline.feature")
    assert scenario_template_of(request.node) is None
    assert {EXAMPLE_PARAMETER!r} in items[0].callspec.params
"""
    )
    pytester.runpytest("-p", "no:hq_spec").assert_outcomes(passed=2)


def test_visible_step_definitions_come_from_the_fixture_registry(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
from pytest_bdd import given

@given("the shared step")
def _():
    pass
"""
    )
    pytester.makepyfile(
        test_visible="""
from hq_spec.bdd_internals import phrase_of, visible_step_definitions

def test_sees_the_shared_step(request):
    phrases = [phrase_of(c.parser) for _, c in visible_step_definitions(request)]
    assert "the shared step" in phrases
"""
    )
    pytester.runpytest("-p", "no:hq_spec").assert_outcomes(passed=1)


def test_pytest_bdd_parses_a_feature_only_through_the_reader_its_parser_module_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from gherkin.stream.id_generator import IdGenerator
    from pytest_bdd.feature import get_feature

    from hq_spec.gherkin_reading import parse_gherkin

    text = "Feature: Given elsewhere\n  Scenario: Parsed once\n    Given it is read\n"
    document, _ = parse_gherkin(text, "given.feature", IdGenerator())
    asked: list[tuple[str, str]] = []

    def reader(abs_filename: str, encoding: str = "utf-8") -> object:
        asked.append((abs_filename, encoding))
        return bdd_internals.gherkin_document_from(document)

    monkeypatch.setattr(bdd_internals.PARSER_MODULE, bdd_internals.GET_GHERKIN_DOCUMENT, reader)
    monkeypatch.setattr("pytest_bdd.feature.features", {})  # nothing of this test stays
    # No such file: pytest-bdd can only have the feature from the reader.
    feature = get_feature(str(tmp_path), "nowhere.feature")
    assert asked == [(str(tmp_path / "nowhere.feature"), "utf-8")]
    assert list(feature.scenarios) == ["Parsed once"]
    assert [step.name for step in feature.scenarios["Parsed once"].steps] == ["it is read"]


def test_pytest_bdd_keeps_each_feature_for_the_process_in_the_dict_the_plugin_empties(
    tmp_path: Path,
) -> None:
    from pytest_bdd.feature import get_feature

    path = tmp_path / "kept.feature"
    path.write_text("Feature: Kept\n  Scenario: Once\n    Given it is read\n", encoding="utf-8")
    feature = get_feature(str(tmp_path), "kept.feature")
    try:
        assert bdd_internals.parsed_features[str(path)] is feature
        path.write_text("Feature: Kept\n  Scenario: Changed\n    Given it is read\n")
        assert get_feature(str(tmp_path), "kept.feature") is feature  # stale, until emptied
    finally:
        del bdd_internals.parsed_features[str(path)]
    assert list(get_feature(str(tmp_path), "kept.feature").scenarios) == ["Changed"]
    del bdd_internals.parsed_features[str(path)]


def test_pytest_bdd_reads_step_signatures_through_its_module_globals_for_every_step() -> None:
    import importlib

    scenario_module = importlib.import_module("pytest_bdd.scenario")
    execute_step = bdd_internals.PYTEST_BDD_EXECUTE_STEP_FUNCTION
    # Looked up by name at each call (not bound at import): replacing them takes effect.
    assert set(bdd_internals.STEP_SIGNATURE_READERS) <= set(execute_step.__code__.co_names)
    assert execute_step.__globals__ is vars(scenario_module)
    # What the cache keeps for each function: its required fixtures' names, as a list.
    from pytest_bdd.utils import get_required_args

    def _(hero, roster, count=3, *more, **options):  # type: ignore[no-untyped-def]
        pass

    assert get_required_args(_) == ["hero", "roster"]


def test_pytest_bdd_asks_which_definition_runs_a_step_through_its_module_globals() -> None:
    import importlib

    scenario_module = importlib.import_module("pytest_bdd.scenario")
    execute_scenario = scenario_module._execute_scenario
    # Looked up by name at each step (not bound at import): replacing it takes effect.
    assert bdd_internals.GET_STEP_FUNCTION in execute_scenario.__code__.co_names
    assert execute_scenario.__globals__ is vars(scenario_module)
    chooser = getattr(scenario_module, bdd_internals.GET_STEP_FUNCTION)
    assert list(inspect.signature(chooser).parameters) == ["request", "step"]
    # The order pytest-bdd ranks definitions in: a node's ancestors first, the node itself last.
    parents = getattr(scenario_module, bdd_internals.PARENT_NODE_IDS)
    assert list(parents("a/b.py::Test")) == ["", "a", "a/b.py", "a/b.py::Test"]
    assert list(parents("")) == [""]


def test_pytest_bdd_parses_a_steps_arguments_through_its_module_globals_for_every_step() -> None:
    import importlib

    from pytest_bdd import parsers
    from pytest_bdd.parser import Step
    from pytest_bdd.steps import StepFunctionContext

    scenario_module = importlib.import_module("pytest_bdd.scenario")
    execute_step = bdd_internals.PYTEST_BDD_EXECUTE_STEP_FUNCTION
    assert execute_step.__module__ == "pytest_bdd.scenario"
    # Looked up by name at each step (not bound at import): replacing it takes effect.
    assert bdd_internals.PARSE_STEP_ARGUMENTS in execute_step.__code__.co_names
    parse = getattr(scenario_module, bdd_internals.PARSE_STEP_ARGUMENTS)
    assert list(inspect.signature(parse).parameters) == ["step", "context"]
    # What the replacement relies on: it parses with the context's parser, then converts.
    context = StepFunctionContext(
        type="given", step_func=lambda: None, parser=parsers.parse("{count:d} heroes"),
        converters={"count": str},
    )  # fmt: skip
    step = Step(name="3 heroes", type="given", indent=0, line_number=1, keyword="Given ")
    assert parse(step, context) == {"count": "3"}


def test_pytest_bdd_builds_its_scenario_reports_through_its_reporting_module() -> None:
    import importlib

    bdd_plugin = importlib.import_module("pytest_bdd.plugin")
    reporting = bdd_internals.REPORTING_MODULE
    # pytest_bdd.plugin's hooks call each builder as `reporting.<name>` (an attribute of the module,
    # looked up at each call): replacing it there takes effect.
    assert bdd_plugin.reporting is reporting
    called = set()
    for hook in (
        "pytest_runtest_makereport", "pytest_bdd_before_scenario", "pytest_bdd_before_step",
        "pytest_bdd_after_step", "pytest_bdd_step_error",
    ):  # fmt: skip
        code = getattr(bdd_plugin, hook).__code__
        assert "reporting" in code.co_names
        called |= set(code.co_names)
    assert set(bdd_internals.SCENARIO_REPORT_BUILDERS) <= called
    assert all(
        callable(getattr(reporting, name)) for name in bdd_internals.SCENARIO_REPORT_BUILDERS
    )
    # Its readers find the reports here: pytest-bdd's cucumber JSON and its terminal reporter.
    assert isinstance(reporting.test_report_context_registry, weakref.WeakKeyDictionary)


def test_pytest_bdd_learns_the_binding_module_through_its_module_globals() -> None:
    import importlib

    scenario_module = importlib.import_module("pytest_bdd.scenario")
    # scenario() and scenarios() look it up by name at each call: replacing it takes effect.
    for binder in (scenario_module.scenario, scenario_module.scenarios):
        assert bdd_internals.CALLER_MODULE_PATH in binder.__code__.co_names
        assert binder.__globals__ is vars(scenario_module)
    finder = getattr(scenario_module, bdd_internals.CALLER_MODULE_PATH)
    assert list(inspect.signature(finder).parameters) == ["depth"]


def test_every_function_replaced_for_a_session_is_put_back_when_it_ends(
    pytester: pytest.Pytester,
) -> None:
    modules = [
        bdd_internals.SCENARIO_MODULE,
        bdd_internals.PARSER_MODULE,
        bdd_internals.REPORTING_MODULE,
    ]
    before = [dict(vars(module)) for module in modules]
    seen_during: list[bool] = []
    pytester.makefile(".feature", roster="Feature: Roster\n  Scenario: S\n    Given Volt enlists\n")
    pytester.makepyfile(
        "from pytest_bdd import given, scenarios\n"
        "scenarios('roster.feature')\n"
        "@given('Volt enlists')\n"
        "def _():\n    pass\n"
    )

    class Watch:
        def pytest_sessionfinish(self) -> None:  # while the plugin's replacements are in place
            seen_during.append(any(vars(m) != b for m, b in zip(modules, before, strict=True)))

    pytester.inline_run("-p", "hq_spec", plugins=[Watch()]).assertoutcome(passed=1)
    assert seen_during == [True]
    for module, was in zip(modules, before, strict=True):
        replaced = {name for name, value in vars(module).items() if was.get(name) is not value}
        assert replaced == set(), f"{module.__name__} still has {replaced} replaced"


def test_pytest_bdd_s_step_hooks_are_called_plainly_by_pluggy(pytestconfig: pytest.Config) -> None:
    """What hq_spec.step_runner's direct calls rely on: no first result, no defaults, not historic."""
    from hq_spec.step_runner import STEP_HOOKS

    for name in STEP_HOOKS:
        caller = getattr(pytestconfig.pluginmanager.hook, name)
        assert caller.spec is not None, name
        assert not caller.spec.opts.get("firstresult"), name
        assert not caller.spec.kwargdefaults, name
        assert not caller.is_historic(), name
