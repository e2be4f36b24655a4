"""The specification's xdist speed-up, in-process and live, by the wall clock."""

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
