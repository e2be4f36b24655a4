"""pytest plugin: `--cucumber-messages=PATH` writes the run as a Cucumber Messages NDJSON stream."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from hq_spec.cyclic_gc import cyclic_gc_paused
from hq_spec.messages.gherkin_sources import catalog_of
from hq_spec.messages.meta import meta
from hq_spec.messages.run_envelopes import run_envelopes
from hq_spec.step_results import ScenarioRun, Status, scenario_run_of

pytest_plugins = ["hq_spec.step_recorder"]

# A run succeeds, in Cucumber's sense, only when every step passed or was skipped.
SUCCESSFUL = frozenset({Status.passed, Status.skipped})
# One encoder for every line (json.dumps would build a new one per call, for tens of thousands),
# writing compact JSON as Cucumber's own tools do (JSON.stringify): a tenth smaller, a third faster.
# The messages are plain trees built here, so the encoder need not look for cycles.
ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


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
        envelopes = run_envelopes(
            meta(self.config.rootpath),
            catalog_of(self.config),
            self.runs,
            started_ns=self.started_ns,
            finished_ns=time.time_ns(),
            success=success,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with cyclic_gc_paused():  # tens of thousands of messages, none in a cycle
            lines = [ENCODE(envelope) for envelope in envelopes]
        self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")

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
