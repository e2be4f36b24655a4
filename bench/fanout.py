"""Comms fan-out: one message to N connected clients, its delivery latency and anything lost."""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import time
from typing import Any
from urllib.parse import urlsplit

from bench import servers, ws_client
from bench.stats import percentile

DEADLINE_SECONDS = 10.0


def raise_file_limit(wanted: int) -> None:
    """Each client is a socket: allow enough of them, within the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


class Arrivals:
    """When each chat reached each listener; wakes the benchmark once everyone has it."""

    def __init__(self, listeners: int) -> None:
        self.times: dict[str, list[float]] = {}
        self._listeners = listeners
        self.everyone = asyncio.Event()

    def heard(self, frame: str, at: float) -> None:
        words = ws_client.chat_words(frame)
        if words is None:
            return
        times = self.times.setdefault(words, [])
        times.append(at)
        if len(times) == self._listeners:
            self.everyone.set()

    async def wait_for(self, words: str, within: float) -> list[float]:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.everyone.wait(), within)
        self.everyone.clear()
        return self.times.get(words, [])


async def _fan_out(base_url: str, clients: int, messages: int) -> dict[str, Any]:
    address = urlsplit(base_url)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    arrivals = Arrivals(clients)
    listeners: list[ws_client.Listener] = []
    for start in range(0, clients, 100):  # connect in batches, as a crowd arrives
        batch = range(start, min(start + 100, clients))
        listeners += await asyncio.gather(
            *(ws_client.connect(host, port, "/comms", arrivals.heard) for _ in batch)
        )
    latencies: list[float] = []
    lost = 0
    try:
        for number in range(messages):
            words = f"benchmark {number}"
            sent = time.perf_counter()
            listeners[0].send_text(json.dumps({"event": "chat", "text": words}))
            heard = await arrivals.wait_for(words, DEADLINE_SECONDS)
            lost += clients - len(heard)
            latencies += [(at - sent) * 1000 for at in heard]
            await asyncio.sleep(0.05)  # the next message goes out once this one has settled
    finally:
        for listener in listeners:
            listener.close()
    return {
        "clients": clients,
        "messages": messages,
        "delivered": len(latencies),
        "lost": lost,
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
    }


def measure(client_counts: list[int], messages: int) -> list[dict[str, Any]]:
    raise_file_limit(max(client_counts) * 2 + 256)
    results = []
    for clients in client_counts:
        with servers.serving("hq-served") as base_url:
            results.append(asyncio.run(_fan_out(base_url, clients, messages)))
    return results
