"""The comms channel across desks: clients counted on every desk, messages relayed by the store."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable

import anyio

from hero_hq.comms_room import Member, Room
from hero_hq.store import Store, StoreUnavailable

CHANNEL = "comms"
CLIENTS = "comms:clients"
# A desk renews its clients' places well before they lapse; a desk that dies frees them in time.
LEASE_SECONDS = 30.0
RENEW_SECONDS = 10.0
# After losing the store, how long to wait before subscribing again.
RESUBSCRIBE_SECONDS = 0.5


class Hub:
    """This desk's room of listeners, joined to every other desk's through the store.

    A message said at any desk is published once and relayed to each desk's room, so every
    listener hears it exactly once, in the order its sender said it.
    """

    def __init__(self, store: Store, max_clients: int) -> None:
        self.store = store
        self.max_clients = max_clients
        self.room = Room(max_clients)
        self.available = False  # subscribed, so what is said here is heard everywhere
        self._places: dict[Member, str] = {}  # member -> its place among the cluster's clients
        self._cut_off: set[Member] = set()  # members ended because the store was lost

    async def admit(self) -> Member | None:
        """A new member, or None when the whole cluster has max_clients already."""
        place = uuid.uuid4().hex
        taken = await self.store.take_lease(
            CLIENTS, place, limit=self.max_clients, seconds=LEASE_SECONDS
        )
        if not taken:
            return None
        member = self.room.join()
        self._places[member] = place
        return member

    async def depart(self, member: Member) -> bool:
        """Free the member's place; whether it was ended because the store was lost."""
        self.room.leave(member)
        place = self._places.pop(member, None)
        if place is not None:
            # Shielded and bounded: a member leaving during shutdown or an outage still tries
            # to free its place; if it cannot, the lease lapses by itself.
            shielded = anyio.CancelScope(shield=True)
            with shielded, anyio.move_on_after(2), contextlib.suppress(StoreUnavailable):
                await self.store.drop_lease(CLIENTS, place)
        cut_off = member in self._cut_off
        self._cut_off.discard(member)
        return cut_off

    async def say(self, frame: str) -> None:
        await self.store.publish(CHANNEL, frame)

    def cut_off_everyone(self) -> None:
        """The store is lost: end every listener on this desk (each is told why)."""
        self.available = False
        self._cut_off.update(self.room.members())
        self.room.close_all()

    async def relay(self, *, on_ready: Callable[[], None]) -> None:
        """Relay the channel to this desk's room for HQ's lifetime, resubscribing after outages.

        Calls `on_ready` once the first subscription is made, or has failed (HQ then starts
        without comms and says so at /status/, until the store answers).
        """
        started = False

        def ready() -> None:
            nonlocal started
            self.available = True
            if not started:
                started = True
                on_ready()

        while True:
            try:
                await self.store.relay(CHANNEL, self.room.broadcast, ready)
            except StoreUnavailable:
                self.cut_off_everyone()
                if not started:
                    started = True
                    on_ready()
            await anyio.sleep(RESUBSCRIBE_SECONDS)

    async def keep_places(self) -> None:
        """Renew this desk's clients' places, so only a dead desk's places lapse."""
        while True:
            await anyio.sleep(RENEW_SECONDS)
            with contextlib.suppress(StoreUnavailable):
                places = list(self._places.values())
                await self.store.renew_leases(CLIENTS, places, seconds=LEASE_SECONDS)
