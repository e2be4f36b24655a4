"""Comms: the channel every hero hears, and what happens to messages HQ cannot understand."""

from __future__ import annotations

import json
import time

from pytest_bdd import given, then, when

from hero_hq.comms import MAX_FRAME_BYTES
from hq_spec.mismatch import Mismatch, expect
from steps.support.agency import Agency
from steps.support.deadlines import MIN_LISTEN_SECONDS, QUIET_SECONDS
from steps.support.vocabulary import one_of, phrase

# The kinds of message HQ cannot act on, as a hero would describe them.
BAD_MESSAGES: dict[str, str | bytes] = {
    "a garbled message": "assemble, everyone!",
    "a list instead of a message": json.dumps(["chat", "assemble!"]),
    "a message with no event": json.dumps({"text": "assemble!"}),
    "an invitation to dance": json.dumps({"event": "dance", "text": "shall we?"}),
    "binary data": b"\x00\x01assemble",
    "a chat whose text is a number": json.dumps({"event": "chat", "text": 123}),
    "an oversized message": json.dumps({"event": "chat", "text": "x" * MAX_FRAME_BYTES}),
}


# What HQ tells a sender, in HQ's language -> how HQ's error message starts.
COMPLAINTS = {
    "the message cannot be read": "invalid JSON frame",
    "a message must say what kind it is": "frame must be a JSON object with an 'event' field",
    "the message does not say what kind it is": "frame missing required 'event' field",
    "HQ has no such kind of message": "no handler for event",
    "HQ does not take binary data": "no handler for binary frames",
    "the chat is not in order": "validation error",
    "the message is too large": "frame too large",
}


def _chat(text: str) -> str:
    return json.dumps({"event": "chat", "text": text}, ensure_ascii=False)


def _expect_to_hear(agency: Agency, name: str, text: str) -> None:
    frame = agency.hear(agency.cast[name])
    wanted = json.dumps({"chat": text}, ensure_ascii=False, separators=(",", ":"))
    expect(
        frame is not None and json.loads(frame) == {"chat": text},
        expected=f"{name} to hear {wanted}",
        observed=f"{name} heard {frame}" if frame else f"{name} heard nothing in time",
    )


def _expect_silence(agency: Agency, names: list[str]) -> None:
    # One listening window shared by everyone: heroes hear in parallel, so listening to each in
    # turn would only make the scenario slower, not surer.
    deadline = time.monotonic() + QUIET_SECONDS
    for name in names:
        remaining = max(deadline - time.monotonic(), MIN_LISTEN_SECONDS)
        frame = agency.hear(agency.cast[name], within=remaining)
        expect(
            frame is None, expected=f"{name} to hear nothing more", observed=f"{name} heard {frame}"
        )


@given(phrase("{names:Names} are on comms"))
@given(phrase("{names:Names} is on comms"))
def _(agency: Agency, names: list[str]) -> None:
    """These heroes have each connected to the comms channel."""
    for name in names:
        agency.join_comms(agency.cast[name])


@when(phrase('{actor:Actor} says "{text:Text}"'))
def _(agency: Agency, actor: str, text: str) -> None:
    """Someone says this on the comms channel."""
    agency.say(agency.cast[actor], _chat(text))


@when(phrase("{actor:Actor} sends {message:BadMessage}", BadMessage=one_of(BAD_MESSAGES)))
def _(agency: Agency, actor: str, message: str) -> None:
    """Someone sends a message HQ cannot act on (garbled, binary, oversized...)."""
    agency.say(agency.cast[actor], BAD_MESSAGES[message])


@when(phrase("{actor:Actor} leaves comms"))
def _(agency: Agency, actor: str) -> None:
    """This hero disconnects from the comms channel."""
    agency.leave_comms(agency.cast[actor])


@then(phrase('{actor:Actor} hears "{text}"'))
def _(agency: Agency, actor: str, text: str) -> None:
    """The next thing this hero hears on comms is this message."""
    _expect_to_hear(agency, actor, text)


@then(phrase('{names:Names} each hear "{text}" exactly once'))
def _(agency: Agency, names: list[str], text: str) -> None:
    """Each of these heroes hears this message, and then nothing more."""
    for name in names:
        _expect_to_hear(agency, name, text)
    _expect_silence(agency, names)


@then(phrase("{actor:Actor} hears {texts:Quoted} in that order"))
def _(agency: Agency, actor: str, texts: list[str]) -> None:
    """This hero hears exactly these messages, in this order."""
    for text in texts:
        _expect_to_hear(agency, actor, text)


@then(phrase("{actor:Actor} hears nothing"))
def _(agency: Agency, actor: str) -> None:
    """Nothing reaches this hero on comms (HQ listens a moment to be sure)."""
    _expect_silence(agency, [actor])


@then(phrase("{actor:Actor} is told {complaint:Complaint}", Complaint=one_of(COMPLAINTS)))
def _(agency: Agency, actor: str, complaint: str) -> None:
    """HQ tells the sender, and only them, what is wrong with their message."""
    frame = agency.hear(agency.cast[actor])
    if frame is None:
        raise Mismatch(f"{actor} to be told {complaint}", f"{actor} heard nothing in time")
    error = json.loads(frame).get("error", {})
    expect(
        error.get("code") == "websocket_validation_error"
        and str(error.get("message", "")).startswith(COMPLAINTS[complaint])
        and isinstance(error.get("detail"), dict),
        expected=f"{actor} to be told {complaint} ({COMPLAINTS[complaint]!r})",
        observed=f"{actor} heard {frame[:300]}",
    )


@then(phrase("{actor:Actor} can still be heard by {listener:Actor}"))
def _(agency: Agency, actor: str, listener: str) -> None:
    """The sender's connection still works: a new message reaches them and the listener."""
    agency.say(agency.cast[actor], _chat("still with you?"))
    _expect_to_hear(agency, actor, "still with you?")
    _expect_to_hear(agency, listener, "still with you?")
