"""Start a server command on a free loopback port, wait until it listens, stop it afterwards."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTUP_SECONDS = 10.0
STOP_SECONDS = 5.0


class ServerDidNotStart(RuntimeError):
    """The server command exited, or never accepted connections, within the startup deadline."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _environment(extra: dict[str, str] | None) -> dict[str, str]:
    """The caller's environment, this Python's scripts first on PATH (so .venv/bin/uvicorn)."""
    scripts = os.path.dirname(sys.executable)
    path = os.environ.get("PATH", "")
    return {**os.environ, "PATH": f"{scripts}{os.pathsep}{path}", **(extra or {})}


class ServerProcess:
    """One server process for one scenario; its output is kept to explain failures."""

    def __init__(self, command: str, *, env: dict[str, str] | None = None) -> None:
        if "{port}" not in command:
            raise ValueError(f"the server command must contain {{port}}: {command!r}")
        self.port = free_port()
        self.command = command.replace("{port}", str(self.port))
        self._log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)  # noqa: SIM115
        self.log_path = Path(self._log.name)
        self._process = subprocess.Popen(  # noqa: S603 - the command is the operator's own choice
            shlex.split(self.command),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=_environment(env),
            start_new_session=True,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_listening(self, within: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerDidNotStart(
                    f"`{self.command}` exited with code {self._process.returncode} before "
                    f"accepting connections on port {self.port}.\n{self.output()}"
                )
            if _accepts(self.port):
                return
            time.sleep(0.02)
        self.stop()
        raise ServerDidNotStart(
            f"`{self.command}` did not accept connections on 127.0.0.1:{self.port} within "
            f"{within:.0f} s (does it listen on {{port}}?).\n{self.output()}"
        )

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-8000:]

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait(STOP_SECONDS)
        self._log.close()

    def discard_log(self) -> None:
        self.log_path.unlink(missing_ok=True)
