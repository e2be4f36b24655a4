"""Bounded memory: every store HQ keeps has a documented limit, and refuses clearly past it."""

from __future__ import annotations

import json
from contextlib import ExitStack

import httpx2
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.hardening.conftest import Serve

BADGE = {"X-HQ-Badge": "hq-badge-007"}
LIMITS = {
    "HQ_ROSTER_MAX": "3",
    "HQ_MISSION_LOG_MAX": "4",
    "HQ_SESSION_MAX": "2",
    "HQ_COMMS_MAX_CLIENTS": "2",
}


def test_every_store_stays_within_its_limit(serve: Serve) -> None:
    with serve(LIMITS) as server, httpx2.Client(base_url=server.base_url, timeout=5) as client:
        for number in range(3):
            body = {"name": f"Hero {number}", "power": "p", "wattage": 1}
            assert client.post("/heroes/", json=body, headers=BADGE).status_code == 201
        full = client.post(
            "/heroes/", json={"name": "One too many", "power": "p", "wattage": 1}, headers=BADGE
        )
        assert full.status_code == 409
        assert full.json()["error"]["code"] == "roster_full"
        assert len(client.get("/heroes/").json()) == 3

        for number in range(10):
            client.post(f"/missions/dispatch?hero=H{number}")
        log = client.get("/missions/log").json()["dispatched"]
        assert log == ["H6", "H7", "H8", "H9"]

        cookies = []
        for hero_id in (1, 2, 3):
            client.cookies.clear()
            cookies.append(
                client.post("/me/login", json={"hero_id": hero_id})
                .headers["set-cookie"]
                .split(";")[0]
            )
        client.cookies.clear()
        oldest = client.get("/me/", headers={"cookie": cookies[0]}).json()
        newest = client.get("/me/", headers={"cookie": cookies[2]}).json()
        assert oldest == {"identified": False}  # evicted past the cap of 2
        assert newest["identified"] is True

        big = b'{"name": "' + b"x" * 70_000 + b'", "power": "p", "wattage": 1}'
        too_big = client.post(
            "/heroes/", content=big, headers={**BADGE, "content-type": "application/json"}
        )
        assert too_big.status_code == 413


def test_comms_refuses_clients_past_its_limit_clearly(serve: Serve) -> None:
    with serve(LIMITS) as server, ExitStack() as stack:
        url = server.base_url.replace("http", "ws") + "/comms"
        members = [stack.enter_context(connect(url, open_timeout=2)) for _ in range(2)]
        refused = stack.enter_context(connect(url, open_timeout=2))
        refusal = json.loads(refused.recv(timeout=2))
        assert refusal["error"]["code"] == "comms_full"
        assert refusal["error"]["detail"] == {"limit": 2}
        with pytest.raises(ConnectionClosed) as closed:
            refused.recv(timeout=2)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1013  # "try again later"
        members[0].send(json.dumps({"event": "chat", "text": "still fine"}))
        assert json.loads(members[1].recv(timeout=2)) == {"chat": "still fine"}
