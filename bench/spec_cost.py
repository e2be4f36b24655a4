"""The specification's time against the same checks in plain pytest, and its xdist speed-up."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.stats import ratio
from hq_spec import SPEC_ONLY_ARGS

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
    """(tests passed, pytest's own seconds) of one run that must pass.

    Neither suite uses the hardening plugins, so both leave them out, as make spec does.
    """
    command = [sys.executable, "-m", "pytest", "-q", *SPEC_ONLY_ARGS, *args]
    completed = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
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


def wall_seconds(*args: str) -> float:
    """What an author waits for: the whole command, interpreter and worker start-up included."""
    started = time.monotonic()
    run_pytest(*args)
    return time.monotonic() - started


def xdist_speedup(*, rounds: int, live: bool) -> dict[str, Any]:
    """The specification on one process against one xdist worker per core, alternated."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return {"skipped": "one core: nothing to spread the specification over"}
    mode = ("--hq-live",) if live else ()
    serial, parallel = [], []
    for _ in range(rounds):
        serial.append(wall_seconds("features", *mode, "-n", "0"))
        parallel.append(wall_seconds("features", *mode, "-n", str(cores)))
    return {
        "mode": "live" if live else "in-process",
        "workers": cores,
        "serial_seconds": statistics.median(serial),
        "parallel_seconds": statistics.median(parallel),
        "speedup": ratio(statistics.median(serial), statistics.median(parallel)),
    }
