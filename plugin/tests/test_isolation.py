"""The plugin's tests run with Hero HQ refused: proof that the plugin knows nothing of it."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["hero_hq", "hero_hq.main", "steps", "steps.roster"])
def test_hero_hq_cannot_be_imported_here(module: str) -> None:
    with pytest.raises(ModuleNotFoundError, match="refused"):
        importlib.import_module(module)


def test_hero_hq_cannot_be_imported_in_a_process_these_tests_start() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import hero_hq"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "hero_hq is refused" in result.stderr


def test_the_whole_plugin_imports_without_hero_hq() -> None:
    for part in ("plugin", "engine", "cli", "check", "glossary", "authoring_plugin"):
        importlib.import_module(f"hq_spec.{part}")
