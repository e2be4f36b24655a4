"""pytest plugin: `--cucumber-messages=PATH` writes the run as a Cucumber Messages NDJSON stream."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hq_spec.cyclic_gc import cyclic_gc_paused
from hq_spec.messages.gherkin_sources import catalog_of
from hq_spec.messages.meta import meta
from hq_spec.messages.run_envelopes import run_lines
from hq_spec.step_results import ScenarioRun, Status, scenario_run_of

pytest_plugins = ["hq_spec.step_recorder"]

# A run succeeds, in Cucumber's sense, only when every step passed or was skipped.
SUCCESSFUL = frozenset({Status.passed, Status.skipped})


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bdd")
    group.addoption(
        "--cucumber-messages",
        metavar="PATH",
        dest="cucumber_messages",
        default=None,
        help="write the results as Cucumber Messages (NDJSON) to PATH",
    )


class MessagesWriter:
    """Gathers the scenario runs reaching the controller and writes the stream once, at the end
    (one write, not one per step: recording stays cheap while scenarios run)."""

    def __init__(self, config: pytest.Config, path: Path) -> None:
        self.config = config
        self.path = path
        self.runs: list[ScenarioRun] = []
        self.started_ns = time.time_ns()

    def pytest_sessionstart(self) -> None:
        self.started_ns = time.time_ns()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        run = scenario_run_of(report)
        if run is not None:
            self.runs.append(run)

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        success = exitstatus == 0 and all(run.status in SUCCESSFUL for run in self.runs)
        lines = run_lines(
            meta(self.config.rootpath),
            catalog_of(self.config),
            self.runs,
            started_ns=self.started_ns,
            finished_ns=time.time_ns(),
            success=success,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with cyclic_gc_paused():  # tens of thousands of lines, none in a cycle
            # Each line becomes UTF-8 on its own: joined as text first, one line with a character
            # beyond Latin-1 (a masked secret's ellipsis) would widen the whole stream to two
            # bytes a character, to be copied wide and encoded back at the end.
            stream = b"\n".join([line.encode("utf-8") for line in lines]) + b"\n"
        self.path.write_bytes(stream)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        terminalreporter.write_line(f"Cucumber Messages: {self.path}")


def pytest_configure(config: pytest.Config) -> None:
    target = config.getoption("cucumber_messages")
    # Under pytest-xdist only the controller writes: workers' reports all reach it.
    if target and not hasattr(config, "workerinput"):
        path = config.invocation_params.dir / target
        config.pluginmanager.register(MessagesWriter(config, path), "hq_spec.messages_writer")


def pytest_unconfigure(config: pytest.Config) -> None:
    writer = config.pluginmanager.get_plugin("hq_spec.messages_writer")
    if writer is not None:
        config.pluginmanager.unregister(writer)
