"""One event loop, on one thread, shared by every in-process scenario of a run."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import anyio
from anyio.from_thread import BlockingPortal

# Starting a thread and an event loop costs more than a whole simple scenario does, so the
# loop outlives scenarios; each scenario still gets a freshly built app and its own lifespan.
STOP_SECONDS = 5.0


class SharedEventLoop:
    """An event loop on a daemon thread, started on first use, reached through a portal.

    A daemon thread, so a process that never calls close() (a script, a benchmark) still exits;
    pytest closes it at the end of the session, cancelling anything a scenario left behind.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        self._thread: threading.Thread | None = None

    def portal(self) -> BlockingPortal:
        with self._lock:
            if self._portal is None:
                self._portal, self._thread = _start()
            return self._portal

    def close(self) -> None:
        """Stop the loop, cancelling leftover tasks; the next portal() starts a new one."""
        with self._lock:
            portal, thread = self._portal, self._thread
            self._portal = self._thread = None
        if portal is not None and thread is not None:
            portal.call(portal.stop, True)
            thread.join(STOP_SECONDS)


def _start() -> tuple[BlockingPortal, threading.Thread]:
    ready: Future[BlockingPortal] = Future()

    async def serve() -> None:
        async with BlockingPortal() as portal:
            ready.set_result(portal)
            await portal.sleep_until_stopped()

    def run() -> None:
        try:
            anyio.run(serve)
        except BaseException as error:  # the loop could not start: tell the waiting caller
            if not ready.done():
                ready.set_exception(error)
            raise

    thread = threading.Thread(target=run, name="hq-in-process-loop", daemon=True)
    thread.start()
    return ready.result(timeout=STOP_SECONDS), thread


SHARED_LOOP = SharedEventLoop()
