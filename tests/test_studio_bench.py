"""The studio's benchmark section: what it measures and how its verdicts read (no timing asserted)."""

from __future__ import annotations

from bench import studio


def test_the_studio_benchmark_measures_suggestions_checks_and_runs() -> None:
    results = studio.measure(quick=True, runs=2)
    assert results["phrases"] > 50
    for figure in ("suggest", "check", "run"):
        assert results[figure]["count"] > 0
        assert 0 < results[figure]["median_ms"] <= results[figure]["p99_ms"]
    assert results["suggest"]["count"] > results["check"]["count"]  # each step at three points
    first = results["first_outline_check"]  # each in a fresh process, which must find the typo
    assert first["count"] == 2
    assert 0 < first["best_ms"] <= first["median_ms"]


def test_a_figure_over_its_target_is_called_a_miss() -> None:
    figure = {"median_ms": 10.0, "p99_ms": 60.0, "count": 3, "target_ms": 50.0}
    fast = {"median_ms": 1.0, "p99_ms": 2.0, "count": 3, "target_ms": 50.0}
    run = {"median_ms": 700.0, "p99_ms": 1400.0, "count": 3, "target_ms": 1000.0}
    table = studio.render({"suggest": figure, "check": fast, "run": run, "phrases": 9})
    lines = table.splitlines()
    assert "9 phrases" in lines[1]
    assert lines[2].endswith("MISSES TARGET")
    assert lines[3].endswith("meets target")
    assert lines[4].endswith("meets target")  # a run is promised in about a second: its median


def test_the_first_outline_check_is_judged_by_its_median_and_shows_its_best() -> None:
    figure = {"median_ms": 10.0, "p99_ms": 20.0, "count": 3, "target_ms": 50.0}
    first = {"best_ms": 150.0, "median_ms": 210.0, "wall_median_ms": 400.0, "count": 5}
    results = {"suggest": figure, "check": figure, "run": figure, "phrases": 9}
    line = studio.render({**results, "first_outline_check": {**first, "target_ms": 200.0}})
    expected = (
        "studio: first outline check median 210.0 ms, best 150.0 ms of process time, "
        "wall median 400.0 ms (5 fresh processes) target < 200 ms MISSES TARGET"
    )
    assert " ".join(line.splitlines()[-1].split()) == expected
    met = studio.render({**results, "first_outline_check": {**first, "target_ms": 250.0}})
    assert met.splitlines()[-1].endswith("meets target")
