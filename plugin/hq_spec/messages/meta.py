"""The `meta` message: which tools ran the specification, where, and on which git commit."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

import cucumber_messages as cm


def git(rootpath: Path, *args: str) -> str | None:
    """One line of git's answer about the checkout, or None when git or the checkout is absent."""
    executable = shutil.which("git")
    if executable is None:
        return None
    try:
        # Fixed arguments, no shell: nothing here comes from outside the project.
        completed = subprocess.run(  # noqa: S603
            [executable, "-C", str(rootpath), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    answer = completed.stdout.strip()
    return answer if completed.returncode == 0 and answer else None


def ci_name() -> str:
    if os.environ.get("GITHUB_ACTIONS"):
        return "GitHub Actions"
    if os.environ.get("GITLAB_CI"):
        return "GitLab CI"
    if os.environ.get("CI"):
        return "CI"
    return "local"


def ci_url() -> str | None:
    server, repository = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    run = os.environ.get("GITHUB_RUN_ID")
    if server and repository and run:
        return f"{server}/{repository}/actions/runs/{run}"
    return os.environ.get("CI_JOB_URL")


def ci_of(rootpath: Path) -> Any:
    """Where the run happened; the Ci message is the protocol's only place for the git commit."""
    revision = git(rootpath, "rev-parse", "HEAD")
    if revision is None and ci_name() == "local":
        return None
    git_info = None
    if revision is not None:
        branch = git(rootpath, "rev-parse", "--abbrev-ref", "HEAD")
        git_info = cm.Git(
            remote=git(rootpath, "config", "--get", "remote.origin.url") or rootpath.as_uri(),
            revision=revision,
            branch=branch if branch != "HEAD" else None,
            tag=git(rootpath, "describe", "--tags", "--exact-match"),
        )
    return cm.Ci(name=ci_name(), url=ci_url(), git=git_info)


def meta(rootpath: Path) -> Any:
    return cm.Meta(
        protocol_version=version("cucumber-messages"),
        implementation=cm.Product(name="hq-spec (pytest-bdd)", version=version("pytest-bdd")),
        runtime=cm.Product(
            name=platform.python_implementation(), version=platform.python_version()
        ),
        os=cm.Product(name=platform.system(), version=platform.release()),
        cpu=cm.Product(name=platform.machine()),
        ci=ci_of(rootpath),
    )
