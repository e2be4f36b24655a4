"""The studio's warm runner reads what to import from the project's configuration, never runs it."""

from __future__ import annotations

from pathlib import Path

from hq_spec.studio.worker import configured_modules


def test_the_modules_to_warm_come_from_conftest_and_the_ini_options(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        'import sys\nsys.exit("never imported")\npytest_plugins = ["plugin_a", "steps.one"]\n',
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nhq_spec_step_modules = ["steps.one", "steps.two"]\n',
        encoding="utf-8",
    )
    assert configured_modules(tmp_path) == ["plugin_a", "steps.one", "steps.two"]


def test_a_project_without_configuration_names_no_module(tmp_path: Path) -> None:
    assert configured_modules(tmp_path) == []
    (tmp_path / "conftest.py").write_text('pytest_plugins = "only_one"\n', encoding="utf-8")
    assert configured_modules(tmp_path) == ["only_one"]
