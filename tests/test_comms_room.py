"""The comms room: fan-out in order, and a stalled or departed listener never blocks the rest."""

from __future__ import annotations

import anyio
import pytest

from hero_hq.comms_room import OUTBOX_FRAMES, Room

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def drain(room: Room, member: object) -> list[str]:
    frames = []
    while True:
        try:
            frames.append(member.inbox.receive_nowait())  # type: ignore[attr-defined]
        except anyio.WouldBlock:
            return frames


async def test_every_member_gets_every_frame_in_order() -> None:
    room = Room(max_members=10)
    members = [room.join() for _ in range(3)]
    for text in ("one", "two", "three"):
        room.broadcast(text)
    for member in members:
        assert await drain(room, member) == ["one", "two", "three"]
        room.leave(member)
        member.inbox.close()


async def test_a_stalled_member_is_dropped_and_the_others_carry_on() -> None:
    room = Room(max_members=10)
    stalled, listening = room.join(), room.join()
    for number in range(OUTBOX_FRAMES + 5):
        room.broadcast(str(number))
        await drain(room, listening)  # this one keeps up
    assert stalled.stalled
    assert stalled.cancel_scope.cancel_called
    assert len(room) == 1
    room.broadcast("after")
    assert await drain(room, listening) == ["after"]
    for member in (stalled, listening):
        room.leave(member)
        member.inbox.close()


async def test_leaving_and_closing_empty_the_room() -> None:
    room = Room(max_members=2)
    first, second = room.join(), room.join()
    assert room.full
    room.leave(first)
    assert len(room) == 1
    assert not room.full
    room.close_all()
    assert len(room) == 0
    assert second.cancel_scope.cancel_called
    for member in (first, second):
        member.inbox.close()
