"""The deliberately broken HQs themselves: each changes what its name says, and breaks nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from hero_hq import comms
from hero_hq.main import build_app
from hq_spec.evidence import EvidenceLog
from steps.support.agency import Agency
from steps.support.cast import QUARTERMASTER_BADGE, Cast
from steps.support.event_loop import SharedEventLoop
from steps.support.in_process import InProcessHQ
from tests.mutants import MUTANTS

CHAT = '{"event": "chat", "text": "assemble!"}'
HEARD = '{"chat":"assemble!"}'


@pytest.mark.parametrize(
    ("mutant", "hearer", "left_out"),
    [
        ("broadcast skips the sender", "Tide", "Volt"),
        ("broadcast skips everyone else", "Volt", "Tide"),
    ],
)
def test_a_broadcast_mutant_changes_who_hears_a_chat_and_keeps_comms_working(
    loop: SharedEventLoop, monkeypatch: pytest.MonkeyPatch, mutant: str, hearer: str, left_out: str
) -> None:
    MUTANTS[mutant].apply(monkeypatch)
    agency = Agency(InProcessHQ(build_app(), EvidenceLog(), loop=loop), Cast(QUARTERMASTER_BADGE))
    try:
        volt, tide = agency.join_comms(agency.cast["Volt"]), agency.join_comms(agency.cast["Tide"])
        for _ in range(2):  # the connections outlive a chat: the mutant crashed nothing
            agency.say(agency.cast.seen("Volt"), CHAT)
            assert agency.hear(agency.cast.seen(hearer)) == HEARD
            assert agency.hear(agency.cast.seen(left_out), within=0.1) is None
        assert (volt.broke_down, tide.broke_down) == (None, None)
        # What HQ tells a sender alone is untouched: HQ's own listening runs under the mutant.
        agency.say(agency.cast.seen("Volt"), "assemble, everyone!")
        assert '"invalid JSON frame' in (agency.hear(agency.cast.seen("Volt")) or "")
    finally:
        agency.connection.close()


def test_a_broadcast_mutant_refuses_to_run_once_hq_listens_without_a_hub_or_member(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def listen_of_another_shape(websocket: Any, room: Any, allowance: Any) -> None:
        return None

    monkeypatch.setattr(comms, "_listen", listen_of_another_shape)
    with pytest.raises(TypeError, match=r"no longer takes the hub and the member"):
        MUTANTS["broadcast skips the sender"].apply(monkeypatch)
