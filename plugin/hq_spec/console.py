"""pytest plugin: `--gherkin-terminal-reporter` prints the run as Gherkin, a mark per step."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

import pytest

from hq_spec.step_results import (
    HookFailure,
    ScenarioResult,
    StepError,
    StepResult,
    StepStatus,
    scenario_result_of,
)

pytest_plugins = ["hq_spec.step_recorder"]

MARKS: dict[StepStatus, str] = {
    "passed": "✔",
    "failed": "✘",
    "undefined": "?",
    "ambiguous": "‼",
    "pending": "…",
    "skipped": "↷",
}
# Colour helps, but the mark alone says the status (and survives a log file).
COLOURS: dict[StepStatus, str] = {
    "passed": "green",
    "failed": "red",
    "undefined": "yellow",
    "ambiguous": "red",
    "pending": "yellow",
    "skipped": "cyan",
}
REASON_LINES = 6  # enough for a plain-language reason; the Python frames stay in pytest's section
STEP_INDENT = "    "

Line = tuple[str, StepStatus | None]  # text, and the status whose colour it takes (None: plain)


def table_lines(rows: list[list[str]], indent: str) -> Iterator[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        yield f"{indent}| {cells} |"


def reason_lines(status: StepStatus, error: StepError, indent: str) -> Iterator[Line]:
    lines = error.message.strip().splitlines() or [error.type]
    lines[0] = f"{status}: {lines[0]}"
    for line in lines[:REASON_LINES]:
        yield f"{indent}{line}", status
    if len(lines) > REASON_LINES:
        yield f"{indent}...", status


def hook_failure_lines(failure: HookFailure, indent: str) -> Iterator[Line]:
    when = "before the steps" if failure.phase == "setup" else "after the steps"
    yield f"{indent}{MARKS['failed']} {when}, pytest's {failure.phase} failed", "failed"
    yield from reason_lines("failed", failure.error, indent + STEP_INDENT)


def step_lines(step: StepResult, indent: str, evidence: bool) -> Iterator[Line]:
    yield f"{indent}{MARKS[step.status]} {step.keyword} {step.text}", step.status
    inner = indent + STEP_INDENT
    if step.datatable:
        yield from ((line, None) for line in table_lines(step.datatable, inner))
    if step.docstring is not None:
        yield f'{inner}"""', None
        yield from ((f"{inner}{line}", None) for line in step.docstring.splitlines())
        yield f'{inner}"""', None
    if evidence:
        yield from ((f"{inner}· {item.get('summary', '')}", None) for item in step.evidence)
    if step.error is not None and step.status != "skipped":
        yield from reason_lines(step.status, step.error, inner)


def scenario_lines(result: ScenarioResult, indent: str, evidence: bool) -> Iterator[Line]:
    title = f"{indent}{MARKS[result.status]} {result.keyword}: {result.name}"
    if result.example:
        row = ", ".join(f"{name}={value}" for name, value in result.example.items())
        title += f"  (example: {row})"
    if result.status == "skipped" and result.skip_reason:
        title += f"  (skipped: {result.skip_reason})"
    yield title, result.status
    inner = indent + STEP_INDENT
    for failure in result.hook_failures:
        if failure.phase == "setup":
            yield from hook_failure_lines(failure, inner)
    for step in result.steps:
        yield from step_lines(step, inner, evidence)
    for failure in result.hook_failures:
        if failure.phase != "setup":
            yield from hook_failure_lines(failure, inner)


def feature_lines(results: list[ScenarioResult], evidence: bool) -> Iterator[Line]:
    """Features in file order, each with its rules and scenarios in the order they are written."""
    ordered = sorted(results, key=lambda r: (r.uri, r.line, r.example_index or 0))
    for uri, in_feature in groupby(ordered, key=lambda result: result.uri):
        scenarios = list(in_feature)
        yield f"{scenarios[0].feature_keyword}: {scenarios[0].feature_name}  ({uri})", None
        current_rule: str | None = None
        for result in scenarios:
            if result.rule_name is not None and result.rule_name != current_rule:
                yield "", None
                yield f"  {result.rule_keyword}: {result.rule_name}", None
            current_rule = result.rule_name
            yield "", None
            indent = "    " if current_rule is not None else "  "
            yield from scenario_lines(result, indent, evidence)
        yield "", None


class GherkinConsole:
    """Gathers the scenario results reaching the controller; prints them before pytest's summary."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: list[ScenarioResult] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        result = scenario_result_of(report)
        if result is not None:
            self.results.append(result)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.results:
            return
        terminalreporter.write_sep("=", "Gherkin")
        evidence = self.config.get_verbosity() > 0
        for text, status in feature_lines(self.results, evidence):
            markup = {COLOURS[status]: True} if status is not None else {}
            terminalreporter.write_line(text, **markup)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("gherkin_terminal_reporter", False):
        return
    # pytest-bdd's own reporter (it configures itself last) needs -v and refuses pytest-xdist;
    # ours reads the results carried on the reports, so it takes the option over.
    config.option.gherkin_terminal_reporter = False
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(GherkinConsole(config), "hq_spec.gherkin_console")


def pytest_unconfigure(config: pytest.Config) -> None:
    console = config.pluginmanager.get_plugin("hq_spec.gherkin_console")
    if console is not None:
        config.pluginmanager.unregister(console)
