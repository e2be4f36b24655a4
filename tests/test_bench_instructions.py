"""The benchmark's instruction counts: read from valgrind, one scenario's share, and reported."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench import instructions, report

CALLGRIND_END = """==42== Events    : Ir
==42== Collected : 5046647731
==42==
==42== I   refs:      5,046,647,731
"""


def test_the_count_is_read_from_what_callgrind_prints() -> None:
    assert instructions.parse_count(CALLGRIND_END) == 5_046_647_731


def test_a_run_without_a_count_is_an_error_not_a_zero() -> None:
    with pytest.raises(instructions.CountFailed, match="no instruction count"):
        instructions.parse_count("==42== Memcheck, a memory error detector\n")


def test_one_more_scenario_costs_the_difference_between_sizes_over_the_scenarios_added() -> None:
    # 200 scenarios: 6.0 G; 400 scenarios: 8.0 G; so 10 M each, whatever the run's fixed cost.
    assert instructions.per_scenario({400: 8_000_000_000, 200: 6_000_000_000}) == 10_000_000


@pytest.mark.skipif(not instructions.available(), reason="valgrind is installed by .ci/run")
def test_valgrind_counts_more_instructions_for_more_work(tmp_path: Path) -> None:
    idle = instructions.count([sys.executable, "-c", "pass"], tmp_path)
    busy = instructions.count([sys.executable, "-c", "sum(range(3_000_000))"], tmp_path)
    assert 0 < idle < busy


@pytest.mark.skipif(not instructions.available(), reason="valgrind is installed by .ci/run")
def test_a_failing_command_is_refused_not_counted_and_says_why(tmp_path: Path) -> None:
    failing = [sys.executable, "-c", "import sys; sys.exit('no roster today')"]
    with pytest.raises(instructions.CountFailed, match=r"(?s)failed.*no roster today"):
        instructions.count(failing, tmp_path)


def test_counted_runs_hash_alike_every_time() -> None:
    assert instructions.counting_environment()["PYTHONHASHSEED"] == "0"


def test_the_ratio_is_the_specs_share_over_the_plain_functions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counts = {
        ("spec", 2): 6_000_000_000,
        ("spec", 4): 6_030_000_000,  # 15 M a scenario
        ("plain", 2): 5_000_000_000,
        ("plain", 4): 5_020_000_000,  # 10 M a scenario
    }
    monkeypatch.setattr(instructions, "available", lambda: True)
    monkeypatch.setattr(instructions, "_counted", lambda kind, n: counts[(kind, n)])
    counted = instructions.spec_beside_plain((2, 4))
    assert counted["spec_per_scenario"] == 15_000_000
    assert counted["plain_per_scenario"] == 10_000_000
    assert counted["ratio"] == 1.5
    [row] = [r for r in report.rows({"spec_vs_plain_instructions": counted}) if "instr" in r[1]]
    assert row[0] == "one more scenario / plain pytest"
    assert row[1] == "15.00 M vs 10.00 M plain, instructions a scenario = 1.50 (valgrind)"
    assert row[2:] == ("", "")  # judged by the time ratio, whose companion it is


def test_without_valgrind_the_count_is_skipped_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    counted = instructions.spec_beside_plain()
    assert counted == {"skipped": "valgrind is not installed"}
    rows = report.rows({"spec_vs_plain_instructions": counted})
    assert ("one more scenario / plain pytest", "valgrind is not installed", "", "") in rows
