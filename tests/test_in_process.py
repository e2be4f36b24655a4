"""The in-process connection: one shared event loop, yet a fresh app and lifespan per scenario."""

from __future__ import annotations

import asyncio
import gc
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from hero_hq.main import build_app
from hq_spec.evidence import EvidenceLog
from hq_spec.mismatch import Mismatch
from steps.comms import expect_silence, expect_to_hear
from steps.support.agency import Agency
from steps.support.asgi import InProcessSocket, Lifespan, LifespanFailed, Mailbox
from steps.support.cast import QUARTERMASTER_BADGE, Cast
from steps.support.connection import Exchange
from steps.support.event_loop import SharedEventLoop, take_or_quiet
from steps.support.in_process import InProcessHQ
from tests import comms_that_break_down
from tests.python_shapes import python_in


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


async def _times_out_itself(request: Request) -> PlainTextResponse:
    raise TimeoutError("the archive took too long")


# An app's own TimeoutError is an error it raised, not the request's deadline passing.
@pytest.mark.parametrize("endpoint", [_fails, _times_out_itself], ids=["error", "own timeout"])
def test_an_error_the_app_raises_is_answered_as_a_500(
    loop: SharedEventLoop, endpoint: Callable[[Request], Awaitable[PlainTextResponse]]
) -> None:
    hq = InProcessHQ(Starlette(routes=[Route("/", endpoint)]), EvidenceLog(), loop=loop)
    assert hq.http.get("/", timeout=5).status_code == 500
    hq.close()


def test_a_startup_that_never_answers_fails_at_its_deadline(loop: SharedEventLoop) -> None:
    @asynccontextmanager
    async def stuck(app: Starlette) -> AsyncIterator[None]:
        await anyio.sleep_forever()
        yield

    with pytest.raises(LifespanFailed, match=r"HQ's startup failed: no answer within 0\.05 s"):
        Lifespan(loop, Starlette(lifespan=stuck)).start(within=0.05)
    assert loop.cancel_leftovers() == []


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


# What a step says of a comms connection whose HQ end crashed: HQ's words, and where its account is.
BROKE_DOWN = "HQ's comms connection broke down (HQ's own account of it is in the captured log)"


async def _crashes_after_accepting(scope: Any, receive: Any, send: Any) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    await receive()  # the first frame
    int(scope)  # a real bug: TypeError, "int() argument must be ... not 'dict'"


def test_a_comms_connection_whose_app_crashes_drops_and_logs_the_crash_at_once(
    loop: SharedEventLoop, caplog: pytest.LogCaptureFixture
) -> None:
    socket = InProcessSocket(loop, _crashes_after_accepting, "/comms", within=1.0)
    try:
        socket.send_text("assemble!")
        assert socket.receive(within=1.0) is None  # the connection dropped, as a server's would
        assert socket.closed
        # Where the step's failure sends its reader; the crash's own (Python's) words stay there.
        assert socket.broke_down == "HQ's own account of it is in the captured log"
        [crash] = caplog.records
        assert crash.getMessage() == "HQ's comms connection crashed"
        assert crash.exc_info is not None
        assert isinstance(crash.exc_info[1], TypeError)
    finally:
        socket.close()
    del socket
    gc.collect()
    # Nothing is left for the garbage collector to log later ("exception was never retrieved"):
    # logged in the middle of pytest reading a failure's source, it breaks CPython 3.11.7's parser.
    assert caplog.records == [crash]


@pytest.fixture
def crashing_comms(loop: SharedEventLoop) -> Iterator[Agency]:
    """An agency at an HQ whose comms crash at a hero's first message; closed afterwards."""
    agency = Agency(
        InProcessHQ(comms_that_break_down.app, EvidenceLog(), loop=loop), Cast(QUARTERMASTER_BADGE)
    )
    yield agency
    agency.connection.close()


def _in_hqs_words(failure: Mismatch) -> str:
    """A step's failure, checked to show no Python: neither Python's shapes nor the crash's words."""
    said = str(failure)
    assert python_in(said) == []
    assert "hub" not in said
    return said


def test_a_hero_whose_comms_broke_down_is_told_so_in_hqs_words_not_only_that_nothing_came(
    crashing_comms: Agency, caplog: pytest.LogCaptureFixture
) -> None:
    agency = crashing_comms
    agency.say(agency.cast["Volt"], '{"event": "chat", "text": "assemble!"}')
    with pytest.raises(Mismatch) as failure:
        expect_to_hear(agency, "Volt", "assemble!")
    assert _in_hqs_words(failure.value) == (
        f'expected Volt to hear "assemble!", but Volt heard nothing: {BROKE_DOWN}'
    )
    assert "KeyError: 'hub'" in caplog.text  # the account is where the failure says it is


def test_silence_from_a_hero_whose_comms_broke_down_fails_instead_of_passing_unchecked(
    crashing_comms: Agency, caplog: pytest.LogCaptureFixture
) -> None:
    agency = crashing_comms
    agency.join_comms(agency.cast["Tide"])  # says nothing, so its connection keeps working
    agency.say(agency.cast["Volt"], '{"event": "chat", "text": "assemble!"}')
    expect_silence(agency, ["Tide"])  # silence on a working connection is silence
    with pytest.raises(Mismatch) as failure:
        expect_silence(agency, ["Tide", "Volt"])
    assert _in_hqs_words(failure.value) == (
        f"expected Volt to hear nothing more, but Volt could not have heard anything: {BROKE_DOWN}"
    )
    assert "KeyError: 'hub'" in caplog.text


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


# Listening in-process: nothing more can come once HQ has nothing left to do ---------------------


def _listen(loop: SharedEventLoop, within: float, *senders: float) -> tuple[str | None, float]:
    """Start a sender per delay (each says when it spoke), listen; (what was heard, loop seconds)."""
    inbox = Mailbox()

    async def speak(delay: float) -> None:
        await anyio.sleep(delay)
        await inbox.send({"type": "said", "text": f"after {delay}"})

    for delay in senders:
        loop.start_task_soon(speak, delay)

    async def listen() -> tuple[str | None, float]:
        clock = asyncio.get_running_loop()
        started = clock.time()
        heard = await take_or_quiet(inbox, within)
        return heard["text"] if heard else None, clock.time() - started

    return loop.call(listen)


def test_a_listener_hears_what_hq_says_after_a_pause_within_the_window(
    loop: SharedEventLoop,
) -> None:
    heard, _ = _listen(loop, 1.0, 0.05)
    assert heard == "after 0.05"


def test_what_hq_would_say_only_after_the_window_is_not_heard(loop: SharedEventLoop) -> None:
    heard, listened = _listen(loop, 0.05, 30.0)
    assert heard is None
    assert listened < 30.0  # concluded at the window's end, not when the sender spoke
    assert loop.cancel_leftovers() != []  # the sender was still waiting to speak


def test_a_listener_concludes_at_once_when_nothing_is_on_its_way(loop: SharedEventLoop) -> None:
    heard, listened = _listen(loop, 60.0)
    assert heard is None
    assert listened < 30.0  # it did not wait the minute out: nothing could have come


def test_with_a_connection_open_the_listener_waits_the_window_out(loop: SharedEventLoop) -> None:
    async def open_connection() -> socket.socket:
        ours, theirs = socket.socketpair()
        asyncio.get_running_loop().add_reader(ours.fileno(), lambda: None)
        theirs.close()
        return ours

    opened = loop.call(open_connection)

    async def hang_up() -> None:
        asyncio.get_running_loop().remove_reader(opened.fileno())
        opened.close()

    try:
        heard, listened = _listen(loop, 0.05)
        heard_late, waited = _listen(loop, 5.0, 0.05)
    finally:
        loop.call(hang_up)
    assert heard is None
    assert listened >= 0.05  # something might have come on the connection: it listened
    # Listening out the window, it still hears a message the moment it comes.
    assert heard_late == "after 0.05"
    assert waited < 5.0


# Requests straight to the app: what HQ sees is what a server would hand it ------------------


async def _echo(request: Request) -> JSONResponse:
    return JSONResponse(
        {
            "path": request.url.path,
            "raw_path": request.scope["raw_path"].decode(),
            "query": request.url.query,
            "length": request.headers.get("content-length"),
            "host": request.headers.get("host"),
            "badge": request.headers.get("x-hq-badge"),
            "body": (await request.body()).decode(),
        }
    )


def _echoed(loop: SharedEventLoop, method: str, target: str, **sent: Any) -> Exchange:
    app = Starlette(routes=[Route("/{rest:path}", _echo, methods=["GET", "HEAD", "POST"])])
    hq = InProcessHQ(app, EvidenceLog(), start=False, loop=loop)
    return hq.request(
        None, method, target, headers=sent.get("headers"), content=sent.get("content")
    )


def test_a_request_reaches_the_app_as_a_server_would_hand_it_over(loop: SharedEventLoop) -> None:
    echoed = _echoed(
        loop, "POST", "/heroes/Caf%C3%A9 Noir?hero=Tide",
        headers=[("X-HQ-Badge", "Zürich")], content=b'{"a": 1}',
    )  # fmt: skip
    assert echoed.status == 200
    assert echoed.json() == {
        "path": "/heroes/Café Noir",
        "raw_path": "/heroes/Caf%C3%A9%20Noir",
        "query": "hero=Tide",
        "length": "8",
        "host": "hq.test",
        "badge": "Zürich".encode().decode("latin-1"),  # sent as UTF-8, read as a server reads
        "body": '{"a": 1}',
    }


def test_a_post_without_a_body_says_so_and_a_head_gets_no_body(loop: SharedEventLoop) -> None:
    assert _echoed(loop, "POST", "/dispatch").json()["length"] == "0"
    assert _echoed(loop, "GET", "/roster").json()["length"] is None
    head = _echoed(loop, "HEAD", "/roster")
    assert (head.status, head.body) == (200, b"")
