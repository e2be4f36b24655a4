"""Driving Debian's wrk against a server and reading its report."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-HQ-Badge"] = "hq-badge-007"
wrk.body = '{"name":"Bench","power":"speed","wattage":42}'
"""


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def available() -> bool:
    return shutil.which("wrk") is not None


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse(output: str) -> LoadResult:
    """Requests/sec, the 50% and 99% latencies and errors from `wrk --latency` output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not (rps and p50 and p99):
        raise ValueError(f"wrk output not understood:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*?(\d+).*?(\d+).*?(\d+).*?(\d+)", output)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(g) for g in socket_errors.groups())
    return LoadResult(
        float(rps.group(1)), _milliseconds(p50.group(1)), _milliseconds(p99.group(1)), count
    )


def run(url: str, *, seconds: float, connections: int = 32, post: bool = False) -> LoadResult:
    """One wrk run on one thread (the other core serves), `connections` keep-alive connections."""
    command = ["wrk", "--latency", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s"]
    with tempfile.TemporaryDirectory() as folder:
        if post:
            script = Path(folder) / "post.lua"
            script.write_text(POST_SCRIPT)
            command += ["-s", str(script)]
        completed = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
        )
    return parse(completed.stdout)
