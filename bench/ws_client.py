"""A deliberately light WebSocket listener for the fan-out benchmark: frames parsed by hand.

A thousand full clients in one Python process cost more per frame than HQ does to send it, so
they would measure themselves; these read unmasked server frames straight off the socket and
note when each text frame arrived, which keeps the clients' share of the latency small.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from collections.abc import Callable

HANDSHAKE = (
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
)
TEXT, CLOSE = 0x1, 0x8


class Listener(asyncio.Protocol):
    """One comms client: upgrades, then reports each text frame's words and arrival time."""

    def __init__(self, on_text: Callable[[str, float], None]) -> None:
        self._on_text = on_text
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None
        self.upgraded: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.upgraded.done():
            self.upgraded.set_exception(ConnectionError("HQ closed the connection"))

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if not self.upgraded.done():
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self._buffer[: self._buffer.find(b"\r\n")])
            del self._buffer[: end + 4]
            if b" 101 " not in status:
                self.upgraded.set_exception(ConnectionError(status.decode("latin-1")))
                return
            self.upgraded.set_result(None)
        self._frames()

    def _frames(self) -> None:
        buffer = self._buffer
        while len(buffer) >= 2:
            opcode, length, offset = buffer[0] & 0x0F, buffer[1] & 0x7F, 2
            if length == 126:
                if len(buffer) < 4:
                    return
                length, offset = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                if len(buffer) < 10:
                    return
                length, offset = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < offset + length:
                return
            payload = bytes(buffer[offset : offset + length])
            del buffer[: offset + length]
            if opcode == TEXT:
                self._on_text(payload.decode(), time.perf_counter())
            elif opcode == CLOSE:
                self.closed = True

    def send_text(self, text: str) -> None:
        """A masked text frame, as every client frame must be."""
        assert self._transport is not None
        payload, mask = text.encode(), os.urandom(4)
        size = len(payload)
        header = bytes([0x80 | TEXT])
        if size < 126:
            header += bytes([0x80 | size])
        else:
            header += bytes([0x80 | 126]) + size.to_bytes(2, "big")
        masked = bytes(byte ^ mask[n % 4] for n, byte in enumerate(payload))
        self._transport.write(header + mask + masked)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()


async def connect(
    host: str, port: int, path: str, on_text: Callable[[str, float], None]
) -> Listener:
    """A listener on ws://host:port/path, once HQ has accepted the upgrade."""
    loop = asyncio.get_running_loop()
    _, listener = await loop.create_connection(lambda: Listener(on_text), host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    assert listener._transport is not None
    listener._transport.write(HANDSHAKE.format(path=path, host=f"{host}:{port}", key=key).encode())
    await asyncio.wait_for(listener.upgraded, timeout=10)
    return listener


def chat_words(frame: str) -> str | None:
    """The words of a chat frame HQ relayed, or None for any other frame."""
    try:
        words = json.loads(frame).get("chat")
    except (ValueError, AttributeError):
        return None
    return words if isinstance(words, str) else None
