"""Real specification runs in a subprocess, and a scratch project with deliberate failures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from hq_spec import SPEC_ONLY_ARGS

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("guard", "roster", "comms")

TROUBLE = '''@beyond-tutorial
Feature: Things that go wrong
  Scenarios that fail on purpose, so the report shows every status.

  Scenario: A failing expectation
    Given Volt has joined the roster
    Then HQ files Volt as hero number 2

  Scenario: An undefined step
    Given Volt has joined the roster
    When Volt does a backflip

  Scenario: A note that no step reads
    Given Volt has joined the roster
    And the quartermaster notes:
      """
      Volt is our fastest hero.
      """

  Scenario: The feed says something else
    When Volt tunes in to the status feed
    Then Volt hears these reports, in order:
      | kind   | report                |
      | status | all quiet on sector 1 |
      | status | all is well           |

  Scenario Outline: Rows of mixed fortune
    Given Volt has joined the roster
    Then HQ files Volt as hero number <n>

    Examples:
      | n |
      | 1 |
      | 3 |
'''


def run_features(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`pytest features` in one process, as make spec runs it, with these extra arguments."""
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "pytest", "features", "-p", "no:xdist", *SPEC_ONLY_ARGS, *args],
        cwd=cwd, env={**os.environ, **(env or {})},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def make_stream(folder: Path) -> tuple[Path, Path]:
    """Run the scratch specification; returns (messages file, its features folder)."""
    project = folder / "project"
    features = project / "features"
    features.mkdir(parents=True)
    for name in FOLDERS:
        shutil.copytree(ROOT / "features" / name, features / name)
    (features / "trouble").mkdir()
    (features / "trouble" / "trouble.feature").write_text(TROUBLE, encoding="utf-8")
    shutil.copy(ROOT / "features" / "TAGS.md", features / "TAGS.md")
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    (project / "steps").symlink_to(ROOT / "steps")
    messages = folder / "messages.ndjson"
    completed = run_features("-q", f"--cucumber-messages={messages}", cwd=project)
    if completed.returncode != 1 or not messages.exists():
        raise RuntimeError(f"the scratch run did not fail as planned:\n{completed.stdout[-3000:]}")
    return messages, features
