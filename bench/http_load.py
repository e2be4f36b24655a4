"""HTTP throughput and latency of HQ beside the baseline app, interleaved in one run."""

from __future__ import annotations

import statistics
from typing import Any

from bench import servers, wrk
from bench.stats import ratio

# route name -> (path, POST?, heroes on the roster first, target ratio HQ/baseline)
ROUTES: dict[str, tuple[str, bool, int, float]] = {
    "GET /heroes/1": ("/heroes/1", False, 1, 0.85),
    "POST /heroes/": ("/heroes/", True, 0, 1.0),
    "GET /heroes/ (100 heroes)": ("/heroes/", False, 100, 1.0),
}


def measure_route(
    path: str, post: bool, heroes: int, *, rounds: int, seconds: float
) -> dict[str, Any]:
    """Alternate HQ and baseline runs on fresh servers, so noise hits both alike."""
    runs: dict[str, list[wrk.LoadResult]] = {"hq": [], "baseline": []}
    with servers.serving("hq") as hq_url, servers.serving("baseline") as base_url:
        for url in (hq_url, base_url):
            servers.recruit(url, heroes)
        for _ in range(rounds):
            for app, url in (("hq", hq_url), ("baseline", base_url)):
                runs[app].append(wrk.run(url + path, seconds=seconds, post=post))
    result: dict[str, Any] = {}
    for app, results in runs.items():
        result[app] = {
            "requests_per_second": statistics.median(r.requests_per_second for r in results),
            "p50_ms": statistics.median(r.p50_ms for r in results),
            "p99_ms": statistics.median(r.p99_ms for r in results),
            "errors": sum(r.errors for r in results),
        }
    result["ratio"] = ratio(
        result["hq"]["requests_per_second"], result["baseline"]["requests_per_second"]
    )
    return result


def measure(*, quick: bool) -> dict[str, Any]:
    if not wrk.available():
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    rounds, seconds = (1, 1.0) if quick else (5, 3.0)
    figures = {}
    for name, (path, post, heroes, target) in ROUTES.items():
        figures[name] = {
            **measure_route(path, post, heroes, rounds=rounds, seconds=seconds),
            "target": target,
        }
    return figures
