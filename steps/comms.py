"""Comms: the channel every hero hears, and what happens to messages HQ cannot understand."""

from __future__ import annotations

import json
import time
from typing import Any

from pytest_bdd import given, then, when

from hq_spec.mismatch import Mismatch, expect
from steps.support.agency import Agency
from steps.support.checks import details
from steps.support.deadlines import MIN_LISTEN_SECONDS, QUIET_SECONDS
from steps.support.vocabulary import one_of, phrase, size_words
from steps.support.wording import names_list, quoted_list

# The kinds of message HQ cannot act on, as a hero would describe them.
BAD_MESSAGES: dict[str, str | bytes] = {
    "a garbled message": "assemble, everyone!",
    "a list instead of a message": json.dumps(["chat", "assemble!"]),
    "a message of no stated kind": json.dumps({"text": "assemble!"}),
    "an invitation to dance": json.dumps({"event": "dance", "text": "shall we?"}),
    "binary data": b"\x00\x01assemble",
    "a chat whose text is a number": json.dumps({"event": "chat", "text": 123}),
}


# What HQ tells a sender, in HQ's language -> how HQ's error message starts.
COMPLAINTS = {
    "the message cannot be read": "invalid JSON frame",
    "a message must say what kind it is": "frame must be a JSON object with an 'event' field",
    "the message does not say what kind it is": "frame missing required 'event' field",
    "HQ has no such kind of message": "no handler for event",
    "HQ does not take binary data": "no handler for binary frames",
}
# A chat longer than this is told as its length, not quoted in full.
LONG_CHAT = 60


def _chat(text: str, **padding: str) -> str:
    return json.dumps({"event": "chat", "text": text, **padding}, ensure_ascii=False)


def _padded_chat(text: str, size: int) -> str:
    """A chat message with padding HQ ignores, exactly `size` bytes long."""
    empty = len(_chat(text, padding="").encode())
    if empty > size:
        raise ValueError(f"a chat of {text!r} cannot be as small as {size_words(size)}")
    return _chat(text, padding="x" * (size - empty))


def _said(text: object, *, by_length: bool = False) -> str:
    """A chat line as a hero would tell it: quoted, or by its length if long (or if asked)."""
    if isinstance(text, str) and (by_length or len(text) > LONG_CHAT):
        return f"a chat of {len(text)} character{'' if len(text) == 1 else 's'}"
    return f'"{text}"'


def _frame_in_words(frame: str | None, *, by_length: bool = False) -> str:
    """What a hero heard, as they would tell it."""
    if frame is None:
        return "nothing in time"
    try:
        message: Any = json.loads(frame)
    except json.JSONDecodeError:
        return "something unreadable"
    if isinstance(message, dict) and "chat" in message:
        return _said(message["chat"], by_length=by_length)
    if isinstance(message, dict) and isinstance(message.get("error"), dict):
        error = message["error"]
        return f'the complaint "{error.get("message")}" ({details(error.get("detail"))})'
    return "something that is neither a chat nor a complaint"


def _broke_down(agency: Agency, name: str) -> str | None:
    """Where HQ's own account is of its end of this hero's comms connection breaking down."""
    link = agency.cast.seen(name).link
    return link.broke_down if link is not None else None


def _breakdown_in_words(account: str) -> str:
    return f"HQ's comms connection broke down ({account})"


def _heard(agency: Agency, name: str, frame: str | None, *, by_length: bool = False) -> str:
    """What this hero heard, in words; hearing nothing because HQ's comms broke down says so."""
    broke_down = _broke_down(agency, name)
    if frame is None and broke_down is not None:
        return f"nothing: {_breakdown_in_words(broke_down)}"
    return _frame_in_words(frame, by_length=by_length)


def expect_to_hear(agency: Agency, name: str, text: str, *, by_length: bool = False) -> None:
    """What '<name> hears "<text>"' checks: the hero's next message is that chat."""
    frame = agency.hear(agency.cast.seen(name))
    heard: Any = None
    if frame is not None:
        try:
            heard = json.loads(frame)
        except json.JSONDecodeError:
            heard = None
    expect(
        heard == {"chat": text},
        expected=f"{name} to hear {_said(text, by_length=by_length)}",
        observed=f"{name} heard {_heard(agency, name, frame, by_length=by_length)}",
    )


def expect_silence(agency: Agency, names: list[str]) -> None:
    """What '<name> hears nothing' checks: no message, on a connection that could carry one."""
    # One listening window shared by everyone: heroes hear in parallel, so listening to each in
    # turn would only make the scenario slower, not surer.
    deadline = time.monotonic() + QUIET_SECONDS
    for name in names:
        remaining = max(deadline - time.monotonic(), MIN_LISTEN_SECONDS)
        frame = agency.hear(agency.cast.seen(name), within=remaining)
        expect(
            frame is None,
            expected=f"{name} to hear nothing more",
            observed=f"{name} heard {_frame_in_words(frame)}",
        )
        # Silence on a connection HQ's end of which broke down proves nothing about HQ.
        broke_down = _broke_down(agency, name)
        if broke_down is not None:
            raise Mismatch(
                f"{name} to hear nothing more",
                f"{name} could not have heard anything: {_breakdown_in_words(broke_down)}",
            )


def _complaint(agency: Agency, actor: str, told: str) -> dict[str, Any]:
    """The complaint HQ sent this hero next (failing if what came was something else)."""
    frame = agency.hear(agency.cast.seen(actor))
    message: Any = json.loads(frame) if frame is not None else None
    error = message.get("error") if isinstance(message, dict) else None
    if not isinstance(error, dict) or error.get("code") != "websocket_validation_error":
        observed = f"{actor} heard {_heard(agency, actor, frame)}"
        raise Mismatch(f"{actor} to be told {told}", observed)
    return error


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


@when(phrase("{actor:Actor} says a chat of {count:d} characters"))
def _(agency: Agency, actor: str, count: int) -> None:
    """Someone says a chat line exactly this many characters long."""
    agency.say(agency.cast[actor], _chat("x" * count))


@when(phrase('{actor:Actor} says "{text:Text}" in a message padded to {size:Size}'))
def _(agency: Agency, actor: str, text: str, size: int) -> None:
    """Someone says this in a message padded (with something HQ ignores) to exactly this size."""
    agency.say(agency.cast[actor], _padded_chat(text, size))


@then(phrase('{actor:Actor} hears "{text}"'))
def _(agency: Agency, actor: str, text: str) -> None:
    """The next thing this hero hears on comms is this message."""
    expect_to_hear(agency, actor, text)


@then(phrase("{actor:Actor} hears a chat of {count:d} characters"))
def _(agency: Agency, actor: str, count: int) -> None:
    """The next thing this hero hears is a chat line exactly this many characters long."""
    expect_to_hear(agency, actor, "x" * count, by_length=True)


@then(phrase('{names:Names} each hear "{text}" exactly once'))
def _(agency: Agency, names: list[str], text: str) -> None:
    """Each of these heroes hears this message, and then nothing more."""
    for name in names:
        expect_to_hear(agency, name, text)
    expect_silence(agency, names)


@then(phrase("{actor:Actor} hears {texts:Quoted} in that order"))
def _(agency: Agency, actor: str, texts: list[str]) -> None:
    """This hero hears exactly these messages, in this order."""
    heard: list[str] = []
    for text in texts:
        frame = agency.hear(agency.cast.seen(actor))
        heard.append(_heard(agency, actor, frame))
        expect(
            frame is not None and json.loads(frame) == {"chat": text},
            expected=f"{actor} to hear {quoted_list(texts)}, in that order",
            observed=f"{actor} heard {names_list(heard)}",
        )


@then(phrase("{actor:Actor} hears nothing"))
def _(agency: Agency, actor: str) -> None:
    """Nothing reaches this hero on comms (HQ listens a moment to be sure)."""
    expect_silence(agency, [actor])


@then(phrase("{actor:Actor} is told {complaint:Complaint}", Complaint=one_of(COMPLAINTS)))
def _(agency: Agency, actor: str, complaint: str) -> None:
    """HQ tells the sender, and only them, what is wrong with their message."""
    error = _complaint(agency, actor, complaint)
    said = str(error.get("message", ""))
    expect(
        said.startswith(COMPLAINTS[complaint]) and isinstance(error.get("detail"), dict),
        expected=f'{actor} to be told {complaint} ("{COMPLAINTS[complaint]}")',
        observed=f'{actor} was told "{said}"',
    )


@then(phrase("{actor:Actor} is told the chat {problem}"))
def _(agency: Agency, actor: str, problem: str) -> None:
    """HQ tells the sender, and only them, the one thing wrong with their chat line."""
    error = _complaint(agency, actor, f"the chat {problem}")
    detail = error.get("detail")
    listed = detail.get("errors", []) if isinstance(detail, dict) else []
    problems = [str(item.get("message")) for item in listed if isinstance(item, dict)]
    expect(
        problems == [problem],
        expected=f"{actor} to be told the chat {problem}",
        observed=f"{actor} was told the chat {names_list(problems) if problems else 'is fine'}",
    )


@then(phrase("{actor:Actor} is told the message is larger than {size:Size}"))
def _(agency: Agency, actor: str, size: int) -> None:
    """HQ tells the sender, and only them, that their message is over this size."""
    error = _complaint(agency, actor, f"the message is larger than {size_words(size)}")
    detail = error.get("detail")
    limit = detail.get("limit") if isinstance(detail, dict) else None
    expect(
        error.get("message") == "frame too large" and limit == size,
        expected=f"{actor} to be told the message is larger than {size_words(size)}",
        observed=f'{actor} was told "{error.get("message")}" ({details(detail)})',
    )


@then(phrase("{actor:Actor} can still be heard by {listener:Actor}"))
def _(agency: Agency, actor: str, listener: str) -> None:
    """The sender's connection still works: a new message reaches them and the listener."""
    agency.say(agency.cast.seen(actor), _chat("still with you?"))
    expect_to_hear(agency, actor, "still with you?")
    expect_to_hear(agency, listener, "still with you?")
