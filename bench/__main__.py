"""`python -m bench`: measure HQ beside its baselines, print a table, write reports/bench.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import (
    factory,
    fanout,
    feed,
    growth,
    http_load,
    instructions,
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
              "side_by_side_rounds": 1, "generated": 20, "spec_growth": [10, 20],
              "documented": 2000, "counted": None},
    "full": {"builds": 20000, "scenarios": 200, "fanout": [100, 500, 1000, 2000], "messages": 10,
             "readers": 500, "roster": [10, 100, 1000, 10000], "growth_seconds": 2.0, "rounds": 3,
             "side_by_side_rounds": 5, "generated": 2000,
             "spec_growth": [100, 500, 1000, 2000, 5000], "documented": 10000,
             "counted": instructions.SIZES},
}  # fmt: skip


def _spec(size: dict[str, Any]) -> dict[str, Any]:
    builds = summary(factory.build_app_samples(size["builds"]))
    scenarios = summary(factory.scenario_samples(size["scenarios"]))
    rounds = size["rounds"]
    return {
        "build_app": {
            "median_ms": builds["median"],
            "p99_ms": builds["p99"],
            "target_ms": factory.TARGET_MS,
        },
        "scenario": {"median_ms": scenarios["median"], "p99_ms": scenarios["p99"]},
        "spec_vs_plain": scale.spec_beside_plain(
            size["generated"], rounds=size["side_by_side_rounds"]
        ),
        "spec_vs_plain_instructions": (
            instructions.spec_beside_plain(size["counted"])
            if size["counted"]
            else {"skipped": "counted in a full run only"}
        ),
        "whole_spec": scale.whole_spec(rounds=rounds),
        "spec_growth": scale.growth(size["spec_growth"]),
        "xdist": [
            spec_cost.xdist_speedup(rounds=rounds, live=False),
            spec_cost.xdist_speedup(rounds=1, live=True),
        ],
    }


def _quick(size: dict[str, Any]) -> bool:
    return bool(size["rounds"] == 1)


# Each part of the run, and how it measures (the figures it writes into bench.json).
PARTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "spec": _spec,
    "http": lambda size: {"http": http_load.measure(quick=_quick(size))},
    "comms": lambda size: {"comms_fanout": fanout.measure(size["fanout"], size["messages"])},
    "feed": lambda size: {"feed": feed.measure(size["readers"])},
    "roster": lambda size: {
        "roster_growth": growth.measure(size["roster"], size["growth_seconds"])
    },
    "studio": lambda size: {"studio": studio.measure(quick=_quick(size))},
    "store": lambda size: {"store_modes": store_modes.measure(quick=_quick(size))},
    "docs": lambda size: {"living_docs": living_docs.measure(size["documented"])},
}


def run(size: dict[str, Any], parts: Sequence[str]) -> dict[str, Any]:
    """Measure the named parts of the benchmark (PARTS), each beside its own baseline."""
    results: dict[str, Any] = {}
    for part in parts:
        results |= PARTS[part](size)
    return results


def merge(earlier: dict[str, Any], latest: dict[str, Any], parts: Sequence[str]) -> dict[str, Any]:
    """The earlier full run with the parts measured again replaced, and when each was measured."""
    merged = {**earlier, **latest}
    measured = dict(earlier.get("measured_at", {}))
    measured.update({part: latest["measured_at"][part] for part in parts})
    merged["measured_at"] = measured
    return merged


# Marks a part measured by a quick run: its figures are never the README's.
QUICK = " (quick)"


def complete(results: dict[str, Any]) -> bool:
    """Whether every part of the benchmark is in these results, each from a full run (a table
    may then be shown)."""
    measured = results.get("measured_at", {})
    return all(part in measured and not measured[part].endswith(QUICK) for part in PARTS)


def parse_parts(text: str) -> list[str]:
    # Each part once, in the order given: a part named twice is not measured twice.
    parts = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [part for part in parts if part not in PARTS]
    if unknown or not parts:
        known = ", ".join(PARTS)
        raise argparse.ArgumentTypeError(f"{', '.join(unknown) or 'nothing'}: parts are {known}")
    return parts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small, fast run")
    parser.add_argument(
        "--only", type=parse_parts, metavar="PARTS",
        help=f"measure only these parts ({', '.join(PARTS)}), comma-separated, and merge them "
        "into the bench.json already in --out; the README's table is rewritten only when "
        "every part is then there",
    )  # fmt: skip
    parser.add_argument("--out", default="reports", help="where bench.json and plots go")
    args = parser.parse_args(argv)
    parts = args.only or list(PARTS)
    started = time.monotonic()
    results = run(SIZES["quick" if args.quick else "full"], parts)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results["machine"] = {
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        # Unbuffered, each write to the terminal is a system call: the console reporter's cost.
        "unbuffered_output": bool(os.environ.get("PYTHONUNBUFFERED")),
    }
    results["measured_at"] = dict.fromkeys(parts, stamp + (QUICK if args.quick else ""))
    results["seconds"] = round(time.monotonic() - started, 1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    saved = out / "bench.json"
    if args.only and saved.exists():
        results = merge(json.loads(saved.read_text()), results, parts)
    saved.write_text(json.dumps(results, indent=2) + "\n")
    drawn = plots.draw(results, out)
    print(report.render(results))
    if "studio" in results:
        print(studio.render(results["studio"]))
    if "store_modes" in results:
        print(store_modes.render(results["store_modes"]))
    if "living_docs" in results:
        print(living_docs.render(results["living_docs"]))
    if complete(results) and readme.update(Path("README.md"), results):
        print("README.md: benchmark table updated")
    print(f"\nwrote {saved}" + "".join(f", {path}" for path in drawn))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
