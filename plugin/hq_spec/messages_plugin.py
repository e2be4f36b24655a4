"""pytest plugin: `--cucumber-messages=PATH` writes the run as a Cucumber Messages NDJSON stream."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from gherkin.errors import ParserError
from gherkin.stream.id_generator import IdGenerator

from hq_spec.messages.gherkin_sources import FeatureMessages, Message, parse_feature
from hq_spec.messages.meta import meta
from hq_spec.messages.run_envelopes import run_envelopes
from hq_spec.step_results import ScenarioResult, scenario_result_of

pytest_plugins = ["hq_spec.step_recorder"]

# A run succeeds, in Cucumber's sense, only when every step passed or was skipped.
SUCCESSFUL_STATUSES = frozenset({"passed", "skipped"})


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
    """Gathers the scenario results reaching the controller and writes the stream at the end."""

    def __init__(self, config: pytest.Config, path: Path) -> None:
        self.config = config
        self.path = path
        self.results: list[ScenarioResult] = []
        self.parse_errors: list[Message] = []
        self.started_ns = time.time_ns()

    def pytest_sessionstart(self) -> None:
        self.started_ns = time.time_ns()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        result = scenario_result_of(report)
        if result is not None:
            self.results.append(result)

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        ids = IdGenerator()
        features = self.parse_features(ids)
        success = exitstatus == 0 and all(
            step.status in SUCCESSFUL_STATUSES and not result.hook_failures
            for result in self.results
            for step in result.steps
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("w", encoding="utf-8") as stream:
            for envelope in run_envelopes(
                meta(self.config.rootpath),
                features,
                self.results,
                ids,
                started_ns=self.started_ns,
                finished_ns=time.time_ns(),
                success=success,
                parse_errors=self.parse_errors,
            ):
                stream.write(json.dumps(envelope, ensure_ascii=False) + "\n")

    def parse_features(self, ids: IdGenerator) -> dict[str, FeatureMessages]:
        features: dict[str, FeatureMessages] = {}
        for uri in sorted({result.uri for result in self.results}):
            path = Path(uri) if Path(uri).is_absolute() else self.config.rootpath / uri
            try:
                features[uri] = parse_feature(path, uri, ids)
            except (OSError, ParserError) as error:  # e.g. edited or removed while pytest ran
                parse_error = {"source": {"uri": uri}, "message": str(error)}
                self.parse_errors.append({"parseError": parse_error})
        return features

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
