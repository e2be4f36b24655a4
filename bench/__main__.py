"""`python -m bench`: measure HQ beside its baselines, print a table, write reports/bench.json."""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import (
    factory,
    fanout,
    feed,
    growth,
    http_load,
    living_docs,
    plots,
    readme,
    report,
    scale,
    spec_cost,
    store_modes,
    studio,
)
from bench.stats import summary

SIZES = {
    "quick": {"builds": 2000, "scenarios": 20, "fanout": [10, 100], "messages": 3, "readers": 50,
              "roster": [10, 100], "growth_seconds": 1.0, "rounds": 1,
              "generated": 20, "spec_growth": [10, 20], "documented": 2000},
    "full": {"builds": 20000, "scenarios": 200, "fanout": [100, 500, 1000, 2000], "messages": 10,
             "readers": 500, "roster": [10, 100, 1000, 10000], "growth_seconds": 2.0, "rounds": 3,
             "generated": 2000, "spec_growth": [100, 500, 1000, 2000, 5000], "documented": 10000},
}  # fmt: skip


def run(size: dict[str, Any], *, with_spec: bool = True) -> dict[str, Any]:
    builds = summary(factory.build_app_samples(size["builds"]))
    scenarios = summary(factory.scenario_samples(size["scenarios"]))
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cores": __import__("os").cpu_count()},
        "build_app": {
            "median_ms": builds["median"],
            "p99_ms": builds["p99"],
            "target_ms": factory.TARGET_MS,
        },
        "scenario": {"median_ms": scenarios["median"], "p99_ms": scenarios["p99"]},
    }
    if with_spec:
        results["spec_vs_plain"] = scale.spec_beside_plain(size["generated"], rounds=size["rounds"])
        results["whole_spec"] = scale.whole_spec(rounds=size["rounds"])
        results["spec_growth"] = scale.growth(size["spec_growth"])
        results["xdist"] = [
            spec_cost.xdist_speedup(rounds=size["rounds"], live=False),
            spec_cost.xdist_speedup(rounds=1, live=True),
        ]
    results["http"] = http_load.measure(quick=size["rounds"] == 1)
    results["comms_fanout"] = fanout.measure(size["fanout"], size["messages"])
    results["feed"] = feed.measure(size["readers"])
    results["roster_growth"] = growth.measure(size["roster"], size["growth_seconds"])
    results["studio"] = studio.measure(quick=size["rounds"] == 1)
    results["store_modes"] = store_modes.measure(quick=size["rounds"] == 1)
    results["living_docs"] = living_docs.measure(size["documented"])
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small, fast run")
    parser.add_argument("--no-spec", action="store_true", help="skip the specification timings")
    parser.add_argument("--out", default="reports", help="where bench.json and plots go")
    args = parser.parse_args(argv)
    started = time.monotonic()
    results = run(SIZES["quick" if args.quick else "full"], with_spec=not args.no_spec)
    results["seconds"] = round(time.monotonic() - started, 1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    drawn = plots.draw(results, out)
    print(report.render(results))
    print(studio.render(results["studio"]))
    print(store_modes.render(results["store_modes"]))
    print(living_docs.render(results["living_docs"]))
    if not args.quick and readme.update(Path("README.md"), results):
        print("README.md: benchmark table updated")
    print(f"\nwrote {out / 'bench.json'}" + "".join(f", {path}" for path in drawn))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
