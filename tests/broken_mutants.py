"""Mutants broken themselves, which only crash HQ: the mutation check must refuse them as catches.

Loaded as a pytest plugin (`-p tests.broken_mutants`, beside `-p tests.mutants`) by
tests/test_spec_pins_behaviour.py, it adds them to tests.mutants.MUTANTS for that run only.
"""

from __future__ import annotations

from typing import Any

import pytest

from hero_hq import comms, roster
from tests.mutants import MUTANTS, Mutant


def _listens_as_hq_once_did(mp: pytest.MonkeyPatch) -> None:
    # As the broadcast mutants were before: written for a _listen of three arguments, not four.
    async def listen(websocket: Any, hub: Any, member: Any) -> None:
        return None

    mp.setattr(comms, "_listen", listen)


def _roster_listing_crashes(mp: pytest.MonkeyPatch) -> None:
    async def listing_json(self: roster.Roster) -> bytes:
        raise RuntimeError("the roster's index is corrupt")

    mp.setattr(roster.Roster, "listing_json", listing_json)


BROKEN_MUTANTS = {
    "comms written for an older HQ": Mutant(_listens_as_hq_once_did, "comms"),
    "roster listing crashes": Mutant(_roster_listing_crashes, "roster"),
}


def pytest_configure(config: pytest.Config) -> None:
    MUTANTS.update(BROKEN_MUTANTS)
