"""A `hero-hq serve` process on a free loopback port, measured from outside: memory, sockets, exit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hq_spec.live_server import free_port

DEV = {"HQ_BADGES": "hq-badge-007", "HQ_SESSION_SECRET": "hardening-secret-of-32-bytes-or-more"}
STARTUP_SECONDS = 15.0
# TCP states in /proc/net/tcp: 01 established, 0A listening.
_LISTEN = "0A"


class HQServer:
    """`python -m hero_hq serve` with a clean HQ_* environment; stopped (SIGKILL at worst) on exit."""

    def __init__(self, env: dict[str, str] | None = None, *args: str) -> None:
        self.port = free_port()
        clean = {k: v for k, v in os.environ.items() if not k.startswith("HQ_")}
        self._log = tempfile.NamedTemporaryFile(prefix="hq-hardening-", suffix=".log")  # noqa: SIM115
        command = [sys.executable, "-m", "hero_hq", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [*command, "--log-level", "warning", *args],
            env={**clean, **DEV, **(env or {})},
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        self._wait_until_listening()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/comms"

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"HQ exited at startup:\n{self.output()}"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError(f"HQ never listened on {self.port}:\n{self.output()}")

    def output(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_text(errors="replace")

    def _status(self, field: str) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise AssertionError(f"no {field} for HQ")

    def rss_mib(self) -> float:
        return self._status("VmRSS") / 1024

    def peak_rss_mib(self) -> float:
        return self._status("VmHWM") / 1024

    def connections(self) -> list[tuple[int, int]]:
        """HQ's side of each open TCP connection: (client port, bytes queued to send to it)."""
        found = []
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].split(":")[1], 16)
            if local_port != self.port or fields[3] == _LISTEN:
                continue
            remote_port = int(fields[2].split(":")[1], 16)
            send_queue = int(fields[4].split(":")[0], 16)
            found.append((remote_port, send_queue))
        return found

    def terminate(self, within: float) -> float:
        """SIGTERM; the seconds HQ took to exit (it is killed if it outlives `within`)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(within)
        except subprocess.TimeoutExpired:
            self.stop()
            return float("inf")
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def __enter__(self) -> HQServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self._log.close()
