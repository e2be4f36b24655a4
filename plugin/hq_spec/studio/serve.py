"""`hq-spec studio`: serve the scenario studio on loopback and print its address."""

from __future__ import annotations

import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from hq_spec.studio.app import build_studio, is_loopback, listens_everywhere, reachable_names


def free_port(host: str, port: int = 0) -> int | None:
    """The port (a free one for 0) if it can be listened on at host, else None."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return None
        bound: int = probe.getsockname()[1]
        return bound


def serve(
    root: Path, features_dir: Path, *, host: str, port: int, also_at: Sequence[str] = ()
) -> int:
    if not features_dir.is_dir():
        print(f"hq-spec studio: {features_dir} is not a folder of features", file=sys.stderr)
        return 2
    if not is_loopback(host):
        print(
            f"hq-spec studio: serving on {host}, which other machines can reach: anyone who can "
            "open the printed address can edit features/ and run scenarios.",
            file=sys.stderr,
        )
    available = free_port(host, port)
    if available is None:
        print(
            f"hq-spec studio: port {port} is in use on {host} (is the studio already open?); "
            "choose another with --port, or --port 0 for any free one",
            file=sys.stderr,
        )
        return 2
    port = available
    app, studio = build_studio(root, features_dir, host=host, port=port, also_at=also_at)
    names = reachable_names(studio.settings)
    shown = names[0] if not listens_everywhere(host) else socket.getfqdn()
    print(
        f"hq-spec studio: open http://{shown}:{port}/ in your browser (Ctrl+C stops the studio)",
        flush=True,
    )
    if listens_everywhere(host) or also_at:
        print(
            f"hq-spec studio: it answers at {', '.join(names)}; "
            "--allow-host NAME adds another name it is reached at",
            flush=True,
        )
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:  # the app's lifespan does this too; here it also holds when uvicorn never started
        studio.runner.close()
        studio.vocabulary.close()
    return 0
