"""A private redis-server on a free loopback port, in a directory of its own, for tests and runs."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from hq_spec.live_server import free_port

START_SECONDS = 10.0
STOP_SECONDS = 5.0
INSTALL_HINT = (
    "install Debian's redis-server package (`apt-get install redis-server`; .ci/run does)"
)


class RedisServerMissing(RuntimeError):
    """There is no redis-server program on PATH."""


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")  # -LOADING while the AOF is read back
    except OSError:
        return False


class RedisServer:
    """redis-server with an append-only file fsynced on every write, so acknowledged data stays.

    `stop()` and `start()` again keep the port and the directory: a restart, as in production.
    """

    def __init__(self, directory: Path, *, appendfsync: str = "always") -> None:
        program = shutil.which("redis-server")
        if program is None:
            raise RedisServerMissing(f"redis-server is not on PATH: {INSTALL_HINT}")
        self.program = program
        self.directory = directory
        self.port = free_port()
        self.appendfsync = appendfsync
        self.log_path = directory / "redis.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, within: float = START_SECONDS) -> None:
        command = [
            self.program, "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(self.directory), "--appendonly", "yes",
            "--appendfsync", self.appendfsync, "--save", "", "--daemonize", "no",
            "--logfile", str(self.log_path),
        ]  # fmt: skip
        self._process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"redis-server exited at start:\n{self.log()}")
            if _answers_ping(self.port):
                return
            time.sleep(0.02)
        self.stop(kill=True)
        raise RuntimeError(f"redis-server did not answer within {within:g} s:\n{self.log()}")

    def stop(self, *, kill: bool = False) -> None:
        """SIGTERM (Redis finishes its writes), or SIGKILL to lose it abruptly."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGCONT)  # a paused Redis could not act on SIGTERM
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_SECONDS)

    def pause(self) -> None:
        """Freeze Redis (SIGSTOP): connections stay open but nothing answers, as in a partition."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""
