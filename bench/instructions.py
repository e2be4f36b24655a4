"""The generated specification beside plain pytest in instructions counted by valgrind, not seconds.

This shared machine's speed drifts by a third within minutes, so the time ratio of two runs swings
from round to round. The number of instructions a run executes does not drift with it: counted
under valgrind with hashing seeded, the same two runs give nearly the same ratio on any day, which
tells a real change in the specification's cost from the machine's mood. It is a companion to the
time ratio, not a stand-in: instructions leave out what the system does for a run (its writes, for
one) and how well the processor's caches serve it. Each side is counted at two sizes and the
difference divided by the scenarios added, so what every run pays once (Python and pytest
starting, the collected tree's fixed part) drops out and what remains is one more scenario's cost.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import scale

# Two sizes far enough apart that one scenario's cost stands out from counting noise, small
# enough that four runs under valgrind (about fifty times slower) take a few minutes.
SIZES = (200, 400)
COLLECTED = re.compile(r"Collected : (\d+)")


class CountFailed(RuntimeError):
    """A counted run did not pass, or valgrind wrote no count."""


def available() -> bool:
    return shutil.which("valgrind") is not None


def parse_count(report: str) -> int:
    """The instructions callgrind counted, from what it printed at the end of the run."""
    match = COLLECTED.search(report)
    if match is None:
        raise CountFailed(f"valgrind printed no instruction count:\n{report[-1500:]}")
    return int(match.group(1))


def counting_environment() -> dict[str, str]:
    """The reruns' environment, string hashing seeded: sets and dicts laid out alike every run."""
    return {**scale.rerun_environment(), "PYTHONHASHSEED": "0"}


def count(command: list[str], folder: Path) -> int:
    """The instructions `command` executes from start to end (it must succeed)."""
    completed = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder / 'callgrind.out'}",
         *command],
        cwd=scale.ROOT, env=counting_environment(), capture_output=True, text=True,
        timeout=3600, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        said = f"{completed.stdout[-2000:]}\n{completed.stderr[-1500:]}"
        raise CountFailed(f"{' '.join(command)} failed:\n{said}")
    return parse_count(completed.stderr)


def per_scenario(counts: dict[int, int]) -> float:
    """One more scenario's instructions: the difference between the largest and smallest run."""
    small, large = min(counts), max(counts)
    return (counts[large] - counts[small]) / (large - small)


def _counted(kind: str, scenarios: int) -> int:
    with tempfile.TemporaryDirectory(prefix="hq-bench-") as name:
        folder = Path(name)
        if kind == "spec":
            target = scale.write_feature(folder, scenarios)
            extra = scale.spec_reporters(folder / "messages.ndjson")
        else:
            target, extra = scale.write_plain(folder, scenarios), list(scale.PLAIN_ARGS)
        command = scale.pytest_command(target, *extra)
        # Counted as a rerun: the feature's parse and the plain module's bytecode are cached.
        subprocess.run(
            command, cwd=scale.ROOT, env=counting_environment(), capture_output=True,
            timeout=1800, check=False,
        )  # fmt: skip
        return count(command, folder)


def spec_beside_plain(sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    """Instructions per scenario, specification and plain functions, and their ratio."""
    if not available():
        return {"skipped": "valgrind is not installed"}
    runs = [(kind, scenarios) for kind in ("spec", "plain") for scenarios in sizes]
    with ThreadPoolExecutor(max_workers=2) as pool:  # one valgrind per core
        counted = list(pool.map(lambda run: _counted(*run), runs))
    by_run = dict(zip(runs, counted, strict=True))
    spec = per_scenario({n: by_run[("spec", n)] for n in sizes})
    plain = per_scenario({n: by_run[("plain", n)] for n in sizes})
    return {
        "sizes": list(sizes),
        "spec_per_scenario": spec,
        "plain_per_scenario": plain,
        "ratio": spec / plain,
    }
