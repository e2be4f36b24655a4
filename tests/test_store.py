"""The store contract, checked against both implementations: in memory and in a real Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import anyio
import pytest

from hero_hq.store import MemoryStore, Store, StoreUnavailable
from hero_hq.store.redis import RedisStore
from steps.support.redis_server import RedisServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    server: RedisServer = request.getfixturevalue("running_redis")
    redis_store = RedisStore(server.url, f"test-{uuid.uuid4().hex}")
    yield redis_store
    await redis_store.clear()
    await redis_store.close()


async def test_a_full_list_refuses_the_next_item(store: Store) -> None:
    assert [await store.append_within("roster", b"x", 2) for _ in range(3)] == [1, 2, None]
    assert await store.items("roster") == [b"x", b"x"]


async def test_concurrent_appends_get_distinct_consecutive_positions(store: Store) -> None:
    positions: list[int | None] = []

    async def append(n: int) -> None:
        positions.append(await store.append_within("roster", str(n).encode(), 1000))

    async with anyio.create_task_group() as tasks:
        for n in range(50):
            tasks.start_soon(append, n)
    assert sorted(p for p in positions if p is not None) == list(range(1, 51))
    for position in positions:
        assert position is not None
        assert await store.item("roster", position) is not None
    assert await store.length("roster") == 50


async def test_items_are_found_by_position_and_read_from_an_index(store: Store) -> None:
    for name in (b"volt", b"tide", b"gale"):
        await store.append_within("roster", name, 10)
    assert await store.item("roster", 0) is None
    assert await store.item("roster", 4) is None
    assert await store.item("roster", 2) == b"tide"
    assert await store.items("roster", 1) == [b"tide", b"gale"]
    assert await store.items("nobody") == []
    assert await store.length("nobody") == 0


async def test_a_capped_list_keeps_the_newest_in_order(store: Store) -> None:
    for n in range(5):
        await store.append_capped("log", str(n).encode(), 3)
    assert await store.items("log") == [b"2", b"3", b"4"]


async def test_records_are_kept_touched_and_dropped(store: Store) -> None:
    assert await store.touch_record("sessions", "nope", idle_seconds=60) is None
    await store.put_record("sessions", "a", b"volt", idle_seconds=60, max_records=10)
    assert await store.touch_record("sessions", "a", idle_seconds=60) == b"volt"
    await store.drop_record("sessions", "a")
    assert await store.touch_record("sessions", "a", idle_seconds=60) is None
    assert await store.count_records("sessions") == 0


async def test_past_the_cap_the_least_recently_used_record_goes(store: Store) -> None:
    for record_id in ("a", "b", "c"):
        await store.put_record("sessions", record_id, b"x", idle_seconds=60, max_records=3)
        await anyio.sleep(0.002)  # Redis orders by its millisecond clock
    assert await store.touch_record("sessions", "a", idle_seconds=60) == b"x"
    await anyio.sleep(0.002)
    await store.put_record("sessions", "d", b"x", idle_seconds=60, max_records=3)
    assert await store.touch_record("sessions", "b", idle_seconds=60) is None
    assert await store.count_records("sessions") == 3


async def test_an_idle_record_expires_and_a_used_one_lives_on() -> None:
    now = [0.0]
    store = MemoryStore(clock=lambda: now[0])
    await store.put_record("sessions", "used", b"x", idle_seconds=10, max_records=10)
    await store.put_record("sessions", "idle", b"x", idle_seconds=10, max_records=10)
    now[0] = 8
    assert await store.touch_record("sessions", "used", idle_seconds=10) == b"x"
    now[0] = 16
    assert await store.touch_record("sessions", "idle", idle_seconds=10) is None
    assert await store.touch_record("sessions", "used", idle_seconds=10) == b"x"


async def test_redis_forgets_an_idle_record_by_its_own_clock(running_redis: RedisServer) -> None:
    store = RedisStore(running_redis.url, f"test-{uuid.uuid4().hex}")
    try:
        await store.put_record("sessions", "idle", b"x", idle_seconds=0.2, max_records=10)
        await store.put_record("sessions", "used", b"x", idle_seconds=0.2, max_records=10)
        for _ in range(3):
            await anyio.sleep(0.1)
            assert await store.touch_record("sessions", "used", idle_seconds=0.2) == b"x"
        assert await store.touch_record("sessions", "idle", idle_seconds=0.2) is None
        assert await store.count_records("sessions") == 1
    finally:
        await store.clear()
        await store.close()


async def test_leases_are_bounded_and_a_dropped_lease_frees_a_place(store: Store) -> None:
    assert await store.take_lease("comms", "a", limit=2, seconds=30)
    assert await store.take_lease("comms", "b", limit=2, seconds=30)
    assert not await store.take_lease("comms", "c", limit=2, seconds=30)
    await store.drop_lease("comms", "a")
    assert await store.take_lease("comms", "c", limit=2, seconds=30)


async def test_a_lapsed_lease_frees_its_place_unless_renewed(running_redis: RedisServer) -> None:
    store = RedisStore(running_redis.url, f"test-{uuid.uuid4().hex}")
    try:
        assert await store.take_lease("comms", "crashed desk", limit=2, seconds=0.2)
        assert await store.take_lease("comms", "live desk", limit=2, seconds=0.2)
        await anyio.sleep(0.1)
        await store.renew_leases("comms", ["live desk"], seconds=30)
        await anyio.sleep(0.15)
        assert await store.take_lease("comms", "newcomer", limit=2, seconds=30)
        assert not await store.take_lease("comms", "one too many", limit=2, seconds=30)
    finally:
        await store.clear()
        await store.close()


async def test_every_relay_hears_every_message_once_in_order(store: Store) -> None:
    heard: dict[int, list[str]] = {0: [], 1: []}
    ready = [anyio.Event(), anyio.Event()]
    async with anyio.create_task_group() as tasks:
        for n in (0, 1):
            tasks.start_soon(store.relay, "comms", heard[n].append, ready[n].set)
        with anyio.fail_after(5):
            for event in ready:
                await event.wait()
            for n in range(20):
                await store.publish("comms", f"message {n}")
            while any(len(messages) < 20 for messages in heard.values()):
                await anyio.sleep(0.01)
        tasks.cancel_scope.cancel()
    expected = [f"message {n}" for n in range(20)]
    assert heard == {0: expected, 1: expected}


async def test_namespaces_keep_stores_apart_and_clear_leaves_nothing(
    running_redis: RedisServer,
) -> None:
    one = RedisStore(running_redis.url, f"test-{uuid.uuid4().hex}")
    two = RedisStore(running_redis.url, f"test-{uuid.uuid4().hex}")
    try:
        await one.append_within("roster", b"volt", 10)
        await one.put_record("sessions", "a", b"x", idle_seconds=60, max_records=10)
        assert await two.items("roster") == []
        await one.clear()
        assert await one.items("roster") == []
        assert await one.touch_record("sessions", "a", idle_seconds=60) is None
    finally:
        await one.close()
        await two.close()


async def test_an_unreachable_redis_is_reported_and_refuses_quickly() -> None:
    from hq_spec.live_server import free_port

    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", "nobody")
    try:
        assert not await store.reachable()
        with anyio.fail_after(5), pytest.raises(StoreUnavailable, match="Redis did not answer"):
            await store.append_within("roster", b"x", 10)
        with anyio.fail_after(5), pytest.raises(StoreUnavailable):
            await store.relay("comms", print, lambda: None)
    finally:
        await store.close()


async def test_the_memory_store_is_always_reachable() -> None:
    assert await MemoryStore().reachable()


async def test_a_relay_that_loses_redis_says_so_and_a_new_one_works_after_restart(
    running_redis: RedisServer,
) -> None:
    store = RedisStore(running_redis.url, f"test-{uuid.uuid4().hex}")
    ready = anyio.Event()
    try:
        with anyio.fail_after(10):
            async with anyio.create_task_group() as tasks:

                async def relay_until_lost() -> None:
                    with pytest.raises(StoreUnavailable):
                        await store.relay("comms", print, ready.set)

                tasks.start_soon(relay_until_lost)
                await ready.wait()
                running_redis.stop(kill=True)
            running_redis.start()
            assert await store.reachable()
            await store.append_within("roster", b"after", 10)
            assert await store.items("roster") == [b"after"]
    finally:
        await store.clear()
        await store.close()


async def test_the_first_claim_wins_for_everyone(store: Store) -> None:
    assert await store.claim("secret", b"first") == b"first"
    assert await store.claim("secret", b"second") == b"first"


async def test_of_racing_takers_exactly_one_gets_the_record(store: Store) -> None:
    await store.put_record("sessions", "pass", b"volt", idle_seconds=60, max_records=10)
    taken: list[bytes | None] = []

    async def take() -> None:
        taken.append(await store.take_record("sessions", "pass", idle_seconds=60))

    async with anyio.create_task_group() as tasks:
        for _ in range(10):
            tasks.start_soon(take)
    assert sorted(taken, key=bool) == [None] * 9 + [b"volt"]
    assert await store.touch_record("sessions", "pass", idle_seconds=60) is None


async def test_a_clients_tokens_run_out_and_others_keep_theirs(store: Store) -> None:
    spend = [
        await store.spend_token("rates:logins", "10.0.0.1", per_window=3, window_seconds=60)
        for _ in range(4)
    ]
    assert spend[:3] == [0.0, 0.0, 0.0]
    assert 19.0 < spend[3] <= 20.0  # one token back every 20 s
    assert await store.spend_token("rates:logins", "10.0.0.2", per_window=3, window_seconds=60) == 0
