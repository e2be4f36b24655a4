"""The specification pins HQ's behaviour: every deliberately broken HQ fails a scenario."""

from __future__ import annotations

import subprocess

import pytest

from tests.mutants import MUTANTS
from tests.spec_run import run_features


def run_spec(mutant: str | None) -> subprocess.CompletedProcess[str]:
    return run_features(
        "-x", "-q", "-p", "tests.mutants", "-o", "addopts=", "-W", "error",
        env={"HQ_MUTANT": mutant or ""},
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
