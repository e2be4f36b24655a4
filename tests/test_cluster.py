"""HQ on several desks sharing a real redis-server: concurrency, Redis lost and back, durability."""

from __future__ import annotations

import json
import shlex
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx2
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from hq_spec.live_server import ServerProcess, free_port
from steps.support.redis_server import RedisServer

SERVE = f"{shlex.quote(sys.executable)} -m hero_hq serve --port {{port}} --log-level warning"
BADGE = [("x-hq-badge", "hq-badge-007"), ("content-type", "application/json")]
# Generous: HQ's own bound is two socket timeouts of 2 s at most; a hang would take the test's 30 s.
STORE_LOST_WITHIN = 8.0
WAIT = 10.0


@contextmanager
def desks(redis_url: str, count: int, *args: str, **env: str) -> Iterator[list[str]]:
    """`count` HQ servers on one Redis and one namespace; their base URLs."""
    shared = {"HQ_REDIS_URL": redis_url, "HQ_REDIS_NAMESPACE": f"test-{uuid.uuid4().hex}", **env}
    servers = [ServerProcess(f"{SERVE} {' '.join(args)}", env=shared) for _ in range(count)]
    try:
        for server in servers:
            server.wait_until_listening(within=20)
        yield [server.base_url for server in servers]
    finally:
        for server in servers:
            server.stop()
            server.discard_log()


def recruit(url: str, name: str) -> httpx2.Response:
    body = json.dumps({"name": name, "power": "teamwork", "wattage": 100})
    return httpx2.post(f"{url}/heroes/", headers=BADGE, content=body, timeout=WAIT)


def listen(url: str) -> ClientConnection:
    return connect(url.replace("http://", "ws://") + "/comms", open_timeout=WAIT)


def hear(listener: ClientConnection) -> dict[str, object]:
    frame = listener.recv(timeout=WAIT)
    parsed: dict[str, object] = json.loads(frame)
    return parsed


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server for this test alone, which it may stop and start again."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


# Redis lost and back ---------------------------------------------------------------------------


def test_redis_lost_mid_traffic_gives_503s_closes_comms_and_hq_recovers(
    own_redis: RedisServer,
) -> None:
    with desks(own_redis.url, 2) as (one, two), ExitStack() as sockets:
        assert recruit(one, "Volt").status_code == 201
        listeners = [sockets.enter_context(listen(url)) for url in (one, two, one)]
        own_redis.stop(kill=True)

        started = time.monotonic()
        answers = [
            recruit(two, "Tide"),
            httpx2.get(f"{one}/heroes/", timeout=WAIT),
            httpx2.get(f"{two}/heroes/1", timeout=WAIT),
            httpx2.post(f"{one}/missions/dispatch?hero=Volt", timeout=WAIT),
            httpx2.get(f"{two}/missions/log", timeout=WAIT),
            httpx2.post(f"{one}/me/login", json={"hero_id": 1}, timeout=WAIT),
        ]
        assert time.monotonic() - started < len(answers) * STORE_LOST_WITHIN
        for answer in answers:
            assert answer.status_code == 503, answer.text
            assert answer.json()["error"]["code"] == "store_unavailable"
            assert answer.headers["retry-after"] == "1"
        status = httpx2.get(f"{two}/status/", timeout=WAIT).json()
        assert status["store"] == {"kind": "redis", "reachable": False}

        for listener in listeners:  # each is told, then closed as "internal error"
            assert hear(listener)["error"]["code"] == "store_unavailable"  # type: ignore[index]
            with pytest.raises(ConnectionClosed) as closed:
                listener.recv(timeout=WAIT)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 1011
        with listen(two) as latecomer:  # nobody joins a channel that cannot reach every desk
            assert hear(latecomer)["error"]["code"] == "store_unavailable"  # type: ignore[index]
            with pytest.raises(ConnectionClosed) as refused:
                latecomer.recv(timeout=WAIT)
            assert refused.value.rcvd is not None
            assert refused.value.rcvd.code == 1013

        own_redis.start()
        deadline = time.monotonic() + WAIT
        while (answer := recruit(two, "Tide")).status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (answer.status_code, answer.json()["id"]) == (201, 2)  # Volt was kept
        assert _comms_across(one, two, deadline), "comms never came back across desks"


def _comms_across(speaker_url: str, listener_url: str, deadline: float) -> bool:
    """Whether a word said at one desk reaches the other before the deadline (retrying)."""
    while time.monotonic() < deadline:
        try:
            with listen(listener_url) as listener, listen(speaker_url) as speaker:
                speaker.send(json.dumps({"event": "chat", "text": "back online"}))
                if hear(listener) == {"chat": "back online"}:
                    return True
        except (ConnectionClosed, TimeoutError):
            pass
        time.sleep(0.3)
    return False


# Durability ------------------------------------------------------------------------------------


def test_acknowledged_recruits_and_dispatches_survive_redis_being_killed(
    own_redis: RedisServer,
) -> None:
    namespace = {"HQ_REDIS_NAMESPACE": f"test-{uuid.uuid4().hex}"}
    with desks(own_redis.url, 2, **namespace) as urls:
        filed = {}
        for n in range(20):
            answer = recruit(urls[n % 2], f"Hero{n}")
            assert answer.status_code == 201
            filed[answer.json()["id"]] = answer.content
        for n in range(10):
            dispatched = httpx2.post(f"{urls[n % 2]}/missions/dispatch?hero=Hero{n}", timeout=WAIT)
            assert dispatched.status_code == 202
    own_redis.stop(kill=True)  # no goodbye: only what the append-only file holds comes back
    own_redis.start()
    with desks(own_redis.url, 1, **namespace) as (fresh,):  # a new desk: nothing cached
        roster = httpx2.get(f"{fresh}/heroes/", timeout=WAIT)
        assert [json.dumps(hero, separators=(",", ":")).encode() for hero in roster.json()] == [
            filed[n] for n in sorted(filed)
        ]
        log = httpx2.get(f"{fresh}/missions/log", timeout=WAIT).json()
        assert log == {"dispatched": [f"Hero{n}" for n in range(10)]}


# Concurrency across desks ----------------------------------------------------------------------


def test_recruits_at_two_desks_at_once_get_distinct_numbers(redis_server: RedisServer) -> None:
    with desks(redis_server.url, 2) as urls:
        jobs = [(urls[n % 2], f"Hero{n}") for n in range(60)]
        with ThreadPoolExecutor(max_workers=12) as pool:
            answers = list(pool.map(lambda job: recruit(*job), jobs))
        assert {answer.status_code for answer in answers} == {201}
        assert sorted(answer.json()["id"] for answer in answers) == list(range(1, 61))
        listings = [httpx2.get(f"{url}/heroes/", timeout=WAIT).json() for url in urls]
        assert listings[0] == listings[1]
        assert [hero["id"] for hero in listings[0]] == list(range(1, 61))


def test_listeners_on_every_desk_hear_each_broadcast_once_in_order(
    redis_server: RedisServer,
) -> None:
    with desks(redis_server.url, 2) as urls, ExitStack() as sockets:
        listeners = [sockets.enter_context(listen(urls[n % 2])) for n in range(6)]
        speakers = [listeners[0], listeners[1]]  # one at each desk
        for n in range(5):
            for s, speaker in enumerate(speakers):
                speaker.send(json.dumps({"event": "chat", "text": f"desk {s + 1} says {n}"}))
        for listener in listeners:
            heard = [hear(listener)["chat"] for _ in range(10)]
            for s in (1, 2):  # each speaker's words in the order said
                assert [h for h in heard if h.startswith(f"desk {s}")] == [  # type: ignore[union-attr]
                    f"desk {s} says {n}" for n in range(5)
                ]
            with pytest.raises(TimeoutError):  # and nothing twice
                listener.recv(timeout=0.3)


def test_the_comms_limit_counts_every_desk(redis_server: RedisServer) -> None:
    with desks(redis_server.url, 2, HQ_COMMS_MAX_CLIENTS="2") as (one, two):
        with listen(one), listen(two), listen(one) as third:
            assert hear(third)["error"]["code"] == "comms_full"  # type: ignore[index]
        with listen(two) as after_they_left:  # places are freed when listeners leave
            after_they_left.send(json.dumps({"event": "chat", "text": "room for me"}))
            assert hear(after_they_left) == {"chat": "room for me"}


def test_a_clients_login_allowance_counts_every_desk(redis_server: RedisServer) -> None:
    with desks(redis_server.url, 2, HQ_LOGINS_PER_MINUTE="3") as (one, two):
        assert recruit(one, "Volt").status_code == 201
        log_in = {"json": {"hero_id": 1}, "timeout": WAIT}
        answers = [httpx2.post(f"{url}/me/login", **log_in) for url in (one, two, one, two)]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
        assert answers[3].json()["error"]["code"] == "too_many_requests"


# One HQ under several workers (the experiment that started all this) ---------------------------


def test_two_workers_on_one_redis_act_as_one_hq(redis_server: RedisServer) -> None:
    with desks(redis_server.url, 1, "--workers", "2") as (url,), ExitStack() as sockets:
        numbers = [recruit(url, f"Hero{n}").json()["id"] for n in range(6)]
        assert numbers == [1, 2, 3, 4, 5, 6]
        login = httpx2.post(f"{url}/me/login", json={"hero_id": 2}, timeout=WAIT)
        session = {"cookie": login.headers["set-cookie"].split(";")[0]}
        for _ in range(20):  # connections land on either worker
            with httpx2.Client(base_url=url, headers=session, timeout=WAIT) as client:
                assert client.get("/me/").json()["identified"] is True
        for n in range(6):
            httpx2.post(f"{url}/missions/dispatch?hero=Hero{n}", timeout=WAIT)
        assert httpx2.get(f"{url}/missions/log", timeout=WAIT).json()["dispatched"] == [
            f"Hero{n}" for n in range(6)
        ]
        listeners = [sockets.enter_context(listen(url)) for _ in range(10)]
        listeners[3].send(json.dumps({"event": "chat", "text": "all hands"}))
        assert [hear(listener) for listener in listeners] == [{"chat": "all hands"}] * 10


# Starting without Redis ------------------------------------------------------------------------


def test_production_refuses_to_start_without_its_redis_in_one_line() -> None:
    import subprocess

    env = {
        "HQ_ENV": "production",
        "HQ_BADGES": "cobalt-42",
        "HQ_SESSION_SECRET": "x" * 32,
        "HQ_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "hero_hq", "serve", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "hero-hq: HQ_ENV=production: the redis store does not answer; refusing to start"
    )


def test_development_starts_without_its_redis_and_says_so() -> None:
    with desks(f"redis://127.0.0.1:{free_port()}/0", 1) as (url,):
        status = httpx2.get(f"{url}/status/", timeout=WAIT).json()
        assert status == {
            "hq": "online",
            "grid": True,
            "store": {"kind": "redis", "reachable": False},
        }
        assert recruit(url, "Volt").json()["error"]["code"] == "store_unavailable"


def test_a_redis_that_stops_answering_gives_503s_not_hangs_and_hq_recovers(
    own_redis: RedisServer,
) -> None:
    with desks(own_redis.url, 1) as (url,), listen(url) as listener:
        assert recruit(url, "Volt").status_code == 201
        own_redis.pause()
        try:
            started = time.monotonic()
            answer = recruit(url, "Tide")
            assert time.monotonic() - started < STORE_LOST_WITHIN
            assert (answer.status_code, answer.json()["error"]["code"]) == (
                503,
                "store_unavailable",
            )
            assert hear(listener)["error"]["code"] == "store_unavailable"  # type: ignore[index]
        finally:
            own_redis.resume()
        deadline = time.monotonic() + WAIT
        while (answer := recruit(url, "Tide")).status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert answer.status_code == 201


def test_several_workers_without_a_shared_store_are_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hero_hq.serve import main

    monkeypatch.delenv("HQ_REDIS_URL", raising=False)
    monkeypatch.delenv("HQ_ENV", raising=False)
    assert main(["serve", "--workers", "2", "--port", str(free_port())]) == 2
    assert capsys.readouterr().err == (
        "hero-hq: --workers 2 needs HQ_REDIS_URL: without a shared store each worker keeps its"
        " own roster, passes, mission log and comms\n"
    )
