"""The specification's time against the same checks in plain pytest, and its xdist speed-up."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.stats import ratio

ROOT = Path(__file__).resolve().parent.parent
PLAIN_TESTS = "tests/test_hero_hq.py"
TARGET_RATIO = 1.3


def parse_summary(output: str) -> tuple[int, float]:
    """(tests passed, seconds) from pytest's closing line, e.g. '111 passed in 3.52s'."""
    match = re.search(r"(\d+) passed.* in ([\d.]+)s", output)
    if match is None:
        raise ValueError(f"no pytest summary in:\n{output[-1000:]}")
    return int(match.group(1)), float(match.group(2))


def run_pytest(*args: str) -> tuple[int, float]:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if completed.returncode != 0:
        raise RuntimeError(f"pytest {' '.join(args)} failed:\n{completed.stdout[-2000:]}")
    return parse_summary(completed.stdout)


def measure(*, rounds: int) -> dict[str, Any]:
    """Alternate the two suites, so both see the same machine; compare seconds per check."""
    if not (ROOT / PLAIN_TESTS).exists():
        return {"skipped": f"{PLAIN_TESTS} does not exist"}
    spec_runs, plain_runs = [], []
    for _ in range(rounds):
        spec_runs.append(run_pytest("features", "-p", "no:xdist"))
        plain_runs.append(run_pytest(PLAIN_TESTS, "-p", "no:xdist"))
    spec_checks, plain_checks = spec_runs[0][0], plain_runs[0][0]
    spec_seconds = statistics.median(seconds for _, seconds in spec_runs)
    plain_seconds = statistics.median(seconds for _, seconds in plain_runs)
    per_spec, per_plain = spec_seconds / spec_checks, plain_seconds / plain_checks
    return {
        "spec": {"checks": spec_checks, "seconds": spec_seconds, "ms_per_check": per_spec * 1000},
        "plain": {
            "checks": plain_checks,
            "seconds": plain_seconds,
            "ms_per_check": per_plain * 1000,
        },
        "ratio": ratio(per_spec, per_plain),
        "target": TARGET_RATIO,
    }


def xdist_speedup(*, rounds: int) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    if cores < 2:
        return {"skipped": "one core: nothing to spread the specification over"}
    serial, parallel = [], []
    for _ in range(rounds):
        serial.append(run_pytest("features", "-n", "0")[1])
        parallel.append(run_pytest("features", "-n", str(cores))[1])
    return {
        "workers": cores,
        "serial_seconds": statistics.median(serial),
        "parallel_seconds": statistics.median(parallel),
        "speedup": ratio(statistics.median(serial), statistics.median(parallel)),
    }
