"""The specification owns its numbers: steps/ reads nothing from HQ but how to build it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.spec_run import ROOT

# What the in-process connection needs from HQ: its factory. A scenario that needs HQ configured
# otherwise sets HQ_* in the environment, as an operator does.
ALLOWED = {("hero_hq.main", "build_app")}


def hq_imports(path: Path) -> list[tuple[str, str]]:
    """Every (module, name) a step module imports from hero_hq."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hero_hq"):
            found += [(node.module or "", alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "*") for a in node.names if a.name.startswith("hero_hq")]
    return found


def test_steps_import_only_how_to_build_hq() -> None:
    imported = {
        f"{path.relative_to(ROOT)}: {module}.{name}"
        for path in sorted((ROOT / "steps").rglob("*.py"))
        for module, name in hq_imports(path)
        if (module, name) not in ALLOWED
    }
    assert not imported, "steps/ reads these from HQ instead of owning them:\n" + "\n".join(
        sorted(imported)
    )


def test_the_import_scan_sees_a_borrowed_limit(tmp_path: Path) -> None:
    borrowed = tmp_path / "borrowed.py"
    borrowed.write_text("from hero_hq.comms import MAX_FRAME_BYTES\nimport hero_hq.models\n")
    assert hq_imports(borrowed) == [("hero_hq.comms", "MAX_FRAME_BYTES"), ("hero_hq.models", "*")]
