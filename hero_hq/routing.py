"""Path handling: trailing slashes do not matter, and error messages echo the path as sent."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

_REQUESTED_PATH = "hq.requested_path"


def requested_path(scope: Scope) -> str:
    """The path exactly as the client sent it, before trailing-slash folding."""
    path: str = scope.get(_REQUESTED_PATH, scope["path"])
    return path


class TrailingSlashFolding:
    """Serve `/heroes/` and `/heroes` alike, without a redirect, by folding one trailing slash."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] in ("http", "websocket") and len(path) > 1 and path.endswith("/"):
            # A copy: the server's own scope keeps the path as sent, so its access log tells
            # the truth about the request.
            scope = {**scope, _REQUESTED_PATH: path, "path": path[:-1]}
            raw_path = scope.get("raw_path")
            if raw_path and raw_path.endswith(b"/"):
                scope["raw_path"] = raw_path[:-1]
        await self.app(scope, receive, send)
