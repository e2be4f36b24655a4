"""Comms fan-out: one message to N connected clients, its delivery latency and anything lost."""

from __future__ import annotations

import asyncio
import json
import resource
import time
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from bench import servers
from bench.stats import percentile

DEADLINE_SECONDS = 10.0


def raise_file_limit(wanted: int) -> None:
    """Each client is a socket: allow enough of them, within the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


async def _receive_until(client: ClientConnection, text: str, deadline: float) -> float | None:
    try:
        while True:
            frame = await asyncio.wait_for(
                client.recv(), timeout=max(0.0, deadline - time.monotonic())
            )
            if json.loads(frame) == {"chat": text}:
                return time.perf_counter()
    except (TimeoutError, Exception):
        return None


async def _fan_out(url: str, clients: int, messages: int) -> dict[str, Any]:
    connections = [await connect(url, max_size=None, open_timeout=10) for _ in range(clients)]
    latencies: list[float] = []
    lost = 0
    try:
        for number in range(messages):
            text = f"benchmark {number}"
            deadline = time.monotonic() + DEADLINE_SECONDS
            waiting = [asyncio.create_task(_receive_until(c, text, deadline)) for c in connections]
            await asyncio.sleep(0)  # every listener is waiting before the message goes out
            sent = time.perf_counter()
            await connections[0].send(json.dumps({"event": "chat", "text": text}))
            arrivals = await asyncio.gather(*waiting)
            lost += sum(1 for a in arrivals if a is None)
            latencies += [(a - sent) * 1000 for a in arrivals if a is not None]
    finally:
        await asyncio.gather(*(c.close() for c in connections), return_exceptions=True)
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
        with servers.serving("hq") as base_url:
            url = base_url.replace("http://", "ws://") + "/comms"
            results.append(asyncio.run(_fan_out(url, clients, messages)))
    return results
