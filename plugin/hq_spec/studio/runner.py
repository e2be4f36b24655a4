"""Running a feature (or one of its scenarios) from the page, in a warm worker process.

Each run gets a scratch project: the project's own `pyproject.toml` and `conftest.py` (its
configuration, read from disk, never from the page) and a copy of `features/` in which the feature
as typed replaces the one on disk. pytest runs there against a freshly built app, as the
specification does, and its Cucumber Messages are read back with the living documentation's model.
"""

from __future__ import annotations

import json
import select
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from hq_spec.report.model import read_run
from hq_spec.report.page_data import run_steps
from hq_spec.report.render import default_masking
from hq_spec.studio.worker import copy_configuration

READY_SECONDS = 60.0
RUN_SECONDS = 90.0
LOG_TAIL_CHARS = 4000


class RunnerError(Exception):
    """The worker could not run the feature at all (not a failing scenario: a broken run)."""


class Runner:
    """One warm worker, started on first use (or by `warm()`), one run at a time."""

    def __init__(self, root: Path, features_dir: Path) -> None:
        self.root = root.resolve()
        self.features_dir = features_dir.resolve()
        self._worker: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        with self._lock:
            self._ensure_worker()

    def close(self) -> None:
        with self._lock:
            if self._worker is not None:
                _stop(self._worker)
                self._worker = None

    def _ensure_worker(self) -> subprocess.Popen[str]:
        if self._worker is not None and self._worker.poll() is None:
            return self._worker
        if self._worker is not None:  # it ended (killed, or crashed): its pipes go with it
            _stop(self._worker)
        worker = subprocess.Popen(  # noqa: S603 - our own module, with our own interpreter
            [sys.executable, "-m", "hq_spec.studio.worker", str(self.root)],
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._worker = worker
        _read_answer(worker, READY_SECONDS)
        return worker

    def run(self, relative: str, text: str, line: int | None) -> dict[str, Any]:
        """Run the feature `relative` (inside features/) as typed; only the scenario at `line`."""
        scratch = Path(tempfile.mkdtemp(prefix="hq-studio-run-"))
        try:
            project = self._scratch_project(scratch, relative, text)
            messages = scratch / "messages.ndjson"
            request = {
                "project": str(project),
                "feature": f"{self.features_dir.name}/{relative}",
                "line": line,
                "messages": str(messages),
            }
            with self._lock:
                worker = self._ensure_worker()
                assert worker.stdin is not None
                try:
                    worker.stdin.write(json.dumps(request) + "\n")
                    worker.stdin.flush()
                    answer = _read_answer(worker, RUN_SECONDS)
                except (RunnerError, OSError):
                    _stop(worker)
                    self._worker = None
                    raise
            log = (project / "pytest.log").read_text(encoding="utf-8", errors="replace")
            if not messages.exists():
                raise RunnerError(
                    "the run ended before any scenario ran:\n" + log[-LOG_TAIL_CHARS:]
                )
            runs = _runs(messages, project / self.features_dir.name, relative)
            return {"exit": answer.get("exit"), "runs": runs, "log": log[-LOG_TAIL_CHARS:]}
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _scratch_project(self, scratch: Path, relative: str, text: str) -> Path:
        project = scratch / "project"
        project.mkdir()
        copy_configuration(self.root, project)
        features = project / self.features_dir.name
        shutil.copytree(self.features_dir, features, ignore=shutil.ignore_patterns(".*"))
        target = features / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return project


def _stop(worker: subprocess.Popen[str]) -> None:
    """Close the worker's pipes (it ends when its input does), and kill it if it lingers."""
    for pipe in (worker.stdin, worker.stdout):
        if pipe is not None:
            pipe.close()
    try:
        worker.wait(timeout=5)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


def _read_answer(worker: subprocess.Popen[str], seconds: float) -> dict[str, Any]:
    stdout: IO[str] | None = worker.stdout
    assert stdout is not None
    ready, _, _ = select.select([stdout], [], [], seconds)
    line = stdout.readline() if ready else ""
    if not line:
        raise RunnerError("the studio's runner stopped answering; it will be restarted")
    answer: dict[str, Any] = json.loads(line)
    return answer


def _runs(messages: Path, features_dir: Path, relative: str) -> list[dict[str, Any]]:
    """Each run of the feature as the living documentation shows it: its steps in the data
    `templates/steps.js` renders (statuses, durations, reasons, evidence masked again)."""
    run = read_run(messages, features_dir)
    masking = default_masking()
    found = []
    for feature, scenario, each in run.runs():
        if not (feature.uri == f"{features_dir.name}/{relative}" or feature.uri.endswith(relative)):
            continue
        found.append(
            {
                "keyword": scenario.keyword,
                "name": each.name,
                "line": scenario.line,
                "example": each.example,
                "status": each.status,
                "steps": run_steps(each, masking),
            }
        )
    return found
