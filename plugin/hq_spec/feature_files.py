"""Collect `.feature` files directly, so `pytest path/to/x.feature` runs just that feature."""

from __future__ import annotations

import types
from pathlib import Path

import pytest


class FeatureModule(pytest.Module):
    """A test module made from one feature file: pytest-bdd binds each of its scenarios."""

    def _getobj(self) -> types.ModuleType:
        module = types.ModuleType(f"feature:{self.path.stem}")
        module.__file__ = str(self.path)
        # scenarios() binds into its caller's namespace, so it is called from code executed in
        # this module's namespace; compiling it "in" the feature file keeps locations meaningful.
        source = f"from pytest_bdd import scenarios\nscenarios({str(self.path)!r})\n"
        exec(compile(source, str(self.path), "exec"), module.__dict__)  # noqa: S102 - our own code
        return module


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> FeatureModule | None:
    if file_path.suffix == ".feature":
        return FeatureModule.from_parent(parent, path=file_path)
    return None
