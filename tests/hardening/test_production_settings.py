"""Production settings: HQ refuses to start on dev defaults, and marks its cookie Secure."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx2

from tests.hardening.conftest import Serve

PRODUCTION = {"HQ_ENV": "production", "HQ_BADGES": "prod-badge", "HQ_SESSION_SECRET": "prod-secret"}


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HQ_")}
    return subprocess.run(
        [sys.executable, "-m", "hero_hq", "serve", "--port", "0"],
        env={**clean, **env}, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


def test_production_refuses_to_start_without_its_secrets() -> None:
    for missing in ("HQ_BADGES", "HQ_SESSION_SECRET"):
        env = {k: v for k, v in PRODUCTION.items() if k != missing}
        result = start(env)
        assert result.returncode != 0
        assert f"HQ_ENV=production needs {missing}: refusing to start" in result.stderr


def test_production_sets_secure_on_the_cookie(serve: Serve) -> None:
    with serve(PRODUCTION) as server, httpx2.Client(base_url=server.base_url, timeout=5) as client:
        recruit = {"name": "Volt", "power": "lightning", "wattage": 9001}
        assert (
            client.post("/heroes/", json=recruit, headers={"X-HQ-Badge": "prod-badge"}).status_code
            == 201
        )
        assert (
            client.post(
                "/heroes/", json=recruit, headers={"X-HQ-Badge": "hq-badge-007"}
            ).status_code
            == 403
        )
        cookie = client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"]
        assert cookie.endswith("; Secure")
