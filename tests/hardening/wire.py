"""Raw WebSocket bytes on loopback, for clients no well-behaved library would be."""

from __future__ import annotations

import base64
import os
import socket

WAIT = 5.0


def handshake(
    port: int, *, extensions: str = "", receive_buffer: int | None = None
) -> tuple[socket.socket, str, bytes]:
    """Open /comms by hand: the socket, HQ's answer, and any frame bytes that came with it.

    A small `receive_buffer` makes a client whose queue fills at once.
    """
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    raw.settimeout(WAIT)
    raw.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    offer = f"Sec-WebSocket-Extensions: {extensions}\r\n" if extensions else ""
    raw.sendall(
        f"GET /comms HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"{offer}\r\n".encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += raw.recv(4096)
    head, _, rest = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101"), head
    return raw, head.decode(), rest


def frame_header(opcode: int, length: int, mask: bytes) -> bytes:
    """A masked client frame's header announcing `length` bytes of payload."""
    if length < 126:
        size = bytes([0x80 | length])
    elif length < 2**16:
        size = bytes([0x80 | 126]) + length.to_bytes(2, "big")
    else:
        size = bytes([0x80 | 127]) + length.to_bytes(8, "big")
    return bytes([0x80 | opcode]) + size + mask


def masked_frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return frame_header(opcode, len(payload), mask) + masked


def close_code(raw: socket.socket) -> int | None:
    """The code of the close frame HQ sends next (None if the socket just ends)."""
    data = b""
    while len(data) < 4:
        chunk = raw.recv(4096)
        if not chunk:
            return None
        data += chunk
    assert data[0] == 0x88, data[:16]  # a close frame, unfragmented
    return int.from_bytes(data[2:4], "big")
