"""The benchmark's own arithmetic and parsing, and a smoke run of its smallest in-process section."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pytest

from bench import __main__ as bench_main
from bench import readme, report, scale, spec_cost, wrk
from bench.factory import build_app_samples, scenario_samples
from bench.stats import percentile, ratio, summary

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8000/heroes/1
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.95ms  233.12us   5.12ms   91.20%
    Req/Sec    33.10k     1.20k   34.50k    80.00%
  Latency Distribution
     50%  891.00us
     75%    1.01ms
     90%    1.20ms
     99%    1.83ms
  33054 requests in 1.00s, 7.12MB read
  Non-2xx or 3xx responses: 12
Requests/sec:  33054.12
Transfer/sec:      7.12MB
"""


def test_wrk_output_is_read_with_units() -> None:
    result = wrk.parse(WRK_OUTPUT)
    assert result.requests_per_second == pytest.approx(33054.12)
    assert result.p50_ms == pytest.approx(0.891)
    assert result.p99_ms == pytest.approx(1.83)
    assert result.errors == 12


def test_unreadable_wrk_output_is_an_error_not_a_zero() -> None:
    with pytest.raises(ValueError, match="not understood"):
        wrk.parse("connection refused")


def test_percentiles_use_the_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.5) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile([], 0.99) == 0.0
    assert summary([1.0, 3.0, 2.0]) == {"median": 2.0, "p99": 3.0, "count": 3.0}
    assert math.isnan(ratio(1.0, 0.0))


def test_pytest_summaries_are_read() -> None:
    assert spec_cost.parse_summary("...\n111 passed in 3.52s\n") == (111, 3.52)
    assert spec_cost.parse_summary("5 passed, 2 deselected in 0.10s") == (5, 0.10)


def test_the_smallest_run_fills_the_table() -> None:
    builds = summary(build_app_samples(50))
    scenarios = summary(scenario_samples(2))
    results = {
        "build_app": {"median_ms": builds["median"], "p99_ms": builds["p99"], "target_ms": 0.5},
        "scenario": {"median_ms": scenarios["median"], "p99_ms": scenarios["p99"]},
        "comms_fanout": [
            {
                "clients": 1000,
                "messages": 1,
                "delivered": 1000,
                "lost": 0,
                "p50_ms": 3.0,
                "p99_ms": 120.0,
            }
        ],
    }
    lines = report.render(results).splitlines()
    assert lines[0].startswith("build_app()")
    assert "median" in lines[0]
    assert lines[1].startswith("one in-process scenario")
    assert "MISSES TARGET" in lines[2]  # 120 ms p99 at 1,000 clients is over the 100 ms target


def test_the_generated_specification_has_the_scenarios_asked_for(tmp_path: Path) -> None:
    feature = scale.write_feature(tmp_path, 3).read_text()
    plain = scale.write_plain(tmp_path, 3).read_text()
    assert feature.count("  Scenario: Recruit ") == 3
    assert feature.count("Then HQ files Tide as hero number 1") == 3
    assert plain.count("def test_recruit_") == 3


def test_the_generated_specification_runs_beside_plain_pytest_and_is_reported() -> None:
    results = scale.spec_beside_plain(3, rounds=1)
    spec, plain = results["spec"], results["plain"]
    assert (spec["passed"], plain["passed"]) == (3, 3)
    assert spec["messages_bytes"] > 0
    assert spec["docs_bytes"] > 0
    assert results["ratio"] == pytest.approx(spec["seconds"] / plain["seconds"])
    rows = report.render({"spec_vs_plain": results, "spec_growth": [spec]}).splitlines()
    assert rows[0].startswith("3 scenarios, one process")
    assert rows[1].startswith("3 scenarios / plain pytest")
    assert rows[2].startswith("spec of 3 scenarios")


def test_the_readme_table_is_rewritten_between_its_markers_only(tmp_path: Path) -> None:
    results = {"whole_spec": {"passed": 116, "seconds": 1.5, "target_seconds": 2.0}}
    plain = tmp_path / "PLAIN.md"
    plain.write_text("# no markers here\n")
    assert readme.update(plain, results) is False
    assert plain.read_text() == "# no markers here\n"
    marked = tmp_path / "README.md"
    marked.write_text(f"before\n{readme.START}\nold table\n{readme.END}\nafter\n")
    assert readme.update(marked, results) is True
    text = marked.read_text()
    assert "old table" not in text
    assert text.startswith("before\n")
    assert text.endswith("after\n")
    assert "| whole specification | 116 scenarios in 1.50 s | < 2.0 s | meets target |" in text


def test_parts_measured_again_replace_only_their_own_figures() -> None:
    earlier = {
        "whole_spec": {"seconds": 2.5}, "http": {"GET": 1},
        "measured_at": {"spec": "day 1", "http": "day 1"},
    }  # fmt: skip
    latest = {"whole_spec": {"seconds": 0.9}, "measured_at": {"spec": "day 2"}}
    merged = bench_main.merge(earlier, latest, ["spec"])
    assert merged["whole_spec"] == {"seconds": 0.9}
    assert merged["http"] == {"GET": 1}
    assert merged["measured_at"] == {"spec": "day 2", "http": "day 1"}
    assert readme.when_measured(merged).endswith("http on day 1; spec on day 2.")


def test_the_table_is_shown_only_when_every_part_is_measured() -> None:
    every = {"measured_at": dict.fromkeys(bench_main.PARTS, "today")}
    assert bench_main.complete(every)
    del every["measured_at"]["http"]
    assert not bench_main.complete(every)


def test_a_part_a_quick_run_measured_keeps_the_table_from_being_shown() -> None:
    every = {"measured_at": dict.fromkeys(bench_main.PARTS, "today")}
    every["measured_at"]["http"] = "today" + bench_main.QUICK
    assert not bench_main.complete(every)


def test_an_unknown_part_is_refused_by_name() -> None:
    assert bench_main.parse_parts("spec, http") == ["spec", "http"]
    assert bench_main.parse_parts("spec,http,spec") == ["spec", "http"]  # each measured once
    with pytest.raises(argparse.ArgumentTypeError, match="speck: parts are spec, http"):
        bench_main.parse_parts("speck")


def test_the_plain_functions_keep_their_rewritten_bytecode_as_the_features_keep_their_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This machine's environment asks Python not to write bytecode; a developer's rerun has it.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert scale.run_plain(tmp_path, 1)["passed"] == 1
    assert list((tmp_path / "__pycache__").glob("test_many_recruits.*-pytest-*.pyc"))


def test_the_table_says_when_output_was_unbuffered() -> None:
    results = {"machine": {"python": "3.11.7", "cores": 2, "unbuffered_output": True}}
    assert "2 cores, unbuffered output (PYTHONUNBUFFERED)" in readme.when_measured(results)
    results["machine"]["unbuffered_output"] = False
    assert "unbuffered" not in readme.when_measured(results)


def test_the_spec_plain_ratio_is_the_median_of_each_rounds_own_ratio(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A machine that slows down and speeds up between rounds: each round's pair shares its moment.
    spec_seconds, plain_seconds = iter([10.0, 6.0, 8.0]), iter([5.0, 5.0, 4.0])
    monkeypatch.setattr(scale, "run_spec", lambda folder, n: {"seconds": next(spec_seconds)})
    monkeypatch.setattr(scale, "run_plain", lambda folder, n: {"seconds": next(plain_seconds)})
    results = scale.spec_beside_plain(3, rounds=3)
    assert results["round_ratios"] == [2.0, 1.2, 2.0]
    assert results["ratio"] == 2.0  # not the ratio of the medians, 8 / 5
    assert (results["spec"]["seconds"], results["plain"]["seconds"]) == (8.0, 5.0)
