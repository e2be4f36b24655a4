"""The scenario studio as the page meets it: suggestions, checks, and one scenario's run."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from bench.stats import summary, verdict
from hq_spec.studio.app import Studio, build_studio

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
PORT = 8765  # the port the studio believes it serves on: its Host and Origin checks expect it
TOKEN = "bench"  # noqa: S105 - the launch token of a studio that only this process reaches
TARGETS_MS = {"suggest": 50.0, "check": 200.0, "run": 1000.0}
# The feature whose first step is a Scenario Outline's (six Examples rows): the costliest first
# check, did-you-mean's comparisons not yet remembered.
OUTLINE_FEATURE = "paperwork/paperwork.feature"
STEP_KEYWORDS = ("Given ", "When ", "Then ", "And ", "But ")


def _typing_points(text: str) -> list[int]:
    """The step lines of a feature: the places an author asks for suggestions."""
    return [
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip().startswith(STEP_KEYWORDS)
    ]


def _partial(text: str, line: int, fraction: float) -> str:
    """The feature with that step line cut short, as it reads while it is being typed."""
    lines = text.split("\n")
    keyword, _, rest = lines[line - 1].partition(" ")
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
    words = rest.lstrip()
    lines[line - 1] = indent + keyword.strip() + " " + words[: int(len(words) * fraction)]
    return "\n".join(lines)


def _mistyped(text: str) -> str:
    """The feature with a word of its first step's fixed wording misspelt (not a name, a quoted
    value or the keyword, which a step takes as it is), as an author leaves it mid-word."""
    lines = text.split("\n")
    first = next(iter(_typing_points(text)), None)
    if first is not None:
        line = lines[first - 1]
        unquoted = re.sub(r'"[^"]*"', lambda quoted: " " * len(quoted[0]), line)
        *_, word = re.finditer(r"(?<= )[a-z]{3,}\b", unquoted)
        lines[first - 1] = line[: word.start()] + word[0][0] + line[word.start() :]
    return "\n".join(lines)


@contextmanager
def studio_client(*, warm_runner: bool = True) -> Iterator[tuple[TestClient, Studio]]:
    """The studio on HQ's features, and a client that reaches it as its page does."""
    app, studio = build_studio(ROOT, FEATURES, port=PORT, token=TOKEN, warm_runner=warm_runner)
    with TestClient(
        app, base_url=f"http://127.0.0.1:{PORT}", headers={"x-studio-token": TOKEN}
    ) as client:
        yield client, studio


def _timed(client: TestClient, path: str, body: dict[str, Any]) -> tuple[float, Any]:
    """How long the studio took to answer, in ms, and its answer."""
    started = time.perf_counter()
    response = client.post(path, json=body)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response.json()


def _timed_check(client: TestClient, relative: str, text: str, *, problems: bool) -> float:
    """A check's time; it must find problems in a mistyped feature, and none in a clean one."""
    elapsed, answer = _timed(client, "/api/check", {"path": relative, "text": text})
    if bool(answer["problems"]) != problems:
        raise RuntimeError(f"checking {relative} found {answer['problems']}, not {problems}")
    return elapsed


def measure(*, quick: bool = False, runs: int = 5) -> dict[str, Any]:
    """Every step of every feature typed at three points, every feature checked, runs timed."""
    features = sorted(FEATURES.rglob("*.feature"))
    suggest_ms: list[float] = []
    check_ms: list[float] = []
    run_ms: list[float] = []
    with studio_client() as (client, studio):
        for path in features[:2] if quick else features:
            relative = path.relative_to(FEATURES).as_posix()
            text = path.read_text(encoding="utf-8")
            for line in _typing_points(text):
                for fraction in (0.0, 0.5, 1.0):
                    body = {"path": relative, "text": _partial(text, line, fraction), "line": line}
                    suggest_ms.append(_timed(client, "/api/suggest", body)[0])
            # As committed, and with a step mistyped: did-you-mean's search is part of the check.
            typo = _mistyped(text)
            for _ in range(1 if quick else 3):
                check_ms.append(_timed_check(client, relative, text, problems=False))
                check_ms.append(_timed_check(client, relative, typo, problems=True))
        comms = (FEATURES / "comms" / "comms.feature").read_text(encoding="utf-8")
        first = next(n for n, text in enumerate(comms.split("\n"), 1) if "Scenario:" in text)
        body = {"path": "comms/comms.feature", "text": comms, "line": first}
        for _ in range(2 if quick else runs):
            run_ms.append(_timed(client, "/api/run", body)[0])
    # The first run also waits for the runner to warm up, as it does once per launch.
    figures = {"suggest": suggest_ms, "check": check_ms, "run": run_ms[1:] or run_ms}
    results: dict[str, Any] = {}
    for name, samples in figures.items():
        stats = summary(samples)
        results[name] = {
            "median_ms": stats["median"],
            "p99_ms": stats["p99"],
            "count": int(stats["count"]),
            "target_ms": TARGETS_MS[name],
        }
    results["phrases"] = len(studio.vocabulary.definitions)
    results["first_outline_check"] = first_outline_check(runs=2 if quick else runs)
    return results


def _first_check_here() -> dict[str, float]:
    """In a fresh process: open the studio, check the outline feature as committed (as the page
    does when it opens it), then time the first check with its outline step misspelt."""
    text = (FEATURES / OUTLINE_FEATURE).read_text(encoding="utf-8")
    with studio_client(warm_runner=False) as (client, _):
        _timed_check(client, OUTLINE_FEATURE, text, problems=False)
        cpu = time.process_time()  # this process's own work: the other engineers' load aside
        wall = _timed_check(client, OUTLINE_FEATURE, _mistyped(text), problems=True)
        cpu_ms = (time.process_time() - cpu) * 1000
    return {"cpu_ms": cpu_ms, "wall_ms": wall}


def first_outline_check(*, runs: int) -> dict[str, Any]:
    """The first check of the misspelt outline, each in a process of its own (nothing remembered
    from an earlier check): best and median of the process time, and the median wall time."""
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-m", "bench.studio"],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=300,
        )  # fmt: skip
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    cpu = [sample["cpu_ms"] for sample in samples]
    return {
        "best_ms": min(cpu),
        "median_ms": statistics.median(cpu),
        "wall_median_ms": statistics.median(sample["wall_ms"] for sample in samples),
        "count": len(samples),
        "target_ms": TARGETS_MS["check"],
    }


def render(results: dict[str, Any]) -> str:
    """The studio's figures as lines of the benchmark table."""
    names = {
        "suggest": "studio: a suggestion",
        "check": "studio: check a feature",
        "run": "studio: run one scenario",
    }
    lines = [f"\nScenario studio ({results.get('phrases', '?')} phrases in the vocabulary)"]
    for key, title in names.items():
        figure = results[key]
        # A run takes about a second: its median is the promise, its p99 is shown.
        judged = verdict(figure["median_ms" if key == "run" else "p99_ms"] < figure["target_ms"])
        lines.append(
            f"  {title:<28} median {figure['median_ms']:.1f} ms, p99 {figure['p99_ms']:.1f} ms "
            f"({figure['count']} samples)   target < {figure['target_ms']:.0f} ms   {judged}"
        )
    first = results.get("first_outline_check")
    if first is not None:
        lines.append(
            f"  {'studio: first outline check':<28} median {first['median_ms']:.1f} ms, best "
            f"{first['best_ms']:.1f} ms of process time, wall median "
            f"{first['wall_median_ms']:.1f} ms ({first['count']} fresh processes)   "
            f"target < {first['target_ms']:.0f} ms   "
            f"{verdict(first['median_ms'] < first['target_ms'])}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(_first_check_here()))
