"""The wheel works: built from the project, installed in a fresh venv, it serves /docs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import httpx2

from hq_spec.live_server import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
STEP_SECONDS = 60


def run(*command: str | Path, cwd: Path) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [str(part) for part in command], cwd=cwd, check=True, capture_output=True,
        timeout=STEP_SECONDS,
    )  # fmt: skip


def build_wheel(work: Path) -> Path:
    """Build from a copy of what the wheel is made of, so the work tree gains no build/."""
    source = work / "source"
    shutil.copytree(
        ROOT / "hero_hq", source / "hero_hq", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    # No build isolation: the project's own setuptools builds it, quickly and offline.
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
        "--wheel-dir", work / "dist", source, cwd=work)  # fmt: skip
    [wheel] = (work / "dist").glob("hero_hq-*.whl")
    return wheel


def fresh_venv(work: Path, wheel: Path) -> Path:
    """A new venv holding only the wheel; HQ's dependencies are lent by the project's venv."""
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    site_packages = subprocess.run(  # noqa: S603 - the venv just made
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True, timeout=STEP_SECONDS,
    ).stdout.strip()  # fmt: skip
    # A plain path line: the project's packages are found, its editable hero_hq is not.
    lent = sysconfig.get_path("purelib")
    (Path(site_packages) / "lent-dependencies.pth").write_text(lent + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet",
        wheel, cwd=work)  # fmt: skip
    return venv


def test_the_installed_wheel_serves_its_api_page(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    venv = fresh_venv(tmp_path, wheel)
    where = subprocess.run(  # noqa: S603 - the venv just made
        [venv / "bin" / "python", "-c", "import hero_hq.serve; print(hero_hq.serve.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True, timeout=STEP_SECONDS,
    ).stdout  # fmt: skip
    assert where.startswith(str(venv)), f"hero_hq came from {where}, not the wheel"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HQ_")}
    # A console script puts its own directory first on sys.path, never the work tree.
    server = ServerProcess(
        f"{venv}/bin/hero-hq serve --port {{port}} --log-level warning", env=clean
    )
    try:
        server.wait_until_listening()
        page = httpx2.get(server.base_url + "/docs", timeout=10)
        assert page.status_code == 200, page.text[:500]
        assert page.headers["content-type"].startswith("text/html")
        assert "Recruit a hero" in page.text
    finally:
        server.stop()
        server.discard_log()
