"""The specification pins HQ's behaviour: every broken HQ fails it, and says so in HQ's words."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from tests.broken_mutants import BROKEN_MUTANTS
from tests.mutants import COMMS_CRASH_WORDS, HQ_CRASHED, MUTANTS, UNBROKEN, catches, hq_crashed
from tests.python_shapes import python_in
from tests.spec_run import run_features

Verdicts = dict[str | None, list[dict[str, str]]]


def run_mutants(folder: Path, mutants: str = "all", *args: str) -> Verdicts:
    """One specification run with these mutants, grouped by mutant: each scenario's verdict."""
    report = folder / "verdicts.ndjson"
    completed = run_features(
        "-q", "-p", "tests.mutants", "-o", "addopts=", "-W", "error", *args,
        env={"SPEC_MUTANTS": mutants, "SPEC_MUTANT_REPORT": str(report)},
    )  # fmt: skip
    assert report.exists(), completed.stdout[-3000:] + completed.stderr[-3000:]
    verdicts: Verdicts = defaultdict(list)
    for line in report.read_text(encoding="utf-8").splitlines():
        verdict = json.loads(line)
        verdicts[verdict["mutant"]].append(verdict)
    return verdicts


def not_caught(verdicts: Verdicts, names: Iterable[str]) -> list[str]:
    """The mutants no scenario caught by HQ doing something else, each saying how it got away.

    A failure is a catch only as a step's mismatch (not a step that broke), and only if HQ did
    not crash: a mutant that fails scenarios only by crashing HQ is refused, by name.
    """
    missed = []
    for name in names:
        failures = [v["message"] for v in verdicts.get(name, []) if v["outcome"] == "failed"]
        if any(catches(message) for message in failures):
            continue
        crashed = failures and all(hq_crashed(message) for message in failures)
        missed.append(f"{name} (it only crashed HQ)" if crashed else name)
    return missed


def test_every_broken_hq_fails_the_specification_in_hqs_words(tmp_path: Path) -> None:
    verdicts = run_mutants(tmp_path)
    unbroken = [v for v in verdicts[UNBROKEN] if v["outcome"] == "failed"]
    assert verdicts[UNBROKEN], "the unbroken HQ was never run"
    assert not unbroken, "unbroken HQ failed:\n" + "\n\n".join(v["message"] for v in unbroken)
    missed = not_caught(verdicts, MUTANTS)
    assert not missed, f"the specification did not catch: {', '.join(missed)}"
    pythonic = [
        f"{v['mutant']} / {v['test']}: shows {python_in(v['message'])}\n{v['message']}"
        for runs in verdicts.values()
        for v in runs
        if python_in(v["message"])
    ]
    assert not pythonic, "failure messages in Python, not HQ's words:\n\n" + "\n\n".join(pythonic)


def test_a_mutant_that_only_crashes_hq_is_refused_by_name_not_counted_as_caught(
    tmp_path: Path,
) -> None:
    names = list(BROKEN_MUTANTS)
    verdicts = run_mutants(tmp_path, "\n".join(names), "-p", "tests.broken_mutants")
    for name in names:  # each failed scenarios, and went on: a crash is no catch to stop at
        failed = [v["test"] for v in verdicts[name] if v["outcome"] == "failed"]
        assert len(failed) > 1, f"{name} failed only {failed}"
    assert not_caught(verdicts, names) == [f"{name} (it only crashed HQ)" for name in names]


def test_a_mutant_that_changes_hqs_internal_error_answer_is_caught_not_taken_for_a_crash(
    tmp_path: Path,
) -> None:
    # The one scenario that asks for HQ's internal error, where this mutant can only be caught.
    name = "internal_error message changed"
    verdicts = run_mutants(tmp_path, name, "-k", "internal_failure_says_only")
    [failure] = [v["message"] for v in verdicts[name] if v["outcome"] == "failed"]
    assert HQ_CRASHED.search(failure), failure  # it observed HQ's internal error answer...
    assert catches(failure)  # ...which the step asked for: a catch, not HQ crashing
    assert not_caught(verdicts, [name]) == []


def _failed_step(observed: str, expected: str = 'Tide to hear "one"') -> dict[str, str]:
    return {
        "outcome": "failed",
        "message": f"Step failed: Then a step\n\nExpected: {expected}\n"
        f"Observed: {observed}\n\nLatest comms frames:\n  Volt sent (internal_error)\n",
    }


def test_only_a_mismatch_with_hq_still_standing_is_a_catch() -> None:
    broke_down = (
        "Tide heard nothing: HQ's comms connection broke down "
        "(HQ's own account of it is in the captured log)"
    )
    internal_error = 'HQ refused with "something went wrong inside HQ" (internal_error)'
    verdicts: Verdicts = {
        "crashes only": [
            _failed_step(broke_down),
            _failed_step(internal_error),
            _failed_step("HQ answered GET /heroes/ in some other way (status 500)"),
            _failed_step(f'Volt heard the complaint "{COMMS_CRASH_WORDS}" (no details)'),
        ],
        "crashes, then does something else": [
            _failed_step(broke_down),
            _failed_step("Tide heard nothing in time"),  # frames below may mention anything
        ],
        "changes the internal error it was asked for": [
            _failed_step(
                'HQ refused with "internal server error" (internal_error)',
                expected='HQ to refuse with "something went wrong inside HQ" (internal_error)',
            ),
        ],
        "breaks a step": [{"outcome": "failed", "message": "Step failed: Given Volt is on comms"}],
        "changes nothing": [{"outcome": "passed", "message": ""}],
    }
    assert not_caught(verdicts, ["never run", *(name for name in verdicts if name)]) == [
        "never run",
        "crashes only (it only crashed HQ)",
        "breaks a step",
        "changes nothing",
    ]
