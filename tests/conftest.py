"""Shared fixtures for the tests: a redis-server of the session's own, an event loop of a test's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from steps.support.event_loop import SharedEventLoop
from steps.support.redis_server import RedisServer, RedisServerMissing


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """redis-server on a free loopback port with a temporary directory, stopped afterwards."""
    try:
        server = RedisServer(Path(tmp_path_factory.mktemp("redis")))
    except RedisServerMissing as error:
        pytest.fail(str(error), pytrace=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def running_redis(redis_server: RedisServer) -> RedisServer:
    """The session's redis-server, started again if an earlier test stopped it."""
    if not redis_server.running:
        redis_server.start()
    return redis_server


@pytest.fixture
def loop() -> Iterator[SharedEventLoop]:
    """The loop in-process connections share, of this test's own, closed afterwards."""
    shared = SharedEventLoop()
    yield shared
    shared.close()
