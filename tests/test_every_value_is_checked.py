"""Every value a Then step takes is compared with what HQ did: change it, and the scenario fails."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from tests.python_shapes import python_in
from tests.spec_run import ROOT, run_features
from tests.value_mutations import Mutation, mutations


def scratch_project(folder: Path, changed: list[Mutation]) -> Path:
    """A project whose features are the changed scenarios, one feature file each."""
    project = folder / "project"
    features = project / "features"
    features.mkdir(parents=True)
    for number, mutation in enumerate(changed, start=1):
        (features / f"m{number:04d}.feature").write_text(mutation.feature(number), encoding="utf-8")
    shutil.copy(ROOT / "features" / "TAGS.md", features / "TAGS.md")
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    (project / "steps").symlink_to(ROOT / "steps")
    return project


def verdicts(report: Path) -> dict[int, str | None]:
    """Mutation number -> its failure message (None if the scenario passed)."""
    found: dict[int, str | None] = {}
    for case in ElementTree.parse(report).iter("testcase"):  # noqa: S314 - our own run wrote it
        number = int(re.findall(r"\bm(\d+)\b", case.get("classname", ""))[-1])
        failure = case.find("failure")
        found[number] = None if failure is None else (failure.text or failure.get("message", ""))
    return found


def test_the_value_mutations_cover_every_then_step_with_a_value() -> None:
    changed = list(mutations(ROOT / "features", ROOT))
    kinds = {m.what.split(":")[0] for m in changed}
    # Names, numbers, quoted text, listed words, chosen wordings and table cells all change.
    assert {
        "hero",
        "actor",
        "number",
        "names",
        "texts",
        "complaint",
        "size",
        "row 1, column 1",
    } <= {kind.split(" ->")[0] for kind in kinds}, sorted(kinds)


def test_changing_any_value_of_a_then_step_fails_its_scenario(tmp_path: Path) -> None:
    changed = list(mutations(ROOT / "features", ROOT))
    project = scratch_project(tmp_path, changed)
    report = tmp_path / "report.xml"
    completed = run_features("-q", f"--junitxml={report}", "-o", "junit_family=xunit1", cwd=project)
    assert report.exists(), completed.stdout[-3000:] + completed.stderr[-3000:]
    found = verdicts(report)
    assert len(found) == len(changed), completed.stdout[-3000:]
    unnoticed, elsewhere, pythonic = [], [], []
    for number, mutation in enumerate(changed, start=1):
        message = found[number]
        where = f"{mutation.scenario.uri}:{mutation.scenario.line} Then {mutation.step.text} ({mutation.what})"
        if message is None:
            unnoticed.append(where)
        elif f"Step failed: Then {mutation.step.text}" not in message or "Expected:" not in message:
            elsewhere.append(f"{where}\n{message}")
        elif python_in(message):
            pythonic.append(f"{where}\n{message}")
    assert not unnoticed, "changed values nobody checks:\n" + "\n".join(unnoticed)
    assert not elsewhere, "failed, but not as a mismatch at the changed step:\n\n" + "\n\n".join(
        elsewhere
    )
    assert not pythonic, "failure messages in Python:\n\n" + "\n\n".join(pythonic)
