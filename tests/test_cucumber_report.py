"""HQ's own stream read by Cucumber's tools, and HQ's secrets (badge, passes) in no output at all."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hq_spec import SPEC_ONLY_ARGS
from hq_spec.report import write_report
from plugin.tests.cucumber_tools import (
    install_tools,
    official_report,
    open_in_chromium,
    passed_steps_and_definitions,
    schema_errors,
)
from tests.spec_run import ROOT

# The guard (badges in every form) and identity (passes, one under an upper-case name).
FEATURES = ("features/guard", "features/identity")
THE_DEV_BADGE = re.compile(r"hq-badge-007(?!7)")  # "hq-badge-0077" is a forgery a feature names
PASS_VALUE = re.compile(r"lauren_session=([^;,\s\"\\<&]*)", re.IGNORECASE)
MASKED_PASS = re.compile(r"[0-9a-f]{8}(…|\\u2026)\(masked\)")


@dataclass
class SpecRun:
    folder: Path
    messages: Path
    console: str


@pytest.fixture(scope="module")
def spec_run(tmp_path_factory: pytest.TempPathFactory) -> SpecRun:
    install_tools()
    folder = tmp_path_factory.mktemp("hq-stream")
    messages = folder / "messages.ndjson"
    completed = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "pytest", *FEATURES, "-p", "no:xdist", *SPEC_ONLY_ARGS,
         "--gherkin-terminal-reporter", "-v", f"--cucumber-messages={messages}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:]
    return SpecRun(folder, messages, completed.stdout + completed.stderr)


def test_hq_stream_passes_the_official_schema(spec_run: SpecRun) -> None:
    assert schema_errors(spec_run.messages) == []


def test_cucumber_query_links_every_passed_step_to_hqs_step_code(spec_run: SpecRun) -> None:
    steps = passed_steps_and_definitions(spec_run.messages)
    assert steps
    assert all(len(step["definitions"]) == 1 for step in steps)
    assert all(step["definitions"][0].startswith("steps/") for step in steps)


def test_the_official_report_renders_hqs_stream(spec_run: SpecRun) -> None:
    envelopes = [json.loads(line) for line in spec_run.messages.read_text().splitlines()]
    cases = [e["testCase"] for e in envelopes if "testCase" in e]
    steps = sum(len(case["testSteps"]) for case in cases)
    shown = open_in_chromium(official_report(spec_run.messages, spec_run.folder / "official.html"))
    assert shown.console_errors == []
    assert f"100% ({len(cases)} / {len(cases)}) passed" in shown.status_line
    assert len(shown.step_lines) == steps


def test_no_badge_or_pass_in_any_output(spec_run: SpecRun) -> None:
    assert "Volt's pass under an upper-case name" in spec_run.console  # the scenario that leaked
    official = official_report(spec_run.messages, spec_run.folder / "secrets.html")
    ours = write_report(
        spec_run.messages, spec_run.folder / "site", features_dir=ROOT / "features",
        glossary=[], openapi=None,
    )  # fmt: skip
    outputs = {
        "stream": spec_run.messages.read_text(encoding="utf-8"),
        "console": spec_run.console,
        "official report": official.read_text(encoding="utf-8"),
        "living documentation": ours.read_text(encoding="utf-8"),
    }
    for name, text in outputs.items():
        assert not THE_DEV_BADGE.search(text), name
        passes = [value for value in PASS_VALUE.findall(text) if value]
        assert [value for value in passes if not MASKED_PASS.fullmatch(value)] == [], name
    upper_case = re.findall(r"LAUREN_SESSION=([^;,\s\"\\]*)", outputs["stream"])
    assert upper_case
    assert all(MASKED_PASS.fullmatch(value) for value in upper_case)
