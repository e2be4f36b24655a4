"""Settings at the front door: a bad environment stops `hero-hq serve` in one line; production is strict."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx2
import pytest

from hero_hq.serve import main
from tests.hardening.conftest import Serve

SECRET = "a-production-secret-of-at-least-32-bytes"
PRODUCTION = {"HQ_ENV": "production", "HQ_BADGES": "prod-badge", "HQ_SESSION_SECRET": SECRET}


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HQ_")}
    return subprocess.run(
        [sys.executable, "-m", "hero_hq", "serve", "--port", "0"],
        env={**clean, **env}, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("env", "reason"),
    [({"HQ_ENV": "prod"}, "HQ_ENV must be development or production, got 'prod'"),
     ({"HQ_COOKIE_SECURE": "ture"}, "HQ_COOKIE_SECURE must be on or off"),
     ({**PRODUCTION, "HQ_BADGES": "hq-badge-007"}, "HQ_BADGES holds the tutorial's published badge"),
     ({**PRODUCTION, "HQ_SESSION_SECRET": "short"}, "HQ_SESSION_SECRET must be at least 32 bytes"),
     ({k: v for k, v in PRODUCTION.items() if k != "HQ_BADGES"},
      "HQ_ENV=production needs HQ_BADGES: refusing to start"),
     ({**PRODUCTION, "HQ_BADGE": "prod-badge"},
      "HQ_BADGE is not one of HQ's settings (did you mean HQ_BADGES?)")],
)  # fmt: skip
def test_a_bad_environment_stops_hq_at_once_with_a_one_line_reason(
    env: dict[str, str],
    reason: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in [n for n in os.environ if n.startswith("HQ_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve", "--port", "0"]) == 2  # before uvicorn is even started
    stderr = capsys.readouterr().err
    assert stderr.startswith(f"hero-hq: {reason}"), stderr
    assert stderr.count("\n") == 1, stderr  # one line, no traceback


def test_the_console_command_refuses_the_same_way() -> None:
    result = start({"HQ_ENV": "staging"})
    assert result.returncode == 2
    assert result.stderr == ("hero-hq: HQ_ENV must be development or production, got 'staging'\n")


def test_production_sets_secure_on_the_cookie(serve: Serve) -> None:
    with serve(PRODUCTION) as server, httpx2.Client(base_url=server.base_url, timeout=5) as client:
        recruit = {"name": "Volt", "power": "lightning", "wattage": 9001}
        accepted = client.post("/heroes/", json=recruit, headers={"X-HQ-Badge": "prod-badge"})
        assert accepted.status_code == 201
        published = client.post("/heroes/", json=recruit, headers={"X-HQ-Badge": "hq-badge-007"})
        assert published.status_code == 403
        cookie = client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"]
        assert cookie.endswith("; Secure")
