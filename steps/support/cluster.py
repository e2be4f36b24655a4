"""HQ on several desks: K HQ processes sharing one redis-server, the cast spread across them."""

from __future__ import annotations

import shlex
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
import redis

from hq_spec.evidence import EvidenceLog
from hq_spec.live_server import ServerDidNotStart, ServerProcess
from steps.support.connection import CommsLink, Exchange, FeedReading
from steps.support.deadlines import WAIT_SECONDS
from steps.support.live import LiveHQ, LiveSocket
from steps.support.redis_server import RedisServer, RedisServerMissing

DESK_COMMAND = f"{shlex.quote(sys.executable)} -m hero_hq serve --port {{port}} --log-level warning"
# Where the cast sits: Volt at desk 1, Tide at desk 2, Gale at desk 3 (or desk 1 again with two
# desks), and so on; anyone else takes the next seat in the order they first act.
# Where HQ's own account of a desk's end of a comms connection breaking down is: the desks'
# output, shown with a failing scenario under that title (steps/fixtures.py).
HQS_ACCOUNT_ON_DESKS = "HQ's own account of it is in HQ desks' output"
SEATING = ("Volt", "Tide", "Gale", "Ember", "Sneaky", "the quartermaster", "mission control")


class SharedRedis:
    """One redis-server for a whole run (each xdist worker has its own), started on first use."""

    def __init__(self) -> None:
        self._server: RedisServer | None = None
        self._directory: tempfile.TemporaryDirectory[str] | None = None

    def server(self) -> RedisServer:
        if self._server is None:
            self._directory = tempfile.TemporaryDirectory(prefix="hq-cluster-redis-")
            # The specification checks behaviour, not durability: fsync once a second is enough.
            server = RedisServer(Path(self._directory.name), appendfsync="everysec")
            server.start()
            self._server = server
        return self._server

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None


class Desks:
    """One scenario's desks: HQ processes sharing one Redis under a namespace of their own."""

    def __init__(self, redis_server: RedisServer, count: int, command: str = DESK_COMMAND) -> None:
        self.redis_url = redis_server.url
        self.namespace = f"hq-spec-{uuid.uuid4().hex}"
        env = {"HQ_REDIS_URL": self.redis_url, "HQ_REDIS_NAMESPACE": self.namespace}
        self.servers = [ServerProcess(command, env=env) for _ in range(count)]

    def wait_until_listening(self, within: float) -> None:
        try:
            for server in self.servers:
                server.wait_until_listening(within=within)
        except ServerDidNotStart:
            self.stop()
            raise

    def output(self) -> str:
        return "\n".join(
            f"--- desk {n} ({server.base_url}) ---\n{server.output()}"
            for n, server in enumerate(self.servers, 1)
        )

    def stop(self) -> int:
        """Stop every desk and forget the scenario's keys; how many keys remain outside them."""
        for server in self.servers:
            server.stop()
        client = redis.Redis.from_url(self.redis_url, socket_timeout=5)
        try:
            leftovers = list(client.scan_iter(match=f"{self.namespace}:*", count=1000))
            if leftovers:
                client.unlink(*leftovers)
            # One scenario at a time per Redis: anything still there was written elsewhere.
            remaining = int(client.dbsize())
        finally:
            client.close()
        return remaining

    def discard_logs(self) -> None:
        for server in self.servers:
            server.discard_log()


class ClusterHQ(LiveHQ):
    """HQ as a cluster: each actor talks to their own desk, over real sockets."""

    def __init__(self, desks: Desks, evidence: EvidenceLog, *, timeout: float) -> None:
        urls = [server.base_url for server in desks.servers]
        super().__init__(urls[0], evidence, timeout=timeout)
        self.desk_urls = urls
        self._clients = [self.http] + [httpx2.Client(base_url=u, timeout=timeout) for u in urls[1:]]
        self._seats: dict[str, int] = {}  # actor -> desk index, once decided

    @property
    def desk_count(self) -> int:
        return len(self.desk_urls)

    def desk_clients(self) -> list[httpx2.Client]:
        """One HTTP client per desk, in desk order (thread-safe, for requests at once)."""
        return list(self._clients)

    def seat(self, actor: str, desk: int) -> None:
        """Put an actor at a desk (counting from 1) for the rest of the scenario."""
        self._seats[actor] = (desk - 1) % self.desk_count

    def desk_of(self, actor: str | None) -> int:
        if actor is None:
            return 0
        if actor not in self._seats:
            others = [name for name in self._seats if name not in SEATING]
            place = SEATING.index(actor) if actor in SEATING else len(SEATING) + len(others)
            self._seats[actor] = place % self.desk_count
        return self._seats[actor]

    @contextmanager
    def _at(self, desk: int) -> Iterator[None]:
        self.http, self.base_url = self._clients[desk], self.desk_urls[desk]
        try:
            yield
        finally:
            self.http, self.base_url = self._clients[0], self.desk_urls[0]

    def request(
        self,
        actor: str | None,
        method: str,
        path: str,
        *,
        headers: list[tuple[str, str]] | None = None,
        content: bytes | None = None,
    ) -> Exchange:
        desk = self.desk_of(actor) + 1
        return self.request_at(desk, actor, method, path, headers=headers, content=content)

    def request_at(
        self, desk: int, actor: str | None, method: str, path: str,
        *, headers: list[tuple[str, str]] | None = None, content: bytes | None = None,
    ) -> Exchange:  # fmt: skip
        """The same request, at a given desk (counting from 1) whoever's seat it is."""
        with self._at((desk - 1) % self.desk_count):
            # The evidence says where it happened: "Volt at desk 2".
            at_desk = None if actor is None else f"{actor} at desk {desk}"
            return super().request(at_desk, method, path, headers=headers, content=content)

    def read_feed(self, actor: str | None, path: str, *, within: float) -> FeedReading:
        with self._at(self.desk_of(actor)):
            return super().read_feed(actor, path, within=within)

    def open_comms(self, path: str, *, within: float, actor: str | None = None) -> CommsLink:
        url = self.desk_urls[self.desk_of(actor)].replace("http://", "ws://", 1) + path
        socket = LiveSocket(url, within=within, account=HQS_ACCOUNT_ON_DESKS)
        self._sockets.append(socket)
        return socket

    def close(self) -> None:
        super().close()
        for client in self._clients[1:]:
            client.close()


SHARED_REDIS = SharedRedis()
DESKS_KEY = pytest.StashKey[Desks]()
CLUSTER_FAILURE_KEY = pytest.StashKey[str]()


def cluster_connection(
    request: pytest.FixtureRequest, count: int, evidence: EvidenceLog
) -> Iterator[ClusterHQ]:
    """This scenario's desks, started fresh and stopped afterwards, leaving nothing in Redis."""
    earlier_failure = request.config.stash.get(CLUSTER_FAILURE_KEY, None)
    if earlier_failure is not None:
        pytest.fail(f"HQ's desks never started for an earlier scenario:\n{earlier_failure}", False)
    try:
        desks = Desks(SHARED_REDIS.server(), count)
        request.node.stash[DESKS_KEY] = desks
        desks.wait_until_listening(within=request.config.getoption("--hq-server-wait"))
        failure = None
    except (ServerDidNotStart, RedisServerMissing, RuntimeError) as error:
        failure = str(error)
    if failure is not None:
        request.config.stash[CLUSTER_FAILURE_KEY] = failure
        pytest.fail(failure, pytrace=False)
    connection = ClusterHQ(desks, evidence, timeout=WAIT_SECONDS)
    yield connection
    connection.close()
    leftovers = desks.stop()
    desks.discard_logs()
    if leftovers:  # the desks wrote outside their namespace: a bug in HQ's store
        pytest.fail(f"{leftovers} keys were left in Redis outside the desks' namespace", False)
