"""The comms room: who is connected, and fan-out that a slow or departed listener cannot block."""

from __future__ import annotations

from dataclasses import dataclass, field

import anyio

from hero_hq.outbox import FrameReceiver, FrameSender, create_outbox

# How many frames may queue for one listener before HQ decides it has stalled and lets it go.
OUTBOX_FRAMES = 256


@dataclass(eq=False)
class Member:
    """One connected client: its outbox of frames, and the scope that ends it if it stalls."""

    outbox: FrameSender
    inbox: FrameReceiver
    cancel_scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)
    stalled: bool = False


class Room:
    """Everyone on the comms channel; a broadcast reaches each member exactly once, in order."""

    def __init__(self, max_members: int) -> None:
        self.max_members = max_members
        self._members: set[Member] = set()

    def __len__(self) -> int:
        return len(self._members)

    @property
    def full(self) -> bool:
        return len(self._members) >= self.max_members

    def members(self) -> list[Member]:
        return list(self._members)

    def join(self) -> Member:
        outbox, inbox = create_outbox(OUTBOX_FRAMES)
        member = Member(outbox, inbox)
        self._members.add(member)
        return member

    def leave(self, member: Member) -> None:
        self._members.discard(member)
        member.outbox.close()

    def tell(self, member: Member, frame: str) -> None:
        """Queue a frame for one member without waiting; a member that cannot keep up is dropped."""
        try:
            member.outbox.send_nowait(frame)
        except anyio.WouldBlock:
            member.stalled = True
            member.cancel_scope.cancel()
            self.leave(member)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            self.leave(member)

    def broadcast(self, frame: str) -> None:
        for member in list(self._members):
            self.tell(member, frame)

    def close_all(self) -> None:
        """End every connection (at shutdown), so nobody keeps the server from stopping."""
        for member in list(self._members):
            member.cancel_scope.cancel()
            self.leave(member)
