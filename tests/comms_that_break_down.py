"""A stand-in HQ whose comms break down: served by uvicorn for tests/test_live_comms.py, and
in-process for tests/test_in_process.py.

HQ's own comms do not crash without a mutant, and a mutant cannot reach into a server process:
this app's do, with a real bug, so a client meets a real server's end breaking down.
"""

from __future__ import annotations

from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket


async def _crashes_at_the_first_message(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.receive()
    rooms: dict[str, Any] = {}

    async def on_fire() -> None:
        rooms["hub"].say("assemble!")  # a real bug: KeyError, whose words are Python's "'hub'"

    async with anyio.create_task_group() as tasks:  # as HQ's comms runs: its crash is a group
        tasks.start_soon(on_fire)


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
