"""Path handling: trailing slashes do not matter (never a redirect); errors echo the path sent."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

_REQUESTED_PATH = "hq.requested_path"


def requested_path(scope: Scope) -> str:
    """The path exactly as the client sent it, before trailing-slash folding."""
    path: str = scope.get(_REQUESTED_PATH, scope["path"])
    return path


class TrailingSlashFolding:
    """Serve `/heroes`, `/heroes/` and `/heroes///` alike by folding every trailing slash.

    Starlette's own slash redirect is switched off in build_app(): it would fold one slash and
    answer the rest with a redirect to a URL built from the Host header.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] in ("http", "websocket") and len(path) > 1 and path.endswith("/"):
            # A copy: the server's own scope keeps the path as sent, so its access log tells
            # the truth about the request.
            scope = {**scope, _REQUESTED_PATH: path, "path": path.rstrip("/") or "/"}
            raw_path = scope.get("raw_path")
            if raw_path and raw_path.endswith(b"/"):
                scope["raw_path"] = raw_path.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)
