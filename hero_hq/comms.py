"""The comms WebSocket: chat frames reach every connected hero; bad frames get an error frame."""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any

import anyio
import anyio.lowlevel
from pydantic import ValidationError
from pydantic_core import from_json
from starlette.websockets import WebSocket, WebSocketDisconnect

from hero_hq.bodies import plain_errors
from hero_hq.comms_hub import Hub
from hero_hq.comms_room import OUTBOX_FRAMES, Member
from hero_hq.errors import envelope
from hero_hq.models import ChatMessage
from hero_hq.rates import Rate
from hero_hq.state import hq_state
from hero_hq.store import StoreUnavailable

MAX_FRAME_BYTES = 64 * 1024
FRAGMENT_CHARS = 120
SENDER_WAIT_SECONDS = 0.01
KNOWN_EVENTS = ["chat"]
# RFC 6455 close codes: 1013 "try again later", 1008 "policy violation" (stalled listener),
# 1011 "internal error" (the store was lost mid-conversation).
CLOSE_FULL, CLOSE_STALLED, CLOSE_STORE_LOST = 1013, 1008, 1011
STORE_UNAVAILABLE = "HQ cannot reach its store just now; comms are closed, try again shortly"


log = logging.getLogger("hero_hq")


class FrameError(Exception):
    """A frame HQ cannot act on; the sender is told, and the connection stays open."""

    def __init__(self, message: str, detail: dict[str, Any]) -> None:
        super().__init__(message)
        self.detail = detail
        self.frame = _dumps(envelope("websocket_validation_error", message, detail))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_JSON_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    type(None): "null",
}


def _json_type(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), "number")


def parse_frame(text: str) -> str:
    """The broadcast a text frame asks for, or a FrameError saying what is wrong with it."""
    size = len(text.encode())
    if size > MAX_FRAME_BYTES:
        raise FrameError("frame too large", {"size": size, "limit": MAX_FRAME_BYTES})
    try:
        # pydantic's parser bounds nesting and number size and refuses lone surrogates (which
        # could not be echoed back), where json.loads would raise RecursionError and friends.
        frame = from_json(text, allow_inf_nan=False)
    except ValueError as error:
        raise FrameError(
            f"invalid JSON frame: {error}", {"fragment": text[:FRAGMENT_CHARS]}
        ) from None
    if not isinstance(frame, dict):
        raise FrameError(
            "frame must be a JSON object with an 'event' field", {"received": _json_type(frame)}
        )
    event = frame.get("event")
    if not isinstance(event, str):
        raise FrameError("frame missing required 'event' field", {"frame_keys": list(frame)})
    if event not in KNOWN_EVENTS:
        raise FrameError(f"no handler for event '{event}'", {"event": event, "known": KNOWN_EVENTS})
    payload = frame.get("data", frame)
    try:
        chat = ChatMessage.model_validate(payload)
    except ValidationError as error:
        raise FrameError(
            "validation error", {"event": event, "errors": plain_errors(error, root="data")}
        ) from None
    return _dumps({"chat": chat.text})


async def _deliver(websocket: WebSocket, member: Member) -> None:
    try:
        async with member.inbox:
            async for frame in member.inbox:
                await websocket.send_text(frame)
    except (WebSocketDisconnect, OSError, RuntimeError):
        # The client went away mid-send: end this connection only; the room carries on.
        member.cancel_scope.cancel()


_COULD_NOT_HANDLE = _dumps(
    envelope("websocket_internal_error", "HQ could not handle that frame; nothing was broadcast")
)


async def _tell_sender(member: Member, frame: str) -> bool:
    """Queue an error frame for its sender; False once the connection is being ended."""
    # The sender waits for its own error frames to go out: a client that floods HQ is slowed
    # down to the pace it reads at, instead of being dropped as stalled.
    try:
        await member.outbox.send(frame)
    except (anyio.ClosedResourceError, anyio.BrokenResourceError):
        return False  # stalled, or HQ is shutting down
    return True


def _too_fast(allowance: Rate, wait: float) -> FrameError:
    # A sender held to a rate is what lets a listener who keeps up never lose a message.
    error = FrameError(
        f"too many chats: at most {allowance.per_window} a second",
        {"limit": allowance.per_window, "retry_after_seconds": round(wait, 3)},
    )
    error.frame = _dumps(envelope("too_many_requests", str(error), error.detail))
    return error


async def _listen(websocket: WebSocket, hub: Hub, member: Member, allowance: Rate) -> None:
    while True:
        # A sender is not heard faster than it listens: while its own outbox is half full
        # (its error frames and echoes), HQ reads nothing more from it, so what the others say
        # always finds room and a fast talker is slowed, never dropped as stalled.
        while member.outbox.statistics().current_buffer_used >= OUTBOX_FRAMES // 2:
            await anyio.sleep(SENDER_WAIT_SECONDS)
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        try:
            if text is None:
                size = len(message.get("bytes") or b"")
                raise FrameError("no handler for binary frames", {"size": size})
            chat = parse_frame(text)
            wait = allowance.take("sender")
            if wait:
                raise _too_fast(allowance, wait)
            await hub.say(chat)
        except StoreUnavailable:
            hub.cut_off_everyone()  # nobody here can be heard elsewhere now: everyone is told
            return
        except FrameError as error:
            if not await _tell_sender(member, error.frame):
                return
        except Exception as error:
            # A frame HQ failed on is still only that sender's problem: one line in the log
            # (a traceback per frame would let a client fill the disk), and the sender is told.
            log.warning("comms: could not handle a frame: %s: %.200s", type(error).__name__, error)
            if not await _tell_sender(member, _COULD_NOT_HANDLE):
                return
        # Let the delivery tasks run between frames, so a burst does not pile up unsent.
        await anyio.lowlevel.checkpoint()


async def comms_endpoint(websocket: WebSocket) -> None:
    hub = hq_state(websocket).hub
    # Admitted before the handshake completes: once a client is connected, it hears everything.
    try:
        store_answers, member = hub.available, await hub.admit() if hub.available else None
    except StoreUnavailable:
        store_answers, member = False, None
    await websocket.accept()
    if not store_answers:
        # 1013 "try again later": this desk takes listeners again once its store is back.
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.send_text(_dumps(envelope("store_unavailable", STORE_UNAVAILABLE)))
            await websocket.close(CLOSE_FULL)
        return
    if member is None:
        detail = {"limit": hub.max_clients}
        await websocket.send_text(
            _dumps(envelope("comms_full", "the comms channel is full", detail))
        )
        await websocket.close(CLOSE_FULL)
        return
    try:
        with member.cancel_scope:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(_deliver, websocket, member)
                allowance = hq_state(websocket).rates.chat_rate()
                await _listen(websocket, hub, member, allowance)
                tasks.cancel_scope.cancel()
    except WebSocketDisconnect:
        pass
    finally:
        cut_off = await hub.depart(member)
        member.inbox.close()  # the delivery task may never have started to close it itself
    # The client may be gone already, in which case there is nobody left to tell.
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        if cut_off:
            await websocket.send_text(_dumps(envelope("store_unavailable", STORE_UNAVAILABLE)))
            await websocket.close(CLOSE_STORE_LOST, "HQ lost its store")
        elif member.stalled:
            await websocket.close(CLOSE_STALLED, "too slow: messages were piling up")
