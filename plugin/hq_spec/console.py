"""pytest plugin: `--gherkin-terminal-reporter` prints each scenario as Gherkin, a mark per step,
the moment it finishes (under pytest-xdist too), and ends with a summary in words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterator
from typing import Any

import pytest

from hq_spec.evidence import evidence_in
from hq_spec.messages.gherkin_sources import FeatureCatalog, FeatureMessages, Message, catalog_of
from hq_spec.step_results import (
    SCENARIO_FLAG,
    HookRun,
    ScenarioRun,
    Status,
    StepRun,
    scenario_run_of,
)

pytest_plugins = ["hq_spec.step_recorder"]

MARKS: dict[str, str] = {
    "passed": "✔",
    "failed": "✘",
    "undefined": "?",
    "ambiguous": "‼",
    "pending": "…",
    "skipped": "↷",
    "unknown": "•",
}
# Colour helps, but the mark alone says the status (and survives a log file).
COLOURS: dict[str, str] = {
    "passed": "green",
    "failed": "red",
    "undefined": "yellow",
    "ambiguous": "red",
    "pending": "yellow",
    "skipped": "cyan",
    "unknown": "yellow",
}
# The summary always names these, and the other statuses when some run ended so.
SUMMARY_STATUSES = ("passed", "failed", "undefined", "ambiguous", "pending", "skipped")
ALWAYS_SUMMARISED = frozenset({"passed", "failed", "undefined"})
REASON_LINES = 6  # enough for a plain-language reason; the Python frames stay in pytest's section
STEP_INDENT = "    "
QUIET = frozenset({"passed", "skipped"})  # statuses that need no reason printed

Line = tuple[str, str | None]  # text, and the status whose colour it takes (None: plain)


# Each status's name, read once (an enum member's name is a slow read, at every line).
STATUS_NAMES = {status: str(status.name) for status in Status}


def status_name(status: Any) -> str:
    return STATUS_NAMES.get(status) or str(status.name)


def table_lines(rows: list[list[str]], indent: str) -> Iterator[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        yield f"{indent}| {cells} |"


def reason_lines(status: str, result: Any, indent: str) -> Iterator[Line]:
    exception = result.exception
    text = (exception.message if exception else None) or result.message or ""
    lines = text.strip().splitlines() or [exception.type if exception else status]
    lines[0] = f"{status}: {lines[0]}"
    for line in lines[:REASON_LINES]:
        yield f"{indent}{line}", status
    if len(lines) > REASON_LINES:
        yield f"{indent}...", status


def hook_lines(hook: HookRun, indent: str) -> Iterator[Line]:
    when = "before the steps" if hook.phase == "setup" else "after the steps"
    yield f"{indent}{MARKS['failed']} {when}, pytest's {hook.phase} failed", "failed"
    yield from reason_lines("failed", hook.result, indent + STEP_INDENT)


def summary_of(attachment: Any) -> str | None:
    evidence = evidence_in(attachment.media_type, attachment.body)
    return str(evidence["summary"]) if evidence is not None else None


def step_lines(
    feature: FeatureMessages,
    pickle_step: Message,
    by_line: dict[int, StepRun],
    indent: str,
    evidence: bool,
) -> Iterator[Line]:
    step = by_line.get(feature.line_of(pickle_step))
    status = status_name(step.result.status) if step else "skipped"
    yield f"{indent}{MARKS[status]} {feature.keyword_of(pickle_step)} {pickle_step['text']}", status
    inner = indent + STEP_INDENT
    argument = pickle_step.get("argument") or {}
    if "dataTable" in argument:
        rows = [[cell["value"] for cell in row["cells"]] for row in argument["dataTable"]["rows"]]
        yield from ((line, None) for line in table_lines(rows, inner))
    if "docString" in argument:
        yield f'{inner}"""', None
        yield from (
            (f"{inner}{line}", None) for line in argument["docString"]["content"].splitlines()
        )
        yield f'{inner}"""', None
    if step is None:
        return
    if evidence:
        for attachment in step.attachments:
            summary = summary_of(attachment)
            if summary is not None:
                yield f"{inner}· {summary}", None
    if status not in QUIET:
        yield from reason_lines(status, step.result, inner)


def scenario_lines(
    feature: FeatureMessages, pickle: Message, run: ScenarioRun, indent: str, evidence: bool
) -> Iterator[Line]:
    status = status_name(run.status)
    title = f"{indent}{MARKS[status]} {feature.scenario_of(pickle)['keyword']}: {pickle['name']}"
    example = feature.example_of(pickle)
    if example:
        title += "  (example: " + ", ".join(f"{k}={v}" for k, v in example.items()) + ")"
    if status == "skipped" and run.skip_reason:
        title += f"  (skipped: {run.skip_reason})"
    yield title, status
    inner = indent + STEP_INDENT
    for hook in run.hooks:
        if hook.phase == "setup":
            yield from hook_lines(hook, inner)
    by_line = run.steps_by_line()
    for pickle_step in pickle["steps"]:
        yield from step_lines(feature, pickle_step, by_line, inner, evidence)
    for hook in run.hooks:
        if hook.phase != "setup":
            yield from hook_lines(hook, inner)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class GherkinConsole:
    """Prints each scenario run as its report reaches this process (the controller, under xdist),
    in place of pytest's progress marks; the feature and rule are named whenever they change."""

    def __init__(self, config: pytest.Config, catalog: FeatureCatalog) -> None:
        self.config = config
        self.catalog = catalog
        self.evidence = config.get_verbosity() > 0
        self.terminal: pytest.TerminalReporter | None = None
        self.feature_uri: str | None = None
        self.rule_id: str | None = None
        self.statuses: Counter[str] = Counter()
        self.scenarios: set[tuple[str, int]] = set()
        self.logging = False  # a report is being logged (rather than summed up at the end)

    def pytest_sessionstart(self) -> None:
        self.terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        if self.terminal is not None:
            self.terminal.showfspath = False  # the Gherkin names the feature file instead

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> Generator[None, Any, Any]:
        """While a scenario's report is logged, its own lines replace pytest's progress letter
        (no wall of dots first); pytest's summaries still name its verdict."""
        verdict = yield
        if self.logging and verdict is not None and getattr(report, SCENARIO_FLAG, False):
            return verdict[0], "", ""
        return verdict

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> Generator[None, None, None]:
        self.logging = True
        try:
            yield
        finally:
            self.logging = False
        run = scenario_run_of(report)
        if run is None:
            return
        self.statuses[status_name(run.status)] += 1
        self.scenarios.add((run.uri, run.line))
        self.write(self.lines(run))

    def lines(self, run: ScenarioRun) -> Iterator[Line]:
        feature = self.catalog.feature(run.uri)
        pickle = feature.pickle_for(run.line, run.example_index) if feature else None
        if feature is None or pickle is None:
            yield "", None
            yield f"{MARKS[status_name(run.status)]} {run.nodeid}  (its feature file is gone)", None
            self.feature_uri = None
            return
        if run.uri != self.feature_uri:
            document = feature.feature
            yield "", None
            yield (
                f"{document.get('keyword', 'Feature')}: {document.get('name', '')}  ({run.uri})",
                None,
            )
            self.feature_uri, self.rule_id = run.uri, None
        rule = feature.rule_of(pickle)
        if rule is not None and rule["id"] != self.rule_id:
            yield "", None
            yield f"  {rule['keyword']}: {rule['name']}", None
        self.rule_id = rule["id"] if rule is not None else None
        yield "", None
        indent = "    " if rule is not None else "  "
        yield from scenario_lines(feature, pickle, run, indent, self.evidence)

    def write(self, lines: Iterator[Line]) -> None:
        """A scenario's lines in one write: line by line, each is a system call where output is
        unbuffered (PYTHONUNBUFFERED, common in containers and CI), a sixth of a large run."""
        if self.terminal is None:
            return
        colour = self.config.get_terminal_writer().markup
        block = "".join(
            f"{colour(text, **{COLOURS[status]: True}) if status is not None else text}\n"
            for text, status in lines
        )
        self.terminal.ensure_newline()
        self.terminal.write(block, flush=True)

    def summary(self) -> str:
        runs = sum(self.statuses.values())
        counts = [
            f"{self.statuses[status]} {status}"
            for status in SUMMARY_STATUSES
            if status in ALWAYS_SUMMARISED or self.statuses[status]
        ]
        scenarios = plural(len(self.scenarios), "scenario")
        return f"{scenarios}, {plural(runs, 'run')}: " + ", ".join(counts)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.statuses:
            return
        terminalreporter.write_line("")
        terminalreporter.write_line(self.summary(), bold=True)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("gherkin_terminal_reporter", False):
        return
    # pytest-bdd's own reporter (it configures itself last) needs -v and refuses pytest-xdist;
    # ours reads the runs carried on the reports, so it takes the option over.
    config.option.gherkin_terminal_reporter = False
    if not hasattr(config, "workerinput"):
        console = GherkinConsole(config, catalog_of(config))
        config.pluginmanager.register(console, "hq_spec.gherkin_console")


def pytest_unconfigure(config: pytest.Config) -> None:
    console = config.pluginmanager.get_plugin("hq_spec.gherkin_console")
    if console is not None:
        config.pluginmanager.unregister(console)


__all__ = ["MARKS", "Status"]
