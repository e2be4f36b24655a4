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

from hq_spec.catalog import registered_definitions
from hq_spec.evidence import EVIDENCE_KEY
from hq_spec.failure_text import failure_text
from hq_spec.suggest import did_you_mean
from hq_spec.tags import known_tags, used_tags


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


def features_dir(config: pytest.Config) -> Path:
    configured = config.getini("bdd_features_base_dir")
    return config.rootpath / (
        configured if isinstance(configured, str) and configured else "features"
    )


def pytest_configure(config: pytest.Config) -> None:
    # Every tag a feature uses becomes a registered marker, so a new tag never breaks
    # --strict-markers; `hq-spec check` is where an unlisted tag is pointed out.
    folder = features_dir(config)
    if folder.is_dir():
        meanings = known_tags(folder)
        for tag in sorted(used_tags(folder)):
            config.addinivalue_line(
                "markers", f"{tag}: {meanings.get(tag, 'a tag used in features/')}"
            )
    expression = config.getoption("--tags")
    if expression:
        try:
            parse_tag_expression(expression)
        except TagExpressionError as error:
            message = f"--tags {expression!r} is not a valid tag expression: {error}"
            raise pytest.UsageError(message) from None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
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


def _location(config: pytest.Config, feature: Any, step: Any) -> str:
    path = Path(feature.filename)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(config.rootpath.resolve())
    return f"{path}:{step.line_number}"


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, exception: Exception
) -> None:
    definitions = registered_definitions(request.config.rootpath)
    suggestion = did_you_mean(step.type, step.name, definitions)
    location = _location(request.config, feature, step)
    message = f'"{step.keyword} {step.name}" at {location} is not a known step.\n{suggestion}'
    exception.args = (message,)
    request.node.stash[FAILED_STEP] = FailedStep(step.keyword, step.name, location, exception)


def pytest_bdd_before_step_call(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func: Any
) -> None:
    if inspect.iscoroutinefunction(step_func) or inspect.isasyncgenfunction(step_func):
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


@pytest.hookimpl(wrapper=True)
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
        report.longrepr = failure_text(
            failed.keyword, failed.text, failed.location, failed.error, log
        )
    return report
