"""The scenario's world: a fresh HQ (in-process, or a live server per scenario) and its cast."""

from __future__ import annotations

import importlib
import os
import shlex
import sys
from collections.abc import Callable, Generator, Iterator

import pytest
from starlette.applications import Starlette

from hero_hq.main import build_app
from hq_spec.evidence import evidence_log
from hq_spec.live_server import STARTUP_SECONDS, ServerDidNotStart, ServerProcess
from steps.support.agency import Agency
from steps.support.cast import QUARTERMASTER_BADGE, Cast
from steps.support.cluster import DESKS_KEY, SHARED_REDIS, cluster_connection
from steps.support.connection import HQConnection
from steps.support.deadlines import WAIT_SECONDS
from steps.support.event_loop import SHARED_LOOP
from steps.support.in_process import InProcessHQ
from steps.support.live import LiveHQ

# Scenarios that need the app object itself (its lifespan, its settings) carry this tag.
IN_PROCESS_TAG = "in-process"
SERVER_KEY = pytest.StashKey[ServerProcess]()
# Once a server command has failed to start, every later scenario fails at once with the same words.
STARTUP_FAILURE_KEY = pytest.StashKey[str]()
UVICORN = f"{shlex.quote(sys.executable)} -m hero_hq serve --port {{port}} --log-level warning"

# How HQ's app is built, once per scenario (hq_app_factory in the settings names it).
AppFactory = Callable[[], Starlette]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hq", "Hero HQ specification")
    group.addoption(
        "--hq-live", action="store_true",
        help="run each scenario against its own uvicorn server (hero_hq.main:app), over TCP",
    )  # fmt: skip
    group.addoption(
        "--hq-server", metavar="COMMAND", default=None,
        help='run each scenario against a server started from COMMAND, which must contain {port}, '
        'e.g. "uvicorn hero_hq.main:app --port {port}"',
    )  # fmt: skip
    group.addoption(
        "--hq-server-wait", metavar="SECONDS", type=float, default=STARTUP_SECONDS,
        help=f"how long a live server may take to accept connections (default {STARTUP_SECONDS:g})",
    )  # fmt: skip
    group.addoption(
        "--hq-app", metavar="MODULE:FACTORY", default=None,
        help="build each in-process HQ with this factory instead of hero_hq.main:build_app "
        "(e.g. tests.tutorial_hq:build_app, the tutorial's original HQ)",
    )  # fmt: skip
    group.addoption(
        "--hq-cluster", metavar="K", type=int, default=0,
        help="run each scenario against K HQ processes (desks) sharing one redis-server, "
        "the cast spread over the desks (Volt at desk 1, Tide at desk 2, ...)",
    )  # fmt: skip
    group.addoption(
        "--hq-badge", metavar="BADGE", default=None,
        help="the valid badge the quartermaster carries (default: first of HQ_BADGES, else dev)",
    )  # fmt: skip


def server_command(config: pytest.Config) -> str | None:
    """The live server command, or None for in-process runs."""
    command: str | None = config.getoption("--hq-server")
    if command:
        return command
    return UVICORN if config.getoption("--hq-live") else None


def pytest_configure(config: pytest.Config) -> None:
    command = config.getoption("--hq-server")
    if command is not None and "{port}" not in command:
        raise pytest.UsageError(
            f"--hq-server needs a command containing {{port}} (where HQ listens); got {command!r}"
        )
    desks = config.getoption("--hq-cluster")
    if desks and (desks < 1 or server_command(config) is not None):
        raise pytest.UsageError("--hq-cluster needs a number of desks of at least 1, on its own")


def pytest_unconfigure(config: pytest.Config) -> None:
    SHARED_REDIS.stop()
    # In-process scenarios share one event loop; close it, cancelling anything left behind.
    SHARED_LOOP.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if server_command(config) is None and not config.getoption("--hq-cluster"):
        return
    skip = pytest.mark.skip(reason="needs HQ in-process (its app object), not a live server")
    for item in items:
        if item.get_closest_marker(IN_PROCESS_TAG) is not None:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    server = item.stash.get(SERVER_KEY, None)
    if server is not None and report.failed and call.when == "call":
        report.sections.append((f"HQ server output ({server.command})", server.output()))
    desks = item.stash.get(DESKS_KEY, None)
    if desks is not None and report.failed and call.when == "call":
        report.sections.append(("HQ desks' output", desks.output()))
    return report


def _valid_badge(config: pytest.Config) -> str:
    badge: str | None = config.getoption("--hq-badge")
    if badge:
        return badge
    configured = [b.strip() for b in os.environ.get("HQ_BADGES", "").split(",") if b.strip()]
    return (configured or [QUARTERMASTER_BADGE])[0]


@pytest.fixture
def hq_app_factory(pytestconfig: pytest.Config) -> AppFactory:
    """What builds an in-process HQ: HQ's own build_app, or the factory --hq-app names."""
    # pytestconfig, not request: pytest builds a fresh fixture definition each time a fixture
    # asks for `request`, a measurable share of a simple scenario's cost.
    named: str | None = pytestconfig.getoption("--hq-app")
    if not named:
        return build_app
    module, _, factory = named.partition(":")
    built: AppFactory = getattr(importlib.import_module(module), factory)
    return built


@pytest.fixture
def hq_connection(
    request: pytest.FixtureRequest, hq_app_factory: AppFactory
) -> Iterator[HQConnection]:
    """A fresh HQ for this scenario only."""
    evidence = evidence_log(request.node)
    if request.config.getoption("--hq-cluster"):
        yield from cluster_connection(request, request.config.getoption("--hq-cluster"), evidence)
        return
    command = server_command(request.config)
    if command is None:
        connection: HQConnection = InProcessHQ(hq_app_factory(), evidence)
        yield connection
        connection.close()
        # The event loop is shared: a scenario must not leave anything running in it.
        leftovers = SHARED_LOOP.cancel_leftovers()
        if leftovers:
            pytest.fail(f"HQ was still running tasks after the scenario: {leftovers}", False)
        return
    earlier_failure = request.config.stash.get(STARTUP_FAILURE_KEY, None)
    if earlier_failure is not None:
        pytest.fail(f"HQ's server never started for an earlier scenario:\n{earlier_failure}", False)
    server = ServerProcess(command)
    request.node.stash[SERVER_KEY] = server
    try:
        server.wait_until_listening(within=request.config.getoption("--hq-server-wait"))
        failure = None
    except ServerDidNotStart as error:
        failure = str(error)
    if failure is not None:
        request.config.stash[STARTUP_FAILURE_KEY] = failure
        pytest.fail(failure, pytrace=False)
    connection = LiveHQ(server.base_url, evidence, timeout=WAIT_SECONDS)
    yield connection
    connection.close()
    server.stop()
    server.discard_log()


@pytest.fixture
def agency(hq_connection: HQConnection, pytestconfig: pytest.Config) -> Iterator[Agency]:
    """The scenario's HQ and its cast of actors."""
    world = Agency(hq_connection, Cast(_valid_badge(pytestconfig)))
    yield world
    for actor in world.cast.all():
        world.leave_comms(actor)
    if world.connection is not hq_connection:
        # A step swapped in an HQ built differently (operations._rebuild): it ends here too.
        world.connection.close()
