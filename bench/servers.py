"""Serving HQ and the baseline under uvicorn (one worker, loopback) while they are measured."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx2

from hq_spec.live_server import ServerProcess

APPS = {"hq": "hero_hq.main:app", "baseline": "bench.baseline_app:app"}
BADGE = {"X-HQ-Badge": "hq-badge-007"}
# A roster big enough that a minute of POST load never fills it, so 201s are measured, not 409s.
BENCH_ENV = {
    "HQ_ROSTER_MAX": "100000000",
    "HQ_BADGES": "hq-badge-007",
    "HQ_COMMS_MAX_CLIENTS": "5000",
}


def command(app: str) -> str:
    if app == "hq-served":
        # HQ as `hero-hq serve` runs it (its WebSocket protocol and limits, no compression).
        return f"{sys.executable} -m hero_hq serve --port {{port}} --log-level warning"
    return (
        f"{sys.executable} -m uvicorn {APPS[app]} --host 127.0.0.1 --port {{port}} "
        "--log-level warning --no-access-log --ws-max-size 70000"
    )


@contextmanager
def serving(app: str) -> Iterator[str]:
    """A fresh server for `app` ("hq" or "baseline"); yields its base URL."""
    server = ServerProcess(command(app), env=BENCH_ENV)
    try:
        server.wait_until_listening()
        yield server.base_url
    finally:
        server.stop()
        server.discard_log()


def recruit(base_url: str, count: int) -> None:
    """Put `count` heroes on the roster over HTTP."""
    with httpx2.Client(base_url=base_url, timeout=10) as client:
        for number in range(count):
            body = {"name": f"Hero {number}", "power": "benchmarking", "wattage": number}
            client.post("/heroes/", json=body, headers=BADGE).raise_for_status()
