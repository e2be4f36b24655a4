"""The specification pins HQ's behaviour: every broken HQ fails it, and says so in HQ's words."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from tests.mutants import MUTANTS, UNBROKEN
from tests.spec_run import run_features

# What a Python value looks like when it leaks into a message meant for a product owner.
PYTHON_SHAPES = ("{'", "[('", "['", "Traceback", "object at 0x", "<class ")
PYTHON_WORDS = re.compile(r"\b(None|True|False)\b")


def python_in(message: str) -> list[str]:
    """The Python shapes a failure message shows (none, in HQ's language)."""
    return [shape for shape in PYTHON_SHAPES if shape in message] + PYTHON_WORDS.findall(message)


def run_every_mutant(folder: Path) -> dict[str | None, list[dict[str, str]]]:
    """One specification run with every mutant, grouped by mutant: each scenario's verdict."""
    report = folder / "verdicts.ndjson"
    completed = run_features(
        "-q", "-p", "tests.mutants", "-o", "addopts=", "-W", "error",
        env={"SPEC_MUTANTS": "all", "SPEC_MUTANT_REPORT": str(report)},
    )  # fmt: skip
    assert report.exists(), completed.stdout[-3000:] + completed.stderr[-3000:]
    verdicts: dict[str | None, list[dict[str, str]]] = defaultdict(list)
    for line in report.read_text(encoding="utf-8").splitlines():
        verdict = json.loads(line)
        verdicts[verdict["mutant"]].append(verdict)
    return verdicts


def test_every_broken_hq_fails_the_specification_in_hqs_words(tmp_path: Path) -> None:
    verdicts = run_every_mutant(tmp_path)
    unbroken = [v for v in verdicts[UNBROKEN] if v["outcome"] == "failed"]
    assert verdicts[UNBROKEN], "the unbroken HQ was never run"
    assert not unbroken, "unbroken HQ failed:\n" + "\n\n".join(v["message"] for v in unbroken)
    # Caught means a scenario failed because HQ did something else, not because a step broke.
    missed = [
        name
        for name in MUTANTS
        if not any(v["outcome"] == "failed" and "Expected:" in v["message"] for v in verdicts[name])
    ]
    assert not missed, f"the specification did not catch: {', '.join(missed)}"
    pythonic = [
        f"{v['mutant']} / {v['test']}: shows {python_in(v['message'])}\n{v['message']}"
        for runs in verdicts.values()
        for v in runs
        if python_in(v["message"])
    ]
    assert not pythonic, "failure messages in Python, not HQ's words:\n\n" + "\n\n".join(pythonic)
