"""The roster on a shared store: numbering and the per-desk listing cache under overlapping requests."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import anyio
import pytest

from hero_hq.models import CreateHero
from hero_hq.roster import Roster
from hero_hq.store.redis import RedisStore
from steps.support.redis_server import RedisServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def store(running_redis: RedisServer) -> AsyncIterator[RedisStore]:
    redis_store = RedisStore(running_redis.url, f"test-{uuid.uuid4().hex}")
    yield redis_store
    await redis_store.clear()
    await redis_store.close()


def paperwork(n: int) -> CreateHero:
    return CreateHero(name=f"Hero{n}", power="teamwork", wattage=n)


async def test_overlapping_listings_never_repeat_or_lose_a_hero(store: RedisStore) -> None:
    desk, other_desk = Roster(store, 1000), Roster(store, 1000)
    for n in range(1, 31):
        await other_desk.recruit(paperwork(n))
    listings: list[bytes] = []

    async def read() -> None:
        listings.append(await desk.listing_json())

    async with anyio.create_task_group() as warm_up:  # a connection each, so requests overlap
        for _ in range(20):
            warm_up.start_soon(store.length, "roster")
    async with anyio.create_task_group() as tasks:
        for _ in range(20):
            tasks.start_soon(read)
    for listing in listings:
        assert [hero["id"] for hero in json.loads(listing)] == list(range(1, 31))
    await other_desk.recruit(paperwork(31))
    assert [hero["id"] for hero in json.loads(await desk.listing_json())] == list(range(1, 32))


async def test_a_desk_finds_a_hero_another_desk_recruited(store: RedisStore) -> None:
    desk, other_desk = Roster(store, 10), Roster(store, 10)
    filed = await other_desk.recruit(paperwork(7))
    assert await desk.get_json(1) == filed
    assert (await desk.get(1)).name == "Hero7"
