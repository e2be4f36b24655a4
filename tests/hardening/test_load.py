"""Load against uvicorn on loopback, bounded in count and time: nothing is lost, nothing crosses."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx2
from websockets.asyncio.client import connect

from tests.hardening.conftest import Serve

BADGE = {"X-HQ-Badge": "hq-badge-007"}
RECRUITS, LISTENERS, BROADCASTS, HEROES = 200, 20, 50, 10
DEADLINE = 30.0


async def recruit_concurrently(base_url: str) -> list[int]:
    async with httpx2.AsyncClient(base_url=base_url, timeout=10) as client:

        async def one(number: int) -> int:
            body = {"name": f"Hero {number}", "power": "load", "wattage": number}
            response = await client.post("/heroes/", json=body, headers=BADGE)
            assert response.status_code == 201, response.text
            hero_id: int = response.json()["id"]
            return hero_id

        return await asyncio.gather(*(one(n) for n in range(RECRUITS)))


def test_concurrent_recruits_get_distinct_ids_all_on_the_roster(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    record_property("cases", RECRUITS)
    with serve() as server:
        ids = asyncio.run(asyncio.wait_for(recruit_concurrently(server.base_url), DEADLINE))
        roster = httpx2.get(server.base_url + "/heroes/", timeout=10).json()
    assert sorted(ids) == list(range(1, RECRUITS + 1))
    assert sorted(hero["id"] for hero in roster) == list(range(1, RECRUITS + 1))
    assert len({hero["name"] for hero in roster}) == RECRUITS


async def broadcast_to_listeners(url: str) -> list[list[str]]:
    clients = [await connect(url, open_timeout=10) for _ in range(LISTENERS)]
    try:

        async def hear_all(client: object) -> list[str]:
            heard = []
            for _ in range(BROADCASTS):
                frame = await asyncio.wait_for(client.recv(), timeout=5)  # type: ignore[attr-defined]
                heard.append(json.loads(frame)["chat"])
            return heard

        listening = [asyncio.create_task(hear_all(c)) for c in clients]
        for number in range(BROADCASTS):
            await clients[number % LISTENERS].send(
                json.dumps({"event": "chat", "text": f"m{number}"})
            )
        return await asyncio.gather(*listening)
    finally:
        await asyncio.gather(*(c.close() for c in clients))


def test_every_listener_hears_every_broadcast_once_and_in_order(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    record_property("cases", LISTENERS * BROADCASTS)
    with serve() as server:
        url = server.base_url.replace("http", "ws") + "/comms"
        heard = asyncio.run(asyncio.wait_for(broadcast_to_listeners(url), DEADLINE))
    # Senders race each other, so HQ picks one order; what matters is that everyone hears
    # that same order, each message exactly once, and each sender's messages in sequence.
    first = heard[0]
    assert all(listener == first for listener in heard)
    assert sorted(first) == sorted(f"m{number}" for number in range(BROADCASTS))
    for sender in range(LISTENERS):
        own = [f"m{n}" for n in range(BROADCASTS) if n % LISTENERS == sender]
        assert [m for m in first if m in own] == own


async def logins_and_logouts(base_url: str) -> list[tuple[int, object, object]]:
    async with httpx2.AsyncClient(base_url=base_url, timeout=10) as setup:
        for number in range(HEROES):
            body = {"name": f"Hero {number + 1}", "power": "p", "wattage": 1}
            await setup.post("/heroes/", json=body, headers=BADGE)

    async def browser(hero_id: int) -> tuple[int, object, object]:
        async with httpx2.AsyncClient(base_url=base_url, timeout=10) as client:
            for _ in range(5):
                client.cookies.clear()
                response = await client.post("/me/login", json={"hero_id": hero_id})
                cookie = response.headers["set-cookie"].split(";", 1)[0]
                client.cookies.clear()
                me = (await client.get("/me/", headers={"cookie": cookie})).json()
                if me != {"identified": True, "hero_id": hero_id, "name": f"Hero {hero_id}"}:
                    return hero_id, me, "crossed"
                await client.post("/me/logout", headers={"cookie": cookie})
                client.cookies.clear()
                after = (await client.get("/me/", headers={"cookie": cookie})).json()
                if after != {"identified": False}:
                    return hero_id, after, "not revoked"
            return hero_id, me, "ok"

    return await asyncio.gather(*(browser(h) for h in range(1, HEROES + 1)))


def test_concurrent_logins_and_logouts_never_mix_identities(
    serve: Serve, record_property: Callable[[str, object], None]
) -> None:
    record_property("cases", HEROES * 5)
    with serve({"HQ_LOGINS_PER_MINUTE": "1000"}) as server:
        outcomes = asyncio.run(asyncio.wait_for(logins_and_logouts(server.base_url), DEADLINE))
    assert [verdict for _, _, verdict in outcomes] == ["ok"] * HEROES, outcomes
