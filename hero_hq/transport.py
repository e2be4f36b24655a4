"""uvicorn's WebSocket protocol, where a close that cannot complete in bounded time aborts."""

from __future__ import annotations

import asyncio
import socket
import struct

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

# A peer that has not taken a frame off the wire for this long has stopped reading: sending
# it more (a close frame included) would wait forever behind a full kernel send queue.
SEND_STALL_SECONDS = 2.0
# How long a closing handshake (or a flush at the end) may take before the socket is dropped.
CLOSE_SECONDS = 1.0
# SO_LINGER on, zero seconds: closing resets the connection and frees its send queue at once,
# where a plain close leaves the kernel retrying a peer that never reads (FIN_WAIT1, orphaned).
_RESET_ON_CLOSE = struct.pack("ii", 1, 0)


class BoundedCloseWebSocketProtocol(WebSocketsSansIOProtocol):
    """Close means gone: a peer that stops reading loses its socket and its send queue."""

    def _abort(self) -> None:
        if self.disconnected:
            return
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET_ON_CLOSE)
        self.transport.abort()

    def _abort_later(self) -> None:
        self.loop.call_later(CLOSE_SECONDS, self._abort)

    async def send(self, message: ASGISendEvent) -> None:
        if not self.writable.is_set():  # the common case skips wait_for's task per frame
            try:
                await asyncio.wait_for(self.writable.wait(), SEND_STALL_SECONDS)
            except TimeoutError:
                self._abort()
                raise ClientDisconnected() from None
        await super().send(message)
        if message["type"] == "websocket.close" and self.close_timer is not None:
            # uvicorn would only *close* after its timeout, which waits for a flush that a
            # stalled peer never allows; abort instead.
            self.close_timer.cancel()
            self.close_timer = self.loop.call_later(CLOSE_SECONDS, self._abort)

    def on_task_complete(self, task: asyncio.Task[None]) -> None:
        super().on_task_complete(task)
        # The app is done with this connection; whatever is still queued for it gets a
        # bounded time to flush.
        self._abort_later()

    def shutdown(self) -> None:
        super().shutdown()
        self._abort_later()
