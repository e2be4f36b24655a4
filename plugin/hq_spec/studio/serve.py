"""`hq-spec studio`: serve the scenario studio on loopback and print its address."""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

import uvicorn

from hq_spec.studio.app import build_studio

DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def serve(root: Path, features_dir: Path, *, host: str, port: int) -> int:
    if not features_dir.is_dir():
        print(f"hq-spec studio: {features_dir} is not a folder of features", file=sys.stderr)
        return 2
    if not is_loopback(host):
        print(
            f"hq-spec studio: serving on {host}, which other machines can reach: anyone who can "
            "open the printed address can edit features/ and run scenarios.",
            file=sys.stderr,
        )
    port = port or free_port(host)
    app, studio = build_studio(root, features_dir, host=host, port=port)
    shown = f"[{host}]" if ":" in host else host
    print(
        f"hq-spec studio: open http://{shown}:{port}/ in your browser (Ctrl+C stops the studio)",
        flush=True,
    )
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:  # the app's lifespan does this too; here it also holds when uvicorn never started
        studio.runner.close()
        studio.vocabulary.close()
    return 0
