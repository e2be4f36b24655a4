"""A stand-in server whose comms break down, served by uvicorn for tests/test_live_comms.py.

HQ's own comms do not crash without a mutant, and a mutant cannot reach into a server process:
this app's do, with a real bug, so a live client meets a real server's end breaking down.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket


async def _crashes_at_the_first_message(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.receive_text()
    rooms: dict[str, Any] = {}
    rooms["hub"].say("assemble!")  # a real bug: KeyError, which the server logs


async def _closes_at_the_first_message(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.receive_text()
    reason = websocket.query_params.get("reason", "")
    await websocket.close(code=websocket.path_params["code"], reason=reason)


app = Starlette(
    routes=[
        WebSocketRoute("/comms", _crashes_at_the_first_message),
        WebSocketRoute("/closes/{code:int}", _closes_at_the_first_message),
    ]
)
