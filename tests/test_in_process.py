"""The in-process connection: one shared event loop, yet a fresh app and lifespan per scenario."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import anyio
import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from hero_hq.main import build_app
from hq_spec.evidence import EvidenceLog
from steps.support.asgi import Lifespan, LifespanFailed
from steps.support.event_loop import SharedEventLoop
from steps.support.in_process import InProcessHQ


@pytest.fixture
def loop() -> Iterator[SharedEventLoop]:
    shared = SharedEventLoop()
    yield shared
    shared.close()


async def _never_answers(request: Request) -> PlainTextResponse:
    await anyio.sleep_forever()
    raise AssertionError("unreachable")


async def _fails(request: Request) -> PlainTextResponse:
    raise RuntimeError("the flux capacitor broke")


def test_an_app_that_never_answers_fails_the_request_at_its_deadline(
    loop: SharedEventLoop,
) -> None:
    hq = InProcessHQ(Starlette(routes=[Route("/", _never_answers)]), EvidenceLog(), loop=loop)
    with pytest.raises(httpx2.ReadTimeout, match=r"did not answer GET / within 0\.05 s"):
        hq.http.get("/", timeout=0.05)
    hq.close()
    assert loop.cancel_leftovers() == []


def test_an_error_the_app_raises_is_answered_as_a_500(loop: SharedEventLoop) -> None:
    hq = InProcessHQ(Starlette(routes=[Route("/", _fails)]), EvidenceLog(), loop=loop)
    assert hq.http.get("/").status_code == 500
    hq.close()


def test_a_failing_startup_is_reported_with_its_reason(loop: SharedEventLoop) -> None:
    @asynccontextmanager
    async def no_power(app: Starlette) -> AsyncIterator[None]:
        raise RuntimeError("the grid is down")
        yield

    with pytest.raises(LifespanFailed, match=r"(?s)HQ's startup failed: .*the grid is down"):
        Lifespan(loop, Starlette(lifespan=no_power)).start(within=1)
    assert loop.cancel_leftovers() == []


def test_each_scenario_gets_its_own_app_and_lifespan_on_the_one_loop(
    loop: SharedEventLoop,
) -> None:
    first = InProcessHQ(build_app(), EvidenceLog(), loop=loop)
    second = InProcessHQ(build_app(), EvidenceLog(), loop=loop)
    badge = {"x-hq-badge": "hq-badge-007", "content-type": "application/json"}
    body = b'{"name": "Volt", "power": "lightning", "wattage": 9001}'
    assert first.http.post("/heroes/", content=body, headers=badge).status_code == 201
    assert second.http.get("/heroes/").json() == []  # nothing shared but the loop
    assert first.app.state.hq.grid.powered
    assert second.app.state.hq.grid.powered
    first.close()
    assert not first.app.state.hq.grid.powered  # its shutdown ran
    assert second.app.state.hq.grid.powered
    second.close()
    assert loop.cancel_leftovers() == []


def test_tasks_left_behind_are_cancelled_and_named(loop: SharedEventLoop) -> None:
    task = loop.start_task_soon(anyio.sleep_forever)
    with pytest.raises(TimeoutError, match=r"did not finish within 0\.01 s"):
        task.result(timeout=0.01)
    leftovers = loop.cancel_leftovers()
    assert len(leftovers) == 1
    assert "sleep_forever" in leftovers[0]
    assert task.done()
    assert loop.cancel_leftovers() == []


def test_a_closed_loop_opens_again_on_next_use(loop: SharedEventLoop) -> None:
    async def answer() -> int:
        return 42

    assert loop.call(answer) == 42
    loop.close()
    assert loop.call(answer) == 42


def test_calls_from_several_threads_at_once_take_turns(loop: SharedEventLoop) -> None:
    hq = InProcessHQ(build_app(), EvidenceLog(), loop=loop)
    badge = {"x-hq-badge": "hq-badge-007", "content-type": "application/json"}

    def recruit(number: int) -> int:
        body = f'{{"name": "Hero {number}", "power": "teamwork", "wattage": 1}}'
        return hq.http.post("/heroes/", content=body, headers=badge).json()["id"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = sorted(pool.map(recruit, range(20)))
    assert numbers == list(range(1, 21))
    hq.close()
