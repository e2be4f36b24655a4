"""Live comms: a real server's end breaking down is told apart from its closing on purpose."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from hq_spec.evidence import EvidenceLog
from hq_spec.live_server import ServerProcess
from hq_spec.mismatch import Mismatch
from steps.comms import expect_silence, expect_to_hear
from steps.support.agency import Agency
from steps.support.cast import QUARTERMASTER_BADGE, Cast
from steps.support.live import HQS_ACCOUNT_LIVE, LiveHQ, LiveSocket
from tests.python_shapes import python_in
from tests.spec_run import ROOT

STAND_IN = (
    f"{shlex.quote(sys.executable)} -m uvicorn --app-dir {shlex.quote(str(ROOT))} "
    "tests.comms_that_break_down:app --port {port}"
)
CHAT = '{"event": "chat", "text": "assemble!"}'
BROKE_DOWN = f"HQ's comms connection broke down ({HQS_ACCOUNT_LIVE})"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    """The stand-in server (tests/comms_that_break_down.py) on a free loopback port."""
    process = ServerProcess(STAND_IN)
    try:
        process.wait_until_listening()
        yield process
    finally:
        process.stop()
        process.discard_log()


@pytest.fixture
def agency(server: ServerProcess) -> Iterator[Agency]:
    """An agency at the stand-in server, over real sockets; its connections closed afterwards."""
    agency = Agency(LiveHQ(server.base_url, EvidenceLog(), timeout=5), Cast(QUARTERMASTER_BADGE))
    yield agency
    agency.connection.close()


def test_silence_from_a_live_connection_whose_server_end_broke_down_fails(
    agency: Agency, server: ServerProcess
) -> None:
    agency.join_comms(agency.cast["Tide"])  # says nothing, so its connection keeps working
    agency.say(agency.cast["Volt"], CHAT)
    expect_silence(agency, ["Tide"])  # silence on a working connection is silence
    with pytest.raises(Mismatch) as failure:
        expect_silence(agency, ["Tide", "Volt"])
    said = str(failure.value)
    assert said == (
        f"expected Volt to hear nothing more, but Volt could not have heard anything: {BROKE_DOWN}"
    )
    assert python_in(said) == []
    assert "KeyError: 'hub'" in server.output()  # the account is where the failure says it is


def test_a_live_hero_whose_comms_broke_down_is_told_so_not_only_that_nothing_came(
    agency: Agency,
) -> None:
    agency.say(agency.cast["Volt"], CHAT)
    with pytest.raises(Mismatch) as failure:
        expect_to_hear(agency, "Volt", "assemble!")
    assert str(failure.value) == (
        f'expected Volt to hear "assemble!", but Volt heard nothing: {BROKE_DOWN}'
    )


# An internal error (1011) with no word of why is a breakdown; a goodbye (1000), "come back later"
# (1013, as HQ says when comms are full) or an internal error HQ explains (1011 "HQ lost its store",
# after telling the hero so) is HQ closing on purpose, after which silence is silence.
@pytest.mark.parametrize(
    ("code", "reason", "broke_down"),
    [
        (1011, "", HQS_ACCOUNT_LIVE),
        (1000, "", None),
        (1013, "", None),
        (1011, "HQ lost its store", None),
    ],
    ids=["internal error", "goodbye", "come back later", "store lost"],
)
def test_a_live_connection_broke_down_only_if_the_server_closed_it_for_an_internal_error(
    server: ServerProcess, code: int, reason: str, broke_down: str | None
) -> None:
    path = f"/closes/{code}?reason={quote(reason)}"
    url = server.base_url.replace("http://", "ws://", 1) + path
    socket = LiveSocket(url, within=5)
    try:
        socket.send_text(CHAT)
        assert socket.receive(within=5) is None
        assert socket.closed
        assert socket.broke_down == broke_down
    finally:
        socket.close()
