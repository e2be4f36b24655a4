"""Every use of a pytest-bdd (or pytest) internal, in one place, each with the reason it is needed.

pytest-bdd 9 has no public API for these; plugin/tests/test_bdd_internals.py fails the day one of
them changes, so an upgrade of pytest-bdd shows here first instead of as a wrong report.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import Any

import pytest
from _pytest.fixtures import FixtureDef

# 2. The visible fixtures of a node (pytest-bdd's own compat layer over pytest's private
#    FixtureManager). Why: pytest-bdd silently picks one of several matching definitions; the
#    ambiguity check needs every definition visible to the running scenario, as pytest-bdd does.
from pytest_bdd.compat import get_fixture_names, getfixturedefs

# 11. pytest_bdd.feature.features, the Feature made of each file, kept for the life of the process.
#     Why: hq_spec.bdd_sources empties it as a run begins, so the run binds each file as it is
#     now, from its own parse, not as an earlier run in the same process (pytester) read it.
from pytest_bdd.feature import features as parsed_features

# 9. GherkinDocument.from_dict, pytest-bdd's model of gherkin-official's document. Why: pytest-bdd
#    is given the run's one parse of a file (see GET_GHERKIN_DOCUMENT) in the shape it expects.
from pytest_bdd.gherkin_parser import GherkinDocument

# 3. The scenario function -> ScenarioTemplate registry, and the parameter name under which each
#    Examples row reaches the test. Why: the step recorder needs the template of a test item (its
#    feature, rule and steps) and the row it runs, to report every step, including unrun ones.
from pytest_bdd.scenario import scenario_wrapper_template_registry

# 1. The registry of step definitions (function -> StepFunctionContext, with .type, .step_func and
#    .parser). Why: `hq-spec check`, the glossary and did-you-mean list the vocabulary without
#    running pytest, and pytest-bdd keeps it nowhere else.
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry
from pytest_bdd.utils import registry_get_safe

EXAMPLE_PARAMETER = "_pytest_bdd_example"

# 8. pytest_bdd.parser.get_gherkin_document(abs_filename, encoding), through which pytest-bdd's
#    FeatureParser reads and parses every feature file. Why: hq_spec.bdd_sources replaces it for a
#    session with a read from the run's FeatureSources, so pytest-bdd, the checks and the Cucumber
#    Messages stream share one parse of each file instead of making three.
GET_GHERKIN_DOCUMENT = "get_gherkin_document"
PARSER_MODULE = importlib.import_module("pytest_bdd.parser")
# The module whose functions 10, 12, 13 and 15 are; as an attribute of pytest_bdd, the name
# `scenario` is pytest-bdd's scenario() function, not this module.
SCENARIO_MODULE = importlib.import_module("pytest_bdd.scenario")

# 10. The names pytest_bdd.scenario reads a step function's parameters through, for every step:
#     `signature` (inspect's) and `get_required_args` (pytest_bdd.utils'), both looked up in the
#     module's globals when _execute_step_function runs. Why: hq_spec.step_signatures replaces
#     them for a session with readers that remember each function's answer.
STEP_SIGNATURE_READERS = ("signature", "get_required_args")

# 12. pytest_bdd.scenario.get_step_function(request, step), which pytest-bdd calls for every step to
#     learn which definition runs it (injecting the matching ones as a temporary fixture and having
#     pytest set it up), and pytest_bdd.scenario.iterparentnodeids, the order it ranks them in.
#     Why: hq_spec.step_lookup replaces the first for a session with the same choice, found once
#     per file and wording, and uses the second to rank exactly as pytest-bdd does.
GET_STEP_FUNCTION = "get_step_function"
PARENT_NODE_IDS = "iterparentnodeids"

# 13. pytest_bdd.scenario.parse_step_arguments(step, context), which pytest-bdd calls for every
#     step to parse its wording with the definition's parser and apply its converters. Why:
#     hq_spec.step_arguments replaces it for a session with one that parses each wording once per
#     definition (through the original, without converters) and still converts at every step.
PARSE_STEP_ARGUMENTS = "parse_step_arguments"

# 14. pytest_bdd.reporting's builders of the scenario report pytest-bdd keeps for its cucumber JSON
#     and its own terminal reporter, called through the module by pytest_bdd.plugin's hooks at
#     every step and test phase. Why: hq_spec.bdd_reports has them do nothing for a session in
#     which neither reporter is on (hq_spec records each step itself).
REPORTING_MODULE = importlib.import_module("pytest_bdd.reporting")
SCENARIO_REPORT_BUILDERS = (
    "runtest_makereport", "before_scenario", "before_step", "after_step", "step_error",
)  # fmt: skip

# 15. pytest_bdd.scenario.get_caller_module_path(depth), through which scenario() and scenarios()
#     learn which module binds them (looked up in the module's globals at each call). Why:
#     hq_spec.caller_path replaces it for a session with one that gives the same file without
#     inspect.getframeinfo's work on the call's position, once for every scenario bound.
CALLER_MODULE_PATH = "get_caller_module_path"

# 16. pytest_bdd.scenario._execute_step_function(request, scenario, step, context), which
#     _execute_scenario calls (through the module's globals) for every step, and the names of the
#     two arguments it gives a step function from the step itself. Why: hq_spec.step_runner
#     replaces it for a session with one that runs the step the same way but calls the step
#     hooks' implementations directly where pluggy would add nothing. The original is kept here,
#     as it was when pytest-bdd was imported, for the tests that hold the two to the same account.
EXECUTE_STEP_FUNCTION = "_execute_step_function"
PYTEST_BDD_EXECUTE_STEP_FUNCTION = getattr(SCENARIO_MODULE, EXECUTE_STEP_FUNCTION)
STEP_ARGUMENT_DATATABLE = str(SCENARIO_MODULE.STEP_ARGUMENT_DATATABLE)
STEP_ARGUMENT_DOCSTRING = str(SCENARIO_MODULE.STEP_ARGUMENT_DOCSTRING)

# (7, pytest_bdd.scenario.find_fixturedefs_for_step, is no longer replaced: only get_step_function
# called it at every step, and 12 replaces that.)
# Modules that still import these names directly rather than through this one (same reasons):
# step_lookup (1, 2), step_definitions (1), step_arguments (1), step_ambiguity (1),
# step_recorder (3).

__all__ = [
    "CALLER_MODULE_PATH",
    "EXAMPLE_PARAMETER",
    "EXECUTE_STEP_FUNCTION",
    "GET_GHERKIN_DOCUMENT",
    "GET_STEP_FUNCTION",
    "PARENT_NODE_IDS",
    "PARSER_MODULE",
    "PARSE_STEP_ARGUMENTS",
    "PYTEST_BDD_EXECUTE_STEP_FUNCTION",
    "REPORTING_MODULE",
    "SCENARIO_MODULE",
    "SCENARIO_REPORT_BUILDERS",
    "STEP_ARGUMENT_DATATABLE",
    "STEP_ARGUMENT_DOCSTRING",
    "STEP_SIGNATURE_READERS",
    "FixtureDef",
    "StepFunctionContext",
    "extra_types_of",
    "field_names_of",
    "gherkin_document_from",
    "parsed_features",
    "phrase_of",
    "registered_step_contexts",
    "registry_get_safe",
    "replace_for_session",
    "scenario_template_of",
    "scenario_wrapper_template_registry",
    "visible_step_definitions",
]


def gherkin_document_from(document: Mapping[str, Any]) -> Any:
    """pytest-bdd's GherkinDocument made from gherkin-official's (a parse made elsewhere)."""
    return GherkinDocument.from_dict(document)


def registered_step_contexts() -> list[StepFunctionContext]:
    """Every step definition pytest-bdd has registered in this process."""
    return list(step_function_context_registry.values())


def phrase_of(parser: Any) -> str:
    """The text a step parser was made from (`.name` on every pytest-bdd parser)."""
    return str(getattr(parser, "name", parser))


def field_names_of(parser: Any) -> list[str]:
    """The fill-ins a step parser takes, in order.

    4. Why: pytest-bdd has no list of a parser's arguments; its parse/cfparse parsers keep the
    `parse` library's compiled parser in `.parser` (with `.named_fields`), its re parser keeps
    `.regex`. A plain string step has none.
    """
    compiled = getattr(parser, "parser", None)
    if compiled is not None and hasattr(compiled, "named_fields"):
        return list(compiled.named_fields)
    regex = getattr(parser, "regex", None)
    if regex is not None:
        return list(regex.groupindex)
    return []


def extra_types_of(parser: Any) -> dict[str, Callable[[str], Any]]:
    """The converters a parse/cfparse step parser was given (`extra_types=`).

    5. Why: the glossary lists a choice's phrases and did-you-mean tries a cast's names; the `parse`
    library keeps the converters only in its private `_extra_types`.
    """
    compiled = getattr(parser, "parser", None)
    types: dict[str, Callable[[str], Any]] = getattr(compiled, "_extra_types", None) or {}
    return types


def visible_step_definitions(
    request: pytest.FixtureRequest,
) -> Iterator[tuple[FixtureDef[object], StepFunctionContext]]:
    """Every step definition visible to the requesting test, with the fixture that carries it.

    6. Why: `session._fixturemanager` is pytest's private fixture registry; pytest-bdd stores each
    step definition as a fixture in it, so this is where "visible from this test" is decided.
    """
    manager = request.session._fixturemanager
    for name in get_fixture_names(fixturemanager=manager):
        for definition in getfixturedefs(manager, name, request.node) or []:
            context = step_function_context_registry.get(definition.func)
            if context is not None:
                yield definition, context


def scenario_template_of(item: pytest.Item) -> Any:
    """The pytest-bdd ScenarioTemplate a test item runs, or None for a plain test."""
    return registry_get_safe(scenario_wrapper_template_registry, getattr(item, "obj", None))


# Every pytest-bdd function the plugin replaces, with what it replaced, until the session ends.
REPLACEMENTS = pytest.StashKey[pytest.MonkeyPatch]()


def replace_for_session(
    config: pytest.Config, module: ModuleType, name: str, replacement: object
) -> None:
    """Have `module.name` be `replacement` until this session's configuration is cleaned up."""
    replaced = config.stash.get(REPLACEMENTS, None)
    if replaced is None:
        replaced = config.stash[REPLACEMENTS] = pytest.MonkeyPatch()
        # After every plugin's pytest_unconfigure: no part of the plugin undoes another's early.
        config.add_cleanup(replaced.undo)
    replaced.setattr(module, name, replacement)
