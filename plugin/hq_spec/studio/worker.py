"""A warm runner: imports pytest and the step vocabulary once, then forks one pytest per run.

Started by the studio as `python -m hq_spec.studio.worker ROOT`. It reads one request a line on
stdin (`{"project": ..., "feature": ..., "line": ..., "messages": ...}`), runs pytest in a forked
child (a clean copy of the warm process, so no run sees another's state), and answers one line on
stdout (`{"exit": code}`). Everything pytest prints goes to `project/pytest.log`.
"""

from __future__ import annotations

import ast
import gc
import importlib
import itertools
import json
import os
import shutil
import signal
import sys
import tempfile
import tomllib
import traceback
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from hq_spec import SPEC_ONLY_ARGS
from hq_spec.bdd_internals import registered_step_contexts, scenario_template_of

STEP_MODULES_OPTION = "hq_spec_step_modules"  # where the generic plugin reads the step modules
RUN_SECONDS = 60  # a run that takes longer than this is stopped: every step has its own deadlines
# The files that make a folder a project pytest configures like this one.
CONFIGURATION = ("pyproject.toml", "conftest.py", "pytest.ini", "setup.cfg", "tox.ini")


def copy_configuration(root: Path, project: Path) -> None:
    """The project's pytest configuration (and root conftest), copied into a scratch project."""
    for name in CONFIGURATION:
        if (root / name).is_file():
            shutil.copyfile(root / name, project / name)


class OnlyScenarioAt:
    """Keeps only the scenario (all its Examples rows) that starts at this line."""

    def __init__(self, line: int) -> None:
        self.line = line

    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        keep: list[pytest.Item] = []
        drop: list[pytest.Item] = []
        for item in items:
            template = scenario_template_of(item)
            (keep if template is not None and template.line_number == self.line else drop).append(
                item
            )
        items[:] = keep
        config.hook.pytest_deselected(items=drop)


def configured_modules(root: Path) -> list[str]:
    """The modules the project's configuration names: the root conftest's `pytest_plugins`, and
    the step modules of `[tool.pytest.ini_options]` in pyproject.toml (read, not imported)."""
    names: list[str] = []
    conftest = root / "conftest.py"
    if conftest.is_file():
        for node in ast.walk(ast.parse(conftest.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "pytest_plugins"
                for target in node.targets
            ):
                listed: Any = ast.literal_eval(node.value)
                names += [listed] if isinstance(listed, str) else list(listed)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        tool: Any = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
        steps: Any = tool.get("pytest", {}).get("ini_options", {}).get(STEP_MODULES_OPTION, [])
        names += steps.split() if isinstance(steps, str) else list(steps)
    return list(dict.fromkeys(names))


def warm_up(root: Path) -> list[str]:
    """Import what every run needs: installed pytest plugins, the project's plugins and steps.

    Returns the installed plugins' modules, which each run names itself (`-p module`) instead of
    having pytest search every installed distribution for them again.
    """
    sys.path.insert(0, str(root))
    disabled = {name for flag, name in itertools.pairwise(SPEC_ONLY_ARGS) if flag == "-p"}
    installed = []
    for entry_point in metadata.entry_points(group="pytest11"):
        if f"no:{entry_point.name}" not in disabled:
            entry_point.load()
            installed.append(entry_point.module)
    for name in configured_modules(root):
        importlib.import_module(name)
    # Each phrase's regular expression is compiled on its first use: once here, not in every run.
    for context in registered_step_contexts():
        context.parser.is_matching("")
    return installed


def pytest_args(target: Path, plugins_installed: list[str], messages: Path) -> list[str]:
    return [
        str(target),
        *SPEC_ONLY_ARGS,
        *(arg for module in plugins_installed for arg in ("-p", module)),
        "-p", "no:cacheprovider",
        "-q",
        # The warm process imported the plugins before pytest started, so pytest cannot rewrite
        # their asserts and says so; the steps state their checks in words anyway.
        "-W", "ignore::pytest.PytestAssertRewriteWarning",
        f"--cucumber-messages={messages}",
    ]  # fmt: skip


def rehearse(root: Path, plugins_installed: list[str]) -> None:
    """One pytest session over no scenario, in the warm process: what pytest and the plugins
    import only once a session starts is imported here once, not in every run."""
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    saved_path, saved_cwd, saved_stdout = list(sys.path), os.getcwd(), os.dup(1)
    with tempfile.TemporaryDirectory(prefix="hq-studio-warm-") as folder:
        project = Path(folder)
        copy_configuration(root, project)
        (project / "features").mkdir()
        silent = os.open(os.devnull, os.O_WRONLY)
        try:
            os.chdir(project)
            sys.stdout.flush()
            os.dup2(silent, 1)  # stdout is the studio's line to this worker: keep it clean
            pytest.main(pytest_args(project / "features", plugins_installed, project / "m"))
        finally:
            sys.stdout.flush()
            os.dup2(saved_stdout, 1)
            os.close(silent)
            os.close(saved_stdout)
            os.chdir(saved_cwd)
            sys.path[:] = saved_path
            sys.modules.pop("conftest", None)  # each run imports its own project's conftest


def run_in_child(request: dict[str, Any], plugins_installed: list[str]) -> int:
    """Run pytest in a forked child; its exit code (or 124 when it ran too long)."""
    project = Path(request["project"])
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child, measured by its outcome
        code = 3
        signal.alarm(RUN_SECONDS + 5)  # the child ends itself even if its parent is gone
        try:
            os.chdir(project)
            log = os.open(project / "pytest.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # named below, found once
            plugins: list[Any] = []
            if request.get("line"):
                plugins.append(OnlyScenarioAt(int(request["line"])))
            args = pytest_args(
                project / request["feature"], plugins_installed, Path(request["messages"])
            )
            code = int(pytest.main(args, plugins=plugins))
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    signal.signal(signal.SIGALRM, lambda *_: os.kill(child, signal.SIGKILL))
    signal.alarm(RUN_SECONDS)
    _, status = os.waitpid(child, 0)
    signal.alarm(0)
    if os.WIFSIGNALED(status):
        return 124
    return os.WEXITSTATUS(status)


def main(argv: list[str]) -> int:
    root = Path(argv[0]).resolve()
    os.chdir(root)
    plugins_installed = warm_up(root)
    rehearse(root, plugins_installed)
    # What the warm process holds never changes: frozen, it is not traversed again by the
    # collections pytest makes in every child (a third of a second otherwise).
    gc.collect()
    gc.freeze()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        print(json.dumps({"exit": run_in_child(request, plugins_installed)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
