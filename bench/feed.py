"""The status feed under many concurrent readers: every one must hear it to the end."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx2

from bench import servers

EXPECTED_EVENTS = 4


async def _read(client: httpx2.AsyncClient) -> bool:
    async with client.stream("GET", "/missions/feed") as response:
        body = b"".join([chunk async for chunk in response.aiter_bytes()])
    return body.count(b"event: ") == EXPECTED_EVENTS and body.endswith(b"data: stand down\n\n")


async def _readers(base_url: str, readers: int) -> dict[str, Any]:
    limits = httpx2.Limits(max_connections=readers, max_keepalive_connections=0)
    async with httpx2.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        start = time.perf_counter()
        outcomes = await asyncio.gather(
            *(_read(client) for _ in range(readers)), return_exceptions=True
        )
        elapsed = time.perf_counter() - start
    complete = sum(1 for outcome in outcomes if outcome is True)
    return {"readers": readers, "complete": complete, "seconds": elapsed}


def measure(readers: int) -> dict[str, Any]:
    with servers.serving("hq") as base_url:
        return asyncio.run(_readers(base_url, readers))
