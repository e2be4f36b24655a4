"""A listener's bounded outbox of comms frames: anyio's memory-stream interface, at asyncio's cost.

The comms room hands every broadcast to each listener's outbox, and each listener's delivery
task wakes to send it. With anyio's memory object streams that hand-off cost 80-130 ms for
1,000 listeners on this project's benchmark machine (each receive checkpoints and builds an
Event); on plain asyncio futures it costs 3-20 ms. HQ is served on asyncio (uvicorn), so the
outbox keeps the streams' interface and errors (WouldBlock, ClosedResourceError,
BrokenResourceError, EndOfStream) and waits on asyncio futures.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from types import TracebackType

import anyio


@dataclass(frozen=True)
class OutboxStatistics:
    current_buffer_used: int


class _Frames:
    """The state both ends share: queued frames, who has closed, and who is waiting."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.frames: deque[str] = deque()
        self.sender_closed = False
        self.receiver_closed = False
        self.receiver_waiting: asyncio.Future[None] | None = None
        self.senders_waiting: deque[asyncio.Future[None]] = deque()

    def wake_receiver(self) -> None:
        waiter = self.receiver_waiting
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def wake_senders(self, *, every: bool) -> None:
        while self.senders_waiting:
            waiter = self.senders_waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                if not every:
                    return


class FrameSender:
    """The room's end of an outbox."""

    def __init__(self, frames: _Frames) -> None:
        self._frames = frames

    def send_nowait(self, frame: str) -> None:
        state = self._frames
        if state.sender_closed:
            raise anyio.ClosedResourceError
        if state.receiver_closed:
            raise anyio.BrokenResourceError
        if len(state.frames) >= state.capacity:
            raise anyio.WouldBlock
        state.frames.append(frame)
        state.wake_receiver()

    async def send(self, frame: str) -> None:
        """Queue a frame, waiting while the outbox is full."""
        while True:
            try:
                self.send_nowait(frame)
                return
            except anyio.WouldBlock:
                waiter = asyncio.get_running_loop().create_future()
                self._frames.senders_waiting.append(waiter)
                try:
                    await waiter
                finally:
                    if waiter in self._frames.senders_waiting:
                        self._frames.senders_waiting.remove(waiter)

    def close(self) -> None:
        """No more frames: the listener gets what is queued, then the end of the stream."""
        self._frames.sender_closed = True
        self._frames.wake_receiver()
        self._frames.wake_senders(every=True)

    def statistics(self) -> OutboxStatistics:
        return OutboxStatistics(current_buffer_used=len(self._frames.frames))


class FrameReceiver:
    """The delivery task's end of an outbox."""

    def __init__(self, frames: _Frames) -> None:
        self._frames = frames

    def receive_nowait(self) -> str:
        state = self._frames
        if state.receiver_closed:
            raise anyio.ClosedResourceError
        if state.frames:
            frame = state.frames.popleft()
            state.wake_senders(every=False)
            return frame
        if state.sender_closed:
            raise anyio.EndOfStream
        raise anyio.WouldBlock

    async def receive(self) -> str:
        while True:
            try:
                return self.receive_nowait()
            except anyio.WouldBlock:
                waiter = asyncio.get_running_loop().create_future()
                self._frames.receiver_waiting = waiter
                try:
                    await waiter
                finally:
                    self._frames.receiver_waiting = None

    def __aiter__(self) -> FrameReceiver:
        return self

    async def __anext__(self) -> str:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    def close(self) -> None:
        """The listener is gone: queued frames are dropped and the room's sends fail."""
        self._frames.receiver_closed = True
        self._frames.frames.clear()
        self._frames.wake_senders(every=True)

    async def __aenter__(self) -> FrameReceiver:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def create_outbox(capacity: int) -> tuple[FrameSender, FrameReceiver]:
    frames = _Frames(capacity)
    return FrameSender(frames), FrameReceiver(frames)
