"""`pytest --gherkin-terminal-reporter`, as users are told to run it: the specification, live."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.spec_run import ROOT

TITLE = re.compile(r"^ +\S Scenario( Outline)?: ")
SUMMARY = re.compile(r"^(\d+) scenarios, (\d+) runs: (\d+) passed, 0 failed, 0 undefined")


def test_plain_pytest_runs_the_specification_scenario_by_scenario() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--gherkin-terminal-reporter", "-p", "no:xdist", "-rA"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:]
    lines = completed.stdout.splitlines()
    ran = [line.split()[1] for line in lines if line.startswith("PASSED ")]
    assert ran
    assert all(nodeid.startswith("features/") for nodeid in ran)  # no engineers' suites
    titles = [i for i, line in enumerate(lines) if TITLE.match(line)]
    assert len(titles) == len(ran)  # each scenario printed once, in Gherkin
    # The Gherkin starts right after pytest's header: no wall of progress marks first.
    collected = next(i for i, line in enumerate(lines) if line.startswith("collected "))
    first_feature = next(i for i, line in enumerate(lines) if line.startswith("Feature: "))
    assert collected < first_feature < titles[0]
    assert all(not line.strip() for line in lines[collected + 1 : first_feature])
    [summary] = [match for line in lines if (match := SUMMARY.match(line))]
    scenarios, runs, passed = (int(number) for number in summary.groups())
    assert runs == passed == len(ran)
    assert scenarios <= runs
