"""Deliberately broken HQs ("mutants"), one scenario run each: does the specification notice?

Loaded as a pytest plugin (`-p tests.mutants`) by tests/test_spec_pins_behaviour.py. With
SPEC_MUTANTS naming mutants (one per line, or `all`), every scenario runs unbroken and once per
mutant its capability should catch, all in one process; with SPEC_MUTANTS unset it changes nothing.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import pytest
from pydantic import Field

from hero_hq import (
    comms,
    errors,
    guard,
    handlers,
    heroes,
    identity,
    missions,
    models,
    operations,
    roster,
    sessions,
    settings,
)
from hero_hq.comms_hub import Hub
from hero_hq.comms_room import Member
from hero_hq.responses import json_response


def _guard_lets_everyone_in(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(guard, "badge_is_valid", lambda presented, badges: True)


def _badge_case_ignored(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(
        guard,
        "badge_is_valid",
        lambda presented, badges: (
            presented is not None and presented.lower() in [b.lower() for b in badges]
        ),
    )


def _logout_keeps_session(mp: pytest.MonkeyPatch) -> None:
    async def keep(self: sessions.SessionStore, session_id: str) -> None:
        return None

    mp.setattr(sessions.SessionStore, "delete", keep)


def _roster_reversed(mp: pytest.MonkeyPatch) -> None:
    original = roster.Roster.listing_json

    async def reversed_listing(self: roster.Roster) -> bytes:
        await original(self)
        return b"[" + b",".join(reversed(self._json)) + b"]"

    mp.setattr(roster.Roster, "listing_json", reversed_listing)


def _feed_loses_close(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(missions, "FEED_EVENTS", missions.FEED_EVENTS[:-1])


def _feed_loses_sector(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(missions, "FEED_EVENTS", missions.FEED_EVENTS[:1] + missions.FEED_EVENTS[2:])


class _ChoosyHub:
    """A hub whose chats reach only the listeners `heard(listener, sender)` allows.

    The rest is the real hub's. A chat is told to this desk's room directly rather than relayed
    through the store: a mutation run is one desk, where the two reach the same listeners.
    """

    def __init__(self, hub: Hub, sender: Member, heard: Callable[[Member, Member], bool]) -> None:
        self._hub, self._sender, self._heard = hub, sender, heard

    def __getattr__(self, name: str) -> Any:
        return getattr(self._hub, name)

    async def say(self, frame: str) -> None:
        for listener in self._hub.room.members():
            if self._heard(listener, self._sender):
                self._hub.room.tell(listener, frame)


def _broadcast(heard: Callable[[Member, Member], bool]) -> Callable[[pytest.MonkeyPatch], None]:
    """HQ's own comms listening, whatever its signature, with a chat heard by fewer listeners."""

    def apply(mp: pytest.MonkeyPatch) -> None:
        real = comms._listen
        signature = inspect.signature(real)
        if not {"hub", "member"} <= signature.parameters.keys():
            # Refused here, the mutant fails its run plainly instead of crashing HQ's comms.
            raise TypeError(f"comms._listen{signature} no longer takes the hub and the member")

        @functools.wraps(real)
        async def listen(*args: Any, **kwargs: Any) -> None:
            called = signature.bind(*args, **kwargs)
            hub, sender = called.arguments["hub"], called.arguments["member"]
            called.arguments["hub"] = _ChoosyHub(hub, sender, heard)
            await real(*called.args, **called.kwargs)

        mp.setattr(comms, "_listen", listen)

    return apply


_broadcast_skips_sender = _broadcast(lambda listener, sender: listener is not sender)
_broadcast_only_to_sender = _broadcast(lambda listener, sender: listener is sender)


def _dispatch_not_recorded(mp: pytest.MonkeyPatch) -> None:
    async def forget(log: Any, hero: str) -> None:
        return None

    mp.setattr(missions, "_record", forget)


def _status_lies(mp: pytest.MonkeyPatch) -> None:
    async def always_online(request: Any) -> Any:
        return json_response({"hq": "online", "grid": True})

    mp.setattr(operations.status, "__code__", always_online.__code__)


def _hero_not_found_reworded(mp: pytest.MonkeyPatch) -> None:
    original = errors.HeroNotFound.__init__

    def reworded(self: errors.HeroNotFound, hero_id: int) -> None:
        original(self, hero_id)
        self.message = "hero missing"

    mp.setattr(errors.HeroNotFound, "__init__", reworded)


def _internal_error_reworded(mp: pytest.MonkeyPatch) -> None:
    original = handlers.envelope

    def reworded(code: str, message: str, detail: dict[str, Any] | None = None) -> dict[str, Any]:
        if code == "internal_error":
            message = "internal server error"
        return original(code, message, detail)

    mp.setattr(handlers, "envelope", reworded)


def _villain_code_changed(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(errors.VillainDetected, "code", "forbidden")


def _unauthorized_detail_dropped(mp: pytest.MonkeyPatch) -> None:
    original = errors.Unauthorized.__init__

    def no_detail(self: errors.Unauthorized, message: str, detail: Any = None, **kw: Any) -> None:
        original(self, message, {}, **kw)

    mp.setattr(errors.Unauthorized, "__init__", no_detail)


def _login_without_rotation(mp: pytest.MonkeyPatch) -> None:
    async def no_session(request: Any, state: Any) -> None:
        return None

    mp.setattr(identity, "current_session_id", no_session)


# Limits: each one moved a little, stricter and looser. ------------------------------------


def _body_limit(limit: int) -> Callable[[pytest.MonkeyPatch], None]:
    def apply(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(settings.Settings, "body_max_bytes", limit)

    return apply


def _paperwork_model(**fields: Any) -> type[models.CreateHero]:
    """CreateHero with some fields declared afresh (pydantic builds a new validator)."""
    namespace = {"__annotations__": dict(fields), "__module__": __name__}
    return type("MutantHero", (models.CreateHero,), namespace)


def _text_limits(shortest: int, longest: int) -> Callable[[pytest.MonkeyPatch], None]:
    # Blank names are refused as before; only the lengths move.
    pattern = r"\S" if shortest else r"^$|\S"
    label = Annotated[str, Field(min_length=shortest, max_length=longest, pattern=pattern)]

    def apply(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(heroes, "CreateHero", _paperwork_model(name=label, power=label))

    return apply


def _wattage_limits(lowest: int, highest: int) -> Callable[[pytest.MonkeyPatch], None]:
    wattage = Annotated[int, Field(ge=lowest, le=highest)]

    def apply(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(heroes, "CreateHero", _paperwork_model(wattage=wattage))

    return apply


def _chat_limits(shortest: int, longest: int) -> Callable[[pytest.MonkeyPatch], None]:
    text = Annotated[str, Field(min_length=shortest, max_length=longest)]

    def apply(mp: pytest.MonkeyPatch) -> None:
        chat = type(
            "MutantChat",
            (models.ChatMessage,),
            {"__annotations__": {"text": text}, "__module__": __name__},
        )
        mp.setattr(comms, "ChatMessage", chat)

    return apply


def _frame_limit(limit: int) -> Callable[[pytest.MonkeyPatch], None]:
    def apply(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(comms, "MAX_FRAME_BYTES", limit)

    return apply


def _pass_lifetime(days: int) -> Callable[[pytest.MonkeyPatch], None]:
    def apply(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(identity, "COOKIE_MAX_AGE", days * 24 * 3600)

    return apply


def _hero_number_digits(fewest: int, most: int) -> Callable[[pytest.MonkeyPatch], None]:
    def apply(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(heroes, "_HERO_ID", re.compile(rf"[0-9]{{{fewest},{most}}}", re.ASCII))

    return apply


def _development_badge_changed(mp: pytest.MonkeyPatch) -> None:
    original = settings.Settings.from_env.__func__  # type: ignore[attr-defined]

    def from_env(cls: type[settings.Settings], env: Any = None) -> settings.Settings:
        read = original(cls, env)
        if read.badges != settings.DEV_BADGES:
            return read  # badges configured on purpose stay as they are
        return read.model_copy(update={"badges": ("hq-badge-008",)})

    mp.setattr(settings.Settings, "from_env", classmethod(from_env))


KIB = 1024
LARGEST_WATTAGE = 2**53 - 1


@dataclass(frozen=True)
class Mutant:
    """A way to break HQ, and the capability (features folder) whose scenarios must notice."""

    apply: Callable[[pytest.MonkeyPatch], None]
    caught_in: str


# One broken HQ per limit the specification promises, stricter and looser.
LIMIT_MUTANTS: dict[str, Mutant] = {
    "paperwork at most 64 KiB less 1 byte": Mutant(_body_limit(64 * KIB - 1), "paperwork"),
    "paperwork up to 64 KiB and 1 byte": Mutant(_body_limit(64 * KIB + 1), "paperwork"),
    "names and powers at most 99 characters": Mutant(_text_limits(1, 99), "paperwork"),
    "names and powers up to 101 characters": Mutant(_text_limits(1, 101), "paperwork"),
    "names and powers at least 2 characters": Mutant(_text_limits(2, 100), "paperwork"),
    "names and powers may be empty": Mutant(_text_limits(0, 100), "paperwork"),
    "wattage at least 1": Mutant(_wattage_limits(1, LARGEST_WATTAGE), "paperwork"),
    "wattage may be -1": Mutant(_wattage_limits(-1, LARGEST_WATTAGE), "paperwork"),
    "wattage at most 2^53 - 2": Mutant(_wattage_limits(0, LARGEST_WATTAGE - 1), "paperwork"),
    "wattage up to 2^53": Mutant(_wattage_limits(0, LARGEST_WATTAGE + 1), "paperwork"),
    "chats at most 4095 characters": Mutant(_chat_limits(1, 4095), "comms"),
    "chats up to 4097 characters": Mutant(_chat_limits(1, 4097), "comms"),
    "chats at least 2 characters": Mutant(_chat_limits(2, 4096), "comms"),
    "chats may be empty": Mutant(_chat_limits(0, 4096), "comms"),
    "comms messages at most 64 KiB less 1 byte": Mutant(_frame_limit(64 * KIB - 1), "comms"),
    "comms messages up to 64 KiB and 1 byte": Mutant(_frame_limit(64 * KIB + 1), "comms"),
    "passes last 13 days": Mutant(_pass_lifetime(13), "identity"),
    "passes last 15 days": Mutant(_pass_lifetime(15), "identity"),
    "hero numbers at most 17 digits": Mutant(_hero_number_digits(1, 17), "roster"),
    "hero numbers up to 19 digits": Mutant(_hero_number_digits(1, 19), "roster"),
    "hero numbers at least 2 digits": Mutant(_hero_number_digits(2, 18), "roster"),
    "the development badge changed": Mutant(_development_badge_changed, "guard"),
}

MUTANTS: dict[str, Mutant] = {
    **LIMIT_MUTANTS,
    "guard lets everyone in": Mutant(_guard_lets_everyone_in, "guard"),
    "badge compared ignoring case": Mutant(_badge_case_ignored, "guard"),
    "logout does not revoke": Mutant(_logout_keeps_session, "identity"),
    "roster out of order": Mutant(_roster_reversed, "roster"),
    "feed loses its close event": Mutant(_feed_loses_close, "missions"),
    "feed loses a sector": Mutant(_feed_loses_sector, "missions"),
    "broadcast skips the sender": Mutant(_broadcast_skips_sender, "comms"),
    "broadcast skips everyone else": Mutant(_broadcast_only_to_sender, "comms"),
    "dispatch not recorded": Mutant(_dispatch_not_recorded, "missions"),
    "status lies": Mutant(_status_lies, "operations"),
    "hero_not_found message changed": Mutant(_hero_not_found_reworded, "roster"),
    "internal_error message changed": Mutant(_internal_error_reworded, "operations"),
    "villain_detected code changed": Mutant(_villain_code_changed, "guard"),
    "unauthorized detail dropped": Mutant(_unauthorized_detail_dropped, "identity"),
    "login keeps the old session": Mutant(_login_without_rotation, "identity"),
}
# The control: the specification with the plugin loaded but HQ unbroken, in every folder.
UNBROKEN = "unbroken"
# After its first catch a mutant counts as caught, and its other scenarios are skipped.
ENOUGH_CATCHES = 1
CATCHES_KEY = pytest.StashKey[dict[str, int]]()
# What HQ tells a hero on comms when handling what they said crashed (its own words for it).
COMMS_CRASH_WORDS = json.loads(comms._COULD_NOT_HANDLE)["error"]["message"]
# What a failing step observed when HQ itself crashed: its comms connection broke down, it
# answered with its internal error (in its error form or not), or told a hero on comms it could
# not handle what they said...
HQ_CRASHED = re.compile(
    r"^Observed: .*(HQ's comms connection broke down\b|\(internal_error\)|\(status 500\)|"
    + re.escape(COMMS_CRASH_WORDS)
    + ")",
    re.MULTILINE,
)
# ... unless that step asked for HQ's internal error: a scenario that breaks a part of HQ on purpose
# checks HQ's answer to it, and a mutant that changes that answer is caught there, not a crash.
ASKED_FOR_INTERNAL_ERROR = re.compile(r"^Expected: .*\(internal_error\)", re.MULTILINE)


def hq_crashed(message: str) -> bool:
    """Whether a scenario's failure message says HQ crashed where the step did not ask it to."""
    return (
        HQ_CRASHED.search(message) is not None and ASKED_FOR_INTERNAL_ERROR.search(message) is None
    )


def catches(message: str) -> bool:
    """Whether a scenario failed because HQ did something else: not a step broken, not HQ crashed.

    A mutant that only crashes HQ changes nothing the specification promises: it is itself
    broken (written for another HQ), and crashing is not what its name says it does.
    """
    return "Expected:" in message and not hq_crashed(message)


def selected() -> list[str]:
    """The mutants SPEC_MUTANTS names, one per line ('all' for every one), plus the control."""
    wanted = [line.strip() for line in os.environ.get("SPEC_MUTANTS", "").splitlines()]
    names = sorted(MUTANTS) if wanted == ["all"] else [name for name in wanted if name]
    unknown = [name for name in names if name not in MUTANTS]
    if unknown:
        raise pytest.UsageError(f"SPEC_MUTANTS names unknown mutants: {', '.join(unknown)}")
    return [UNBROKEN, *names] if names else []


@pytest.fixture(autouse=True)
def hq_mutant(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """HQ broken in this test's way (see pytest_generate_tests), undone afterwards."""
    name: str | None = getattr(request, "param", None)
    if name is None or name == UNBROKEN:
        yield name
        return
    patcher = pytest.MonkeyPatch()
    MUTANTS[name].apply(patcher)
    yield name
    patcher.undo()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each scenario runs once unbroken, and once per mutant its capability should catch."""
    names = selected()
    if not names or "hq_mutant" not in metafunc.fixturenames:
        return
    folder = metafunc.definition.path.parent.name
    runs = [n for n in names if n == UNBROKEN or MUTANTS[n].caught_in == folder]
    metafunc.parametrize("hq_mutant", runs, indirect=True)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[CATCHES_KEY] = {}


def pytest_runtest_setup(item: pytest.Item) -> None:
    name = _mutant_of(item)
    if name is not None and item.config.stash[CATCHES_KEY].get(name, 0) >= ENOUGH_CATCHES:
        pytest.skip(f"{name}: caught already")


def _mutant_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    name = callspec.params.get("hq_mutant") if callspec is not None else None
    return name if isinstance(name, str) else None


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Append each scenario's verdict, with its failure message, to SPEC_MUTANT_REPORT."""
    path = os.environ.get("SPEC_MUTANT_REPORT")
    if not path or not (report.when == "call" or report.failed):
        return
    mutant = dict(report.user_properties).get("hq_mutant")
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({
            "mutant": mutant, "test": report.nodeid, "outcome": report.outcome,
            "message": report.longreprtext if report.failed else "",
        }) + "\n")  # fmt: skip


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    name = _mutant_of(item)
    report.user_properties.append(("hq_mutant", name))
    if name is not None and report.failed and catches(report.longreprtext):
        caught = item.config.stash[CATCHES_KEY]
        caught[name] = caught.get(name, 0) + 1
    return report
