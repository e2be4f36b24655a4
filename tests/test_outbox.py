"""A listener's outbox: bounded, in order, and honest about either end having gone."""

from __future__ import annotations

import anyio
import pytest

from hero_hq.outbox import create_outbox


def test_a_full_outbox_refuses_more_without_waiting() -> None:
    sender, _receiver = create_outbox(2)
    sender.send_nowait("one")
    sender.send_nowait("two")
    with pytest.raises(anyio.WouldBlock):
        sender.send_nowait("three")
    assert sender.statistics().current_buffer_used == 2


def test_frames_arrive_in_order_then_the_end_once_the_room_closes() -> None:
    async def main() -> list[str]:
        sender, receiver = create_outbox(4)
        for frame in ("one", "two", "three"):
            sender.send_nowait(frame)
        sender.close()
        with pytest.raises(anyio.ClosedResourceError):
            sender.send_nowait("four")
        return [frame async for frame in receiver]

    assert anyio.run(main) == ["one", "two", "three"]


def test_a_listener_that_has_gone_breaks_the_rooms_sends() -> None:
    sender, receiver = create_outbox(4)
    sender.send_nowait("one")
    receiver.close()
    with pytest.raises(anyio.BrokenResourceError):
        sender.send_nowait("two")
    with pytest.raises(anyio.ClosedResourceError):
        receiver.receive_nowait()


def test_a_waiting_listener_wakes_for_the_next_frame() -> None:
    async def main() -> str:
        sender, receiver = create_outbox(1)
        async with anyio.create_task_group() as tasks:
            heard: list[str] = []

            async def listen() -> None:
                heard.append(await receiver.receive())

            tasks.start_soon(listen)
            await anyio.wait_all_tasks_blocked()
            sender.send_nowait("assemble")
        return heard[0]

    assert anyio.run(main) == "assemble"


def test_send_waits_while_full_and_goes_through_once_there_is_room() -> None:
    async def main() -> list[str]:
        sender, receiver = create_outbox(1)
        sender.send_nowait("one")
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(sender.send, "two")
            await anyio.wait_all_tasks_blocked()
            assert sender.statistics().current_buffer_used == 1  # "two" is still waiting
            first = receiver.receive_nowait()
        return [first, receiver.receive_nowait()]

    assert anyio.run(main) == ["one", "two"]


def test_a_sender_waiting_on_a_full_outbox_hears_when_the_listener_leaves() -> None:
    async def main() -> list[str]:
        sender, receiver = create_outbox(1)
        sender.send_nowait("one")
        outcome: list[str] = []

        async def send_more() -> None:
            try:
                await sender.send("two")
                outcome.append("sent")
            except anyio.BrokenResourceError:
                outcome.append("broken")

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(send_more)
            await anyio.wait_all_tasks_blocked()
            receiver.close()
        return outcome

    assert anyio.run(main) == ["broken"]
