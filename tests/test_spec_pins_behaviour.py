"""The specification pins HQ's behaviour: every deliberately broken HQ fails a scenario."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hq_spec import SPEC_ONLY_ARGS
from tests.mutants import MUTANTS

ROOT = Path(__file__).resolve().parent.parent


def run_spec(mutant: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HQ_MUTANT": mutant or ""}
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "pytest", "features", "-x", "-q", "-p", "tests.mutants",
         "-p", "no:xdist", *SPEC_ONLY_ARGS, "-o", "addopts=", "-W", "error"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_a_broken_hq_fails_the_specification(mutant: str) -> None:
    result = run_spec(mutant)
    assert result.returncode == 1, (
        f"the specification did not catch {mutant!r}:\n{result.stdout[-2000:]}"
    )
    assert " failed" in result.stdout.splitlines()[-1]


def test_the_mutant_plugin_alone_changes_nothing() -> None:
    result = run_spec(None)
    assert result.returncode == 0, result.stdout[-3000:]
