"""The `meta` message: which tools ran the specification, where, and on which git commit."""

from __future__ import annotations

import os
import platform
import re
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


# A run is on CI when one of these says so (each CI service sets its own; most also set CI).
CI_SERVICES = (("GITHUB_ACTIONS", "GitHub Actions"), ("GITLAB_CI", "GitLab CI"), ("CI", "CI"))
# Remotes a browser can take as a URL; scp-like "git@host:path" is rewritten as ssh://.
URL_SCHEMES = ("https://", "http://", "ssh://", "git://")
SCP_LIKE = re.compile(r"^(?P<user>[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>(?!/)[^\s]+)$")


def ci_name() -> str | None:
    for variable, name in CI_SERVICES:
        if os.environ.get(variable, "").lower() not in ("", "0", "false"):
            return name
    return None


def ci_url() -> str | None:
    server, repository = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    run = os.environ.get("GITHUB_RUN_ID")
    if server and repository and run:
        return f"{server}/{repository}/actions/runs/{run}"
    return os.environ.get("CI_JOB_URL")


def url_shaped(remote: str | None) -> str | None:
    """The remote as a URL, or None when it is a local path (which no reader can follow)."""
    if remote is None:
        return None
    if remote.startswith(URL_SCHEMES):
        return remote
    scp = SCP_LIKE.match(remote)
    if scp and "/" not in scp["host"]:
        return f"ssh://{scp['user'] or ''}{scp['host']}/{scp['path']}"
    return None


def ci_of(rootpath: Path) -> Any:
    """Where the run happened: only a detected CI, and its git details only when the remote is a
    URL (Cucumber's report opens it as one). A local run states nothing it cannot stand behind."""
    name = ci_name()
    if name is None:
        return None
    remote = url_shaped(git(rootpath, "config", "--get", "remote.origin.url"))
    revision = git(rootpath, "rev-parse", "HEAD")
    git_info = None
    if remote is not None and revision is not None:
        branch = git(rootpath, "rev-parse", "--abbrev-ref", "HEAD")
        git_info = cm.Git(
            remote=remote,
            revision=revision,
            branch=branch if branch != "HEAD" else None,
            tag=git(rootpath, "describe", "--tags", "--exact-match"),
        )
    return cm.Ci(name=name, url=ci_url(), git=git_info)


def meta(rootpath: Path) -> Any:
    return cm.Meta(
        protocol_version=version("cucumber-messages"),
        implementation=cm.Product(name="hq-spec", version=version("hq-spec")),
        runtime=cm.Product(
            name=platform.python_implementation(), version=platform.python_version()
        ),
        os=cm.Product(name=platform.system(), version=platform.release()),
        cpu=cm.Product(name=platform.machine()),
        ci=ci_of(rootpath),
    )
