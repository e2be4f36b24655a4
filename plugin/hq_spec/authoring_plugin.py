"""pytest plugin for scenario authors: plain failures, did-you-mean, --tags, tags as markers."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cucumber_tag_expressions import parse as parse_tag_expression
from cucumber_tag_expressions.parser import TagExpressionError

from hq_spec.bdd_internals import scenario_template_of
from hq_spec.catalog import Definition, all_used_steps, registered_definitions
from hq_spec.check import (
    Problem,
    check_document,
    examples_by_definition,
    read_or_problem,
)
from hq_spec.evidence import EVIDENCE_KEY
from hq_spec.failure_text import failure_text
from hq_spec.feature_files import FeatureModule
from hq_spec.feature_sources import sources_of
from hq_spec.remembered import remembered
from hq_spec.settings import Settings
from hq_spec.tags import tag_meanings
from hq_spec.unknown_steps import why_it_cannot_run

# Tags become markers as pytest-bdd reads each feature, so --strict-markers never speaks first.
pytest_plugins = ["hq_spec.bdd_sources"]


@dataclass(frozen=True)
class FailedStep:
    keyword: str
    text: str
    location: str
    error: BaseException


FAILED_STEP = pytest.StashKey[FailedStep]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--tags",
        metavar="EXPRESSION",
        default=None,
        help='run the scenarios matching a Cucumber tag expression: --tags="@smoke and not @wip"',
    )


def pytest_configure(config: pytest.Config) -> None:
    expression = config.getoption("--tags")
    if expression:
        try:
            parse_tag_expression(expression)
        except TagExpressionError as error:
            message = f"--tags {expression!r} is not a valid tag expression: {error}"
            raise pytest.UsageError(message) from None


def pytest_sessionstart(session: pytest.Session) -> None:
    """A plugin module that defines steps must be a configured step module, or `hq-spec check`,
    the glossary and did-you-mean would not know its phrases."""
    settings = Settings.from_pytest(session.config)
    if not settings.step_modules:
        return
    defining = {d.module for d in registered_definitions(settings.root)}
    root = str(settings.root.resolve())
    plugins = {
        getattr(plugin, "__name__", "")
        for plugin in session.config.pluginmanager.get_plugins()
        if (source := str(getattr(plugin, "__file__", None) or "")).startswith(root)
        and "site-packages" not in Path(source).parts  # installed plugins (pytest-bdd's own)
        and not source.endswith("conftest.py")
    }
    unlisted = sorted((plugins & defining) - set(settings.step_modules))
    if unlisted:
        raise pytest.UsageError(
            f"{', '.join(unlisted)} define{'s' if len(unlisted) == 1 else ''} steps but "
            "hq_spec_step_modules does not list "
            f"{'it' if len(unlisted) == 1 else 'them'}: add "
            f"{'it' if len(unlisted) == 1 else 'them'} there, so hq-spec check and the glossary "
            "know its phrases."
        )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    refuse_features_with_mistakes(config, items)
    expression = config.getoption("--tags")
    if not expression:
        return
    matcher = parse_tag_expression(expression)
    selected: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        # Both spellings, so `--tags "smoke and not wip"` works where a leading @ would be read
        # by pytest as an @argument-file.
        names = [mark.name for mark in item.iter_markers()]
        tags = names + [f"@{name}" for name in names]
        (selected if matcher.evaluate(tags) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def refuse_features_with_mistakes(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Features bound by `scenarios()` get the checks collected feature files get (one name per
    scenario, listed tags): pytest-bdd would silently run one of two same-named scenarios."""
    settings = Settings.from_pytest(config)
    files = {
        template.feature.filename
        for item in items
        if not isinstance(item.parent, FeatureModule)
        and (template := scenario_template_of(item)) is not None
    }
    problems = []
    for file in sorted(files):
        document = read_or_problem(Path(file), sources_of(config))
        if isinstance(document, Problem):
            problems.append(document)
        else:
            problems += check_document(document, settings, tag_meanings(config, settings.tags_file))
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0))
        raise pytest.UsageError("\n".join(str(problem) for problem in problems))


def _location(config: pytest.Config, feature: Any, step: Any) -> str:
    path = Path(feature.filename)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(config.rootpath.resolve())
    return f"{path}:{step.line_number}"


EXAMPLES = pytest.StashKey[dict[Definition, list[str]]]()


def _examples(config: pytest.Config, definitions: list[Definition]) -> dict[Definition, list[str]]:
    """Real lines using each definition (did-you-mean's clues), read once per run when needed."""
    if EXAMPLES not in config.stash:
        settings = Settings.from_pytest(config)
        steps = all_used_steps(settings.features, sources_of(config))
        config.stash[EXAMPLES] = examples_by_definition(steps, definitions)
    return config.stash[EXAMPLES]


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, exception: Exception
) -> None:
    config = request.config
    definitions = registered_definitions(config.rootpath)
    said = f"{step.keyword} {step.name}"
    location = _location(config, feature, step)
    explanation = why_it_cannot_run(
        config,
        step.type,
        said,
        step.name,
        feature_file=Path(feature.filename),
        line=step.line_number,
        location=location,
        definitions=definitions,
        examples=_examples(config, definitions),
    )
    # The first line says where; the rest is word for word what `hq-spec check` says.
    exception.args = (f'"{said}" at {location} cannot run:\n{explanation}',)
    request.node.stash[FAILED_STEP] = FailedStep(step.keyword, step.name, location, exception)


# Whether each step function is async: looked at once per function, not at every step it runs.
ASYNC_STEP_FUNCTIONS = pytest.StashKey[dict[Any, bool]]()


def is_async(function: Any) -> bool:
    return inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)


def pytest_bdd_before_step_call(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func: Any
) -> None:
    known = request.config.stash.setdefault(ASYNC_STEP_FUNCTIONS, {})
    if not remembered(known, step_func, is_async):
        return
    source = inspect.getsourcefile(step_func)
    line = inspect.getsourcelines(step_func)[1]
    raise TypeError(
        f'the step "{step.name}" is defined by an async function ({source}:{line}); steps must '
        "be plain synchronous functions: remove `async` and wait inside the step instead"
    )


def pytest_bdd_step_error(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, exception: BaseException
) -> None:
    location = _location(request.config, feature, step)
    request.node.stash[FAILED_STEP] = FailedStep(step.keyword, step.name, location, exception)


# Innermost (trylast), so the report other plugins see, and scrub of secrets, is already this one.
@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    failed = item.stash.get(FAILED_STEP, None)
    tbstyle = item.config.getoption("tbstyle", "auto")
    if (
        report.failed
        and call.when == "call"
        and failed is not None
        and tbstyle not in {"long", "native"}
    ):
        log = item.stash.get(EVIDENCE_KEY, None)
        try:
            text = failure_text(failed.keyword, failed.text, failed.location, failed.error, log)
        except (KeyError, TypeError, AttributeError):
            # Evidence of a shape the summary does not know: the failure is still told, and the
            # evidence itself stays in the report and the messages.
            text = failure_text(failed.keyword, failed.text, failed.location, failed.error, None)
        report.longrepr = text
    if call.when == "teardown" and FAILED_STEP in item.stash:
        # Told: the item, kept until the session ends, need not hold the error and its frames.
        del item.stash[FAILED_STEP]
    return report
