"""The session store (rotation, revocation, idle expiry, the cap) and the cookie signer."""

from __future__ import annotations

import re

import pytest

from hero_hq.sessions import SessionSigner, SessionStore
from hero_hq.store import MemoryStore


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def store(clock: Clock, *, idle: float = 60, cap: int = 100) -> SessionStore:
    return SessionStore(MemoryStore(clock=clock), idle_seconds=idle, max_sessions=cap)


@pytest.mark.anyio
async def test_ids_are_unguessable_url_safe_tokens() -> None:
    sessions = store(Clock())
    ids = {await sessions.create({"hero_id": 1}) for _ in range(200)}
    assert len(ids) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", session_id) for session_id in ids)


@pytest.mark.anyio
async def test_rotation_ends_the_old_session() -> None:
    sessions = store(Clock())
    old = await sessions.create({"hero_id": 1})
    new = await sessions.rotate(old, {"hero_id": 2})
    assert new != old
    assert await sessions.get(old) is None
    assert await sessions.get(new) == {"hero_id": 2}


@pytest.mark.anyio
async def test_revocation_is_immediate() -> None:
    sessions = store(Clock())
    session_id = await sessions.create({"hero_id": 1})
    await sessions.delete(session_id)
    assert await sessions.get(session_id) is None
    await sessions.delete(session_id)  # deleting twice is harmless


@pytest.mark.anyio
async def test_idle_sessions_expire_but_used_ones_live_on() -> None:
    clock = Clock()
    sessions = store(clock, idle=60)
    busy, idle = await sessions.create({"hero_id": 1}), await sessions.create({"hero_id": 2})
    for _ in range(3):
        clock.now += 40
        assert await sessions.get(busy) == {"hero_id": 1}
    assert await sessions.get(idle) is None


@pytest.mark.anyio
async def test_expired_sessions_are_swept_on_the_next_login() -> None:
    clock = Clock()
    sessions = store(clock, idle=60)
    for hero in range(10):
        await sessions.create({"hero_id": hero})
    clock.now += 61
    await sessions.create({"hero_id": 99})
    assert await sessions.count() == 1


@pytest.mark.anyio
async def test_past_the_cap_the_least_recently_used_is_evicted() -> None:
    clock = Clock()
    sessions = store(clock, cap=3)
    first, second, third = [await sessions.create({"hero_id": n}) for n in range(3)]
    clock.now += 1
    assert await sessions.get(first) is not None  # first is now the most recently used
    fourth = await sessions.create({"hero_id": 4})
    assert await sessions.count() == 3
    assert await sessions.get(second) is None
    for kept in (first, third, fourth):
        assert await sessions.get(kept) is not None


def test_signing_round_trips_and_refuses_tampering() -> None:
    signer = SessionSigner(b"secret")
    value = signer.sign("abc")
    session_id, dot, signature = value.rpartition(".")
    assert (session_id, dot, len(signature)) == ("abc", ".", 64)
    assert signer.unsign(value) == "abc"
    assert signer.unsign("abc") is None
    assert signer.unsign(".deadbeef") is None
    assert signer.unsign(value[:-1] + ("0" if value[-1] != "0" else "1")) is None
    assert signer.unsign("abd." + signature) is None
    assert SessionSigner(b"another secret").unsign(value) is None


def test_ids_containing_dots_are_split_at_the_last_dot() -> None:
    signer = SessionSigner(b"secret")
    assert signer.unsign(signer.sign("a.b")) == "a.b"
