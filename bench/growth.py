"""How costs grow: list and look-up throughput as the roster grows from 10 to 10,000 heroes."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2

from bench import servers, wrk


async def _recruit_many(base_url: str, count: int) -> None:
    limits = httpx2.Limits(max_connections=16)
    async with httpx2.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        semaphore = asyncio.Semaphore(16)

        async def one(number: int) -> None:
            async with semaphore:
                body = {"name": f"Hero {number}", "power": "growth", "wattage": number}
                response = await client.post("/heroes/", json=body, headers=servers.BADGE)
                response.raise_for_status()

        await asyncio.gather(*(one(n) for n in range(count)))


def measure(sizes: list[int], seconds: float) -> list[dict[str, Any]]:
    if not wrk.available():
        return []
    rows = []
    with servers.serving("hq") as base_url:
        on_roster = 0
        for size in sizes:
            asyncio.run(_recruit_many_from(base_url, on_roster, size))
            on_roster = size
            listing = wrk.run(base_url + "/heroes/", seconds=seconds, connections=8)
            one = wrk.run(base_url + "/heroes/1", seconds=seconds, connections=8)
            rows.append(
                {
                    "heroes": size,
                    "list_rps": listing.requests_per_second,
                    "list_p99_ms": listing.p99_ms,
                    "hero_rps": one.requests_per_second,
                    "hero_p99_ms": one.p99_ms,
                }
            )
    return rows


async def _recruit_many_from(base_url: str, start: int, end: int) -> None:
    if end > start:
        await _recruit_many(base_url, end - start)
