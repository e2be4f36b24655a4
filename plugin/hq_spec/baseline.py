"""Tags that tell the truth: scenarios a baseline implementation fails carry the baseline tag.

A project may name a baseline (`hq_spec_baseline_args`: the pytest arguments that run its
features against, say, the first version of the product) and a tag (`hq_spec_baseline_tag`) for
what goes beyond it. `hq-spec check` then runs the features against the baseline once and names
each scenario whose tag does not match what the baseline did, at its line.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hq_spec.check import Problem
from hq_spec.settings import Settings

BASELINE_SECONDS = 600


@dataclass(frozen=True)
class BaselineOutcome:
    """How one run of one scenario (an outline row is a run of its own) fared on the baseline."""

    file: str
    line: int
    name: str
    tagged: bool
    passed: bool


def baseline_problems(settings: Settings) -> list[Problem]:
    """Each scenario tagged for what the baseline lacks that it satisfies, and each untagged one
    it does not satisfy; none when no baseline is configured."""
    if not settings.baseline_args or not settings.baseline_tag:
        return []
    tag = "@" + settings.baseline_tag.lstrip("@")
    with tempfile.TemporaryDirectory(prefix="hq-spec-baseline-") as folder:
        stream = Path(folder) / "baseline.ndjson"
        command = [
            sys.executable, "-m", "pytest", str(settings.features), "-q", "-p", "no:cacheprovider",
            *shlex.split(settings.baseline_args), f"--cucumber-messages={stream}",
        ]  # fmt: skip
        completed = subprocess.run(  # noqa: S603 - the project's own interpreter and settings
            command, cwd=settings.root, capture_output=True, text=True,
            timeout=BASELINE_SECONDS, check=False,
        )  # fmt: skip
        if not stream.exists():
            output = (completed.stdout + completed.stderr).strip().splitlines()[-5:]
            return [
                Problem(
                    "pyproject.toml",
                    None,
                    "the baseline run (hq_spec_baseline_args) did not run: " + " / ".join(output),
                )
            ]
        outcomes = list(read_outcomes(stream, tag))
    return [problem for outcome in outcomes if (problem := _mismatch(outcome, tag))]


def _mismatch(outcome: BaselineOutcome, tag: str) -> Problem | None:
    if outcome.tagged and outcome.passed:
        return Problem(
            outcome.file,
            outcome.line,
            f'"{outcome.name}" carries {tag}, but the baseline already does it: remove the tag.',
        )
    if not outcome.tagged and not outcome.passed:
        return Problem(
            outcome.file,
            outcome.line,
            f'"{outcome.name}" is something the baseline does not do: tag it {tag}.',
        )
    return None


def read_outcomes(stream: Path, tag: str) -> Iterator[BaselineOutcome]:
    """Each run's outcome from a Cucumber Messages stream; runs skipped unfailed are left out."""
    pickles: dict[str, dict[str, Any]] = {}
    case_pickle: dict[str, str] = {}
    started_case: dict[str, str] = {}
    statuses: dict[str, list[str]] = {}
    for raw in stream.read_text(encoding="utf-8").splitlines():
        envelope: dict[str, Any] = json.loads(raw)
        if "pickle" in envelope:
            pickles[envelope["pickle"]["id"]] = envelope["pickle"]
        elif "testCase" in envelope:
            case_pickle[envelope["testCase"]["id"]] = envelope["testCase"]["pickleId"]
        elif "testCaseStarted" in envelope:
            started = envelope["testCaseStarted"]
            started_case[started["id"]] = started["testCaseId"]
        elif "testStepFinished" in envelope:
            finished = envelope["testStepFinished"]
            pickle_id = case_pickle[started_case[finished["testCaseStartedId"]]]
            statuses.setdefault(pickle_id, []).append(finished["testStepResult"]["status"])
    for pickle_id, found in statuses.items():
        # After a failed step the rest are skipped; a run skipped with nothing failed says nothing.
        if "SKIPPED" in found and set(found) <= {"PASSED", "SKIPPED"}:
            continue
        pickle = pickles[pickle_id]
        yield BaselineOutcome(
            file=pickle["uri"],
            # A pickle's location is its scenario's line, or its Examples row's.
            line=(pickle.get("location") or {}).get("line", 0),
            name=pickle["name"],
            tagged=any(t["name"] == tag for t in pickle.get("tags", [])),
            passed=all(status == "PASSED" for status in found),
        )
