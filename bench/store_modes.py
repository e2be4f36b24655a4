"""HQ with its state in Redis beside HQ in memory: the same requests, measured in the same run."""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx2
from websockets.asyncio.client import connect

from bench import servers, wrk
from bench.stats import percentile, ratio
from hq_spec.live_server import ServerProcess
from steps.support.redis_server import RedisServer, RedisServerMissing

SERVE = "{python} -m hero_hq serve --port {{port}} --log-level warning"
CONCURRENCY = 8
ROSTER = 100  # heroes on the roster while GET, list and login are measured


@contextmanager
def _desks(count: int, redis_url: str | None) -> Iterator[list[str]]:
    import sys

    # Logins are measured, not rate-limited (HQ holds each client to 30 a minute by default).
    env = {**servers.BENCH_ENV, "HQ_LOGINS_PER_MINUTE": "1000000000"}
    if redis_url is not None:
        env |= {"HQ_REDIS_URL": redis_url, "HQ_REDIS_NAMESPACE": f"bench-{uuid.uuid4().hex}"}
    command = SERVE.format(python=sys.executable)
    with ExitStack() as stack:
        urls = []
        for _ in range(count):
            server = ServerProcess(command, env=env)
            stack.callback(server.discard_log)
            stack.callback(server.stop)
            server.wait_until_listening(within=20)
            urls.append(server.base_url)
        yield urls


async def _throughput(base_url: str, requests: int, make: Any) -> dict[str, float]:
    """`requests` requests from CONCURRENCY clients; requests per second and median latency."""
    latencies: list[float] = []

    async def client(share: int) -> None:
        async with httpx2.AsyncClient(base_url=base_url, timeout=10) as http:
            for n in range(share):
                started = time.perf_counter()
                answer = await make(http, n)
                latencies.append((time.perf_counter() - started) * 1000)
                if answer.status_code >= 400:
                    raise RuntimeError(f"{answer.status_code}: {answer.text[:200]}")

    started = time.perf_counter()
    await asyncio.gather(*(client(requests // CONCURRENCY) for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    return {"rps": len(latencies) / elapsed, "p50_ms": percentile(latencies, 0.5)}


def _operations(session: str) -> dict[str, Any]:
    badge = {**servers.BADGE, "content-type": "application/json"}
    cookie = {"cookie": session}

    def paperwork(n: int) -> bytes:
        return json.dumps({"name": f"Bench{n}", "power": "speed", "wattage": n}).encode()

    return {
        "GET a hero": lambda http, n: http.get("/heroes/1"),
        "POST a recruit": lambda http, n: http.post(
            "/heroes/", headers=badge, content=paperwork(n)
        ),
        "GET the roster": lambda http, n: http.get("/heroes/"),
        "POST a login": lambda http, n: http.post("/me/login", json={"hero_id": 1 + n % ROSTER}),
        "GET who am I": lambda http, n: http.get("/me/", headers=cookie),
    }


def _wrk_scripts(session: str) -> dict[str, tuple[str, str | None]]:
    """Each operation as wrk runs it: its path and, for anything but a plain GET, a Lua script."""
    recruit = wrk.POST_SCRIPT
    login = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        "wrk.body = '{\"hero_id\":1}'\n"
    )
    whoami = f'wrk.headers["Cookie"] = "{session}"\n'
    return {
        "GET a hero": ("/heroes/1", None),
        "POST a recruit": ("/heroes/", recruit),
        "GET the roster": ("/heroes/", None),
        "POST a login": ("/me/login", login),
        "GET who am I": ("/me/", whoami),
    }


def _wrk(url: str, seconds: float, script: str | None) -> dict[str, float]:
    command = ["wrk", "--latency", "-t1", "-c16", f"-d{seconds:g}s", "--timeout", "5s"]
    with tempfile.TemporaryDirectory() as folder:
        if script is not None:
            (Path(folder) / "op.lua").write_text(script)
            command += ["-s", str(Path(folder) / "op.lua")]
        done = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
        )
    result = wrk.parse(done.stdout)
    if result.errors:
        raise RuntimeError(f"{result.errors} failed requests to {url}:\n{done.stdout}")
    return {"rps": result.requests_per_second, "p50_ms": result.p50_ms}


def _http(base_url: str, requests: int, seconds: float) -> dict[str, dict[str, float]]:
    servers.recruit(base_url, ROSTER)
    login = httpx2.post(f"{base_url}/me/login", json={"hero_id": 1}, timeout=10)
    session = login.headers["set-cookie"].split(";")[0]
    results = {}
    # Both modes run the operations in the same order, so each sees the same roster size.
    if wrk.available():  # the server is the bottleneck, not a Python client
        for name, (path, script) in _wrk_scripts(session).items():
            results[name] = _wrk(base_url + path, seconds, script)
        return results
    for name, make in _operations(session).items():
        results[name] = asyncio.run(_throughput(base_url, requests, make))
    return results


async def _fan_out(urls: list[str], listeners: int, messages: int) -> dict[str, float]:
    """One speaker at the first desk; listeners spread over every desk; delivery latency."""
    ws = [url.replace("http://", "ws://") + "/comms" for url in urls]
    connections = [await connect(ws[n % len(ws)], open_timeout=10) for n in range(listeners)]
    latencies: list[float] = []
    try:
        for number in range(messages):
            text = f"bench {number}"
            sent = time.perf_counter()
            await connections[0].send(json.dumps({"event": "chat", "text": text}))
            for connection in connections:
                while json.loads(await asyncio.wait_for(connection.recv(), 10)) != {"chat": text}:
                    pass
                latencies.append((time.perf_counter() - sent) * 1000)
    finally:
        await asyncio.gather(*(c.close() for c in connections), return_exceptions=True)
    return {"listeners": listeners, "p50_ms": percentile(latencies, 0.5)}


def measure(*, quick: bool) -> dict[str, Any]:
    """Each operation's requests/s in Redis mode over memory mode (1.0: as fast)."""
    requests, listeners, messages = (400, 50, 3) if quick else (2000, 200, 10)
    seconds = 1.0 if quick else 3.0
    with tempfile.TemporaryDirectory(prefix="hq-bench-redis-") as directory:
        try:
            redis_server = RedisServer(Path(directory), appendfsync="everysec")
        except RedisServerMissing as missing:
            return {"skipped": str(missing)}
        redis_server.start()
        try:
            with _desks(1, None) as (memory_url,):
                memory = _http(memory_url, requests, seconds)
                memory_fanout = asyncio.run(_fan_out([memory_url], listeners, messages))
            with _desks(2, redis_server.url) as redis_urls:
                redis = _http(redis_urls[0], requests, seconds)
                redis_fanout = asyncio.run(_fan_out(redis_urls, listeners, messages))
        finally:
            redis_server.stop()
    operations = [
        {
            "operation": name,
            "memory_rps": round(memory[name]["rps"]),
            "redis_rps": round(redis[name]["rps"]),
            "ratio": round(ratio(redis[name]["rps"], memory[name]["rps"]), 2),
            "memory_p50_ms": round(memory[name]["p50_ms"], 2),
            "redis_p50_ms": round(redis[name]["p50_ms"], 2),
        }
        for name in memory
    ]
    fanout = {
        "listeners": listeners,
        "memory_one_desk_p50_ms": round(memory_fanout["p50_ms"], 2),
        "redis_two_desks_p50_ms": round(redis_fanout["p50_ms"], 2),
        "ratio": round(ratio(memory_fanout["p50_ms"], redis_fanout["p50_ms"]), 2),
    }
    client = "wrk, 16 connections" if wrk.available() else f"{CONCURRENCY} Python clients"
    return {"client": client, "operations": operations, "comms_fanout": fanout}


def render(results: dict[str, Any]) -> str:
    if "skipped" in results:
        return f"\nRedis beside memory: skipped ({results['skipped']})"
    lines = [
        f"\nRedis beside memory ({results['client']}, one uvicorn worker per desk;"
        " ratio = Redis/memory requests per second)",
        f"  {'operation':<16} {'memory req/s':>13} {'redis req/s':>12} {'ratio':>6}",
    ]
    for row in results["operations"]:
        lines.append(
            f"  {row['operation']:<16} {row['memory_rps']:>13} {row['redis_rps']:>12}"
            f" {row['ratio']:>6.2f}"
        )
    fan = results["comms_fanout"]
    lines.append(
        f"  comms fan-out to {fan['listeners']} listeners: p50 {fan['memory_one_desk_p50_ms']} ms"
        f" in memory (one desk), {fan['redis_two_desks_p50_ms']} ms on Redis across two desks"
        f" (ratio {fan['ratio']:.2f})"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(measure(quick=True)))
