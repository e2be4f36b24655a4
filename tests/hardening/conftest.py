"""Serving HQ through its front door (`hero-hq serve`) on a free loopback port for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.hardening.server import HQServer

Serve = Callable[..., HQServer]


@pytest.fixture
def serve() -> Serve:
    """`with serve({"HQ_ROSTER_MAX": "3"}) as server:` runs a fresh HQ for the block."""
    return HQServer
