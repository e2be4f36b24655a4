"""Serving HQ under uvicorn on a free loopback port for the hardening tests."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest

from hq_spec.live_server import ServerProcess

UVICORN = f"{sys.executable} -m uvicorn hero_hq.main:app --host 127.0.0.1 --port {{port}}"
DEV = {"HQ_BADGES": "hq-badge-007", "HQ_SESSION_SECRET": "hardening"}

Serve = Callable[..., AbstractContextManager[ServerProcess]]


@contextmanager
def _serve(extra_env: dict[str, str] | None = None) -> Iterator[ServerProcess]:
    server = ServerProcess(UVICORN, env={**DEV, **(extra_env or {})})
    try:
        server.wait_until_listening()
        yield server
    finally:
        server.stop()
        server.discard_log()


@pytest.fixture
def serve() -> Serve:
    """`with serve({"HQ_ROSTER_MAX": "3"}) as server:` runs a fresh HQ for the block."""
    return _serve
