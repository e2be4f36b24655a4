"""`hero-hq serve`: uvicorn started from code with HQ's safe settings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import uvicorn

from hero_hq.comms import MAX_FRAME_BYTES
from hero_hq.settings import Settings, SettingsError
from hero_hq.state import require_store

APP = "hero_hq.main:app"
# The comms protocol refuses (close 1009) any message over twice HQ's frame limit before it
# is buffered; a frame just over the limit still reaches HQ, whose error frame keeps the
# sender connected (README, Limits). Nothing is ever compressed, so nothing inflates.
WS_MAX_BYTES = 2 * MAX_FRAME_BYTES
# After SIGTERM, connections get this long to finish; then their tasks are cancelled, so HQ
# exits within 5 s whatever its clients do.
GRACEFUL_SHUTDOWN_SECONDS = 3
WS_PROTOCOL = "hero_hq.transport:BoundedCloseWebSocketProtocol"
LOG_LEVELS = ["critical", "error", "warning", "info", "debug", "trace"]


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hero-hq", description="Hero HQ, the agency API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve HQ under uvicorn with HQ's safe settings")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to bind (8000)")
    serve.add_argument("--workers", type=_positive, default=1, help="worker processes (1)")
    serve.add_argument("--log-level", choices=LOG_LEVELS, default="info")
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-For/-Proto from --forwarded-allow-ips (off unless asked)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default=None,
        metavar="IPS",
        help="comma-separated proxy addresses to trust with --proxy-headers (127.0.0.1)",
    )
    return parser


def uvicorn_options(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments for uvicorn.run: the command line plus HQ's fixed safe settings."""
    return {
        "host": options.host,
        "port": options.port,
        "workers": options.workers,
        "log_level": options.log_level,
        "proxy_headers": options.proxy_headers,
        "forwarded_allow_ips": options.forwarded_allow_ips,
        "ws": WS_PROTOCOL,
        "ws_max_size": WS_MAX_BYTES,
        "ws_per_message_deflate": False,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    if options.forwarded_allow_ips is not None and not options.proxy_headers:
        parser.error("--forwarded-allow-ips only makes sense with --proxy-headers")
    try:
        # Refuse a bad environment (or, in production, an unreachable store) in one line,
        # before anything listens.
        settings = Settings.from_env()
        require_store(settings)
    except SettingsError as error:
        print(f"hero-hq: {error}", file=sys.stderr)
        return 2
    if options.workers > 1 and settings.redis_url is None:
        print(
            f"hero-hq: --workers {options.workers} needs HQ_REDIS_URL: without a shared store "
            "each worker keeps its own roster, passes, mission log and comms",
            file=sys.stderr,
        )
        return 2
    uvicorn.run(APP, **uvicorn_options(options))
    return 0
