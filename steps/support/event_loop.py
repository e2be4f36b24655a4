"""One event loop shared by every in-process scenario of a run, run from the scenario's thread."""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# Bounds the wait for tasks a scenario left behind when the loop is closed at the end of the run.
CLOSE_SECONDS = 5.0


class TaskHandle(Protocol[T_co]):
    """A task started in the loop: a concurrent.futures.Future from a portal, or a LoopTask."""

    def done(self) -> bool: ...
    def result(self, timeout: float | None = None) -> T_co: ...
    def cancel(self) -> bool: ...


class LoopAccess(Protocol):
    """What in-process connections need of an event loop: anyio's BlockingPortal has it too."""

    def call(self, func: Callable[..., Awaitable[T]], *args: Any) -> T: ...
    def start_task_soon(self, func: Callable[..., Awaitable[T]], *args: Any) -> TaskHandle[T]: ...


class LoopTask:
    """A task in the shared loop; waiting for its result runs the loop meanwhile."""

    def __init__(self, loop: SharedEventLoop, task: asyncio.Task[Any]) -> None:
        self._loop = loop
        self._task = task

    def done(self) -> bool:
        return self._task.done()

    def result(self, timeout: float | None = None) -> Any:
        if not self._task.done():
            self._loop.call(_settle, self._task, timeout)
        if not self._task.done():
            raise TimeoutError(f"the task did not finish within {timeout} s")
        return self._task.result()

    def cancel(self) -> bool:
        cancelled = self._task.cancel()
        self._loop.call(_settle, self._task, None)  # let it unwind before anything else happens
        return cancelled


class SharedEventLoop:
    """An asyncio loop that runs only while a scenario waits on HQ, on the scenario's own thread.

    Starting a thread and an event loop costs more than a simple scenario, so the loop outlives
    scenarios; each scenario still gets a freshly built app and its own lifespan. The loop runs
    on the calling thread rather than a thread of its own: a hop between threads (and the
    handover of the GIL with it) cost more than the request it carried, on a busy machine many
    times more. Tasks (a lifespan, a comms connection) move on whenever a scenario waits on HQ,
    which is the only time anything in-process can observe them.

    A step may still call HQ from several threads at once (desks recruiting together): the calls
    take turns with the loop, so in-process they are served one after another.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._turn = threading.Lock()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None or self._loop.is_closed():
            self._loop = asyncio.new_event_loop()
        return self._loop

    def call(self, func: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run `func(*args)` in the loop until it returns, moving every other task on meanwhile."""
        with self._turn:
            return self._running_loop().run_until_complete(func(*args))

    def start_task_soon(self, func: Callable[..., Awaitable[T]], *args: Any) -> LoopTask:
        """Start `func(*args)` as a task of its own; it runs whenever the loop next runs."""
        name = getattr(func, "__qualname__", None) or repr(func)
        with self._turn:
            task = self._running_loop().create_task(_awaited(func, *args), name=name)
        return LoopTask(self, task)

    def cancel_leftovers(self) -> list[str]:
        """Cancel any task still running (nothing should be, between scenarios); say which."""
        with self._turn:
            loop = self._loop
            if loop is None or loop.is_closed():
                return []
            leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in leftovers:
                task.cancel()
            if leftovers:
                loop.run_until_complete(asyncio.wait(leftovers, timeout=CLOSE_SECONDS))
            return [task.get_name() for task in leftovers]

    def close(self) -> None:
        """Cancel whatever scenarios left behind and close the loop; the next call opens anew."""
        self.cancel_leftovers()
        with self._turn:
            loop, self._loop = self._loop, None
            if loop is None or loop.is_closed():
                return
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()


class Inbox(Protocol[T_co]):
    """Messages waiting for a listener: one taken at once if there is one, or awaited."""

    def take(self) -> T_co | None: ...
    async def receive(self) -> T_co: ...


async def take_or_quiet(inbox: Inbox[T], within: float) -> T | None:
    """What reaches the inbox within `within` seconds, or None as soon as nothing more can come.

    In-process, HQ acts only in this loop (it hands no work to threads; were it to, a listener
    could conclude while a thread is still busy). When no callback is ready, no timer falls due
    before the deadline and no connection is open to wait on, nothing can happen before the
    deadline either: a listener concludes at once what waiting the window out would have shown.
    Where that cannot be told (another kind of loop, an open connection), it waits it out.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        taken = inbox.take()
        now = loop.time()
        if taken is not None or now >= deadline:
            return taken
        due = _next_activity(loop)
        if due is None:  # it cannot be told: wait for what comes, until the deadline
            try:
                async with asyncio.timeout(deadline - now):
                    return await inbox.receive()
            except TimeoutError:
                return None
        if due >= deadline:
            return None  # quiet until the deadline
        await asyncio.sleep(max(due - now, 0))


def _next_activity(loop: asyncio.AbstractEventLoop) -> float | None:
    """When the loop next has something to do (now, a timer, never); None if it cannot be told.

    Reads asyncio's own queues (CPython's selector loop keeps them as _ready, _scheduled and
    _selector), because asyncio has no public way to ask whether a loop is idle.
    """
    ready = getattr(loop, "_ready", None)
    timers = getattr(loop, "_scheduled", None)
    selector = getattr(loop, "_selector", None)
    wakeup = getattr(loop, "_ssock", None)
    if ready is None or timers is None or selector is None or wakeup is None:
        return None
    if any(key.fd != wakeup.fileno() for key in selector.get_map().values()):
        return None  # a connection is open: something may arrive on it at any time
    if ready:
        return loop.time()
    return min((timer.when() for timer in timers if not timer.cancelled()), default=math.inf)


async def _settle(task: asyncio.Task[Any], timeout: float | None) -> None:
    """Wait until the task is done, or the timeout passes."""
    await asyncio.wait({task}, timeout=timeout)


async def _awaited(func: Callable[..., Awaitable[T]], *args: Any) -> T:
    return await func(*args)


SHARED_LOOP = SharedEventLoop()
