"""The studio's web application: its page, and a small JSON API confined to the features folder."""

from __future__ import annotations

import html
import ipaddress
import json
import secrets
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from hq_spec.report.render import ICONS, TEMPLATES
from hq_spec.studio.keywords import keywords_beginning
from hq_spec.studio.runner import Runner, RunnerError
from hq_spec.studio.tree import requirements_tree
from hq_spec.studio.vocabulary import Vocabulary, effective_keyword
from hq_spec.studio.workspace import MAX_FEATURE_BYTES, Workspace, WorkspaceError

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = MAX_FEATURE_BYTES + 16 * 1024  # a feature and the few fields around it
TOKEN_HEADER = "x-studio-token"  # noqa: S105 - a header name; the token is made per launch
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# The living documentation's own rendering of a run's steps, shown as it shows them.
LIVING_ASSETS = {"steps.js": "text/javascript", "scenario.css": "text/css"}


@dataclass(frozen=True)
class Settings:
    root: Path
    features_dir: Path
    host: str
    port: int
    token: str
    also_at: tuple[str, ...] = ()  # more names people reach the studio at (--allow-host)


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


def error(status: int, code: str, message: str, detail: Any = None) -> JSONResponse:
    """HQ's error envelope, so the page reads every refusal the same way."""
    return JSONResponse(
        {"error": {"code": code, "message": message, "detail": detail or {}}}, status_code=status
    )


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def listens_everywhere(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")  # noqa: S104 - naming the wildcard, not binding it


def reachable_names(settings: Settings) -> list[str]:
    """The names the studio answers at, as a browser would write them in the Host header.

    Bound to loopback: loopback's names. Bound to every interface: loopback's names and this
    machine's own (what a colleague types), as well as any --allow-host names. A page that
    reaches the studio under any other name is a DNS-rebinding page, and is refused.
    """
    names = [f"[{settings.host}]" if ":" in settings.host else settings.host]
    if is_loopback(settings.host):
        names += LOOPBACK_NAMES
    if listens_everywhere(settings.host):
        names = [*LOOPBACK_NAMES, socket.gethostname(), socket.getfqdn()]
    names += settings.also_at
    return list(dict.fromkeys(name.lower() for name in names if name))


def allowed_hosts(settings: Settings) -> set[str]:
    return {f"{name}:{settings.port}" for name in reachable_names(settings)}


class Guard:
    """Refuses what did not come from the studio's own page before any handler runs.

    The Host header must name the studio (a DNS-rebinding page names another host), an Origin, when
    sent, must be the studio's own, and every API call carries the token printed into the page at
    launch (another site cannot read the page, so it cannot know the token). Bodies are bounded.
    """

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.hosts = allowed_hosts(settings)
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self.refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, request: Request) -> Response | None:
        if request.headers.get("host", "").lower() not in self.hosts:
            return error(403, "wrong_host", "the studio answers only at its own address")
        origin = request.headers.get("origin")
        if origin is not None and origin not in self.origins:
            return error(403, "other_origin", "requests from another site are refused")
        if request.url.path.startswith("/api/"):
            sent = request.headers.get(TOKEN_HEADER, "")
            if not secrets.compare_digest(sent.encode(), self.settings.token.encode()):
                return error(403, "no_token", "open the studio from the address it printed")
            length = request.headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
                return error(
                    413, "too_large", f"a request may carry at most {MAX_BODY_BYTES} bytes"
                )
        return None


async def _body(request: Request) -> dict[str, Any]:
    """The JSON body, read with a bound even when no length was announced."""
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY_BYTES:
            raise Refused(413, "too_large", f"a request may carry at most {MAX_BODY_BYTES} bytes")
    try:
        body = json.loads(data or b"{}")
    except ValueError:
        raise Refused(400, "invalid_json", "the request is not JSON") from None
    if not isinstance(body, dict):
        raise Refused(400, "invalid_json", "the request must be a JSON object")
    return body


def _field(body: dict[str, Any], name: str, kind: type, *, required: bool = True) -> Any:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise Refused(422, "invalid_field", f"'{name}' must be {kind.__name__}", {"field": name})
    return value


Handler = Callable[[Request], Awaitable[Response]]


def guarded(handler: Callable[[Request], Awaitable[Any]]) -> Handler:
    """Each handler returns plain data; refusals become the error envelope."""

    async def endpoint(request: Request) -> Response:
        try:
            result = await handler(request)
        except Refused as refused:
            return error(refused.status, refused.code, refused.message, refused.detail)
        except WorkspaceError as refused:
            return error(refused.status, refused.code, refused.message)
        except RunnerError as broken:
            return error(503, "run_failed", str(broken))
        return result if isinstance(result, Response) else JSONResponse(result)

    return endpoint


class Studio:
    """The studio's state for one launch: the vocabulary, the workspace and the runner."""

    def __init__(self, settings: Settings, *, warm_runner: bool = True) -> None:
        self.settings = settings
        self.workspace = Workspace(settings.root, settings.features_dir)
        self.vocabulary = Vocabulary(settings.root, settings.features_dir)
        self.runner = Runner(settings.root, settings.features_dir)
        self.warm_runner = warm_runner

    def _text(self, body: dict[str, Any]) -> tuple[str, str]:
        path = _field(body, "path", str)
        self.workspace.resolve(path)
        text = _field(body, "text", str)
        if len(text.encode("utf-8")) > MAX_FEATURE_BYTES:
            raise Refused(413, "too_large", f"a feature may hold at most {MAX_FEATURE_BYTES} bytes")
        return path, text

    async def page(self, request: Request) -> Response:
        template = (STATIC / "studio.html").read_text(encoding="utf-8")
        page = template.replace("{{TOKEN}}", html.escape(self.settings.token, quote=True))
        page = page.replace("{{MARKS}}", html.escape(json.dumps(ICONS), quote=True))
        return HTMLResponse(page, headers=_page_headers())

    async def living_asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in LIVING_ASSETS:
            return error(404, "not_found", "no such file")
        return FileResponse(TEMPLATES / name, media_type=LIVING_ASSETS[name])

    async def tree(self, request: Request) -> Any:
        return {"folders": await run_in_threadpool(requirements_tree, self.settings.features_dir)}

    async def feature(self, request: Request) -> Any:
        opened = self.workspace.open(request.query_params.get("path", ""))
        return asdict(opened)

    async def check(self, request: Request) -> Any:
        path, text = self._text(await _body(request))
        findings = await run_in_threadpool(self.vocabulary.check, f"features/{path}", text)
        return {"problems": [asdict(finding) for finding in findings]}

    async def suggest(self, request: Request) -> Any:
        body = await _body(request)
        path, text = self._text(body)
        line = _field(body, "line", int)
        lines = text.split("\n")
        if not 1 <= line <= len(lines):
            raise Refused(
                422, "invalid_field", "'line' is not a line of the text", {"field": "line"}
            )
        written, step_type = effective_keyword(lines, line - 1)
        typed = lines[line - 1].strip()[len(written) :].lstrip() if written else ""
        if written not in ("Given", "When", "Then", "And", "But", "*"):
            keywords = [asdict(choice) for choice in keywords_beginning(lines, line - 1)]
            return {
                "keyword": written, "type": None, "typed": typed, "suggestions": [],
                "keywords": keywords,
            }  # fmt: skip
        found = self.vocabulary.suggest(step_type, typed, near=path)
        return {
            "keyword": written,
            "type": step_type,
            "typed": typed,
            "suggestions": [asdict(suggestion) for suggestion in found],
            "keywords": [],
        }

    async def run(self, request: Request) -> Any:
        body = await _body(request)
        path, text = self._text(body)
        line = _field(body, "line", int, required=False)
        findings = await run_in_threadpool(self.vocabulary.check, f"features/{path}", text)
        if findings:  # only phrases of the vocabulary ever run, and only from a readable feature
            raise Refused(
                422, "not_runnable", "fix the problems shown before running",
                {"problems": [asdict(finding) for finding in findings]},
            )  # fmt: skip
        return await run_in_threadpool(self.runner.run, path, text, line)

    async def preview(self, request: Request) -> Any:
        path, text = self._text(await _body(request))
        return self.workspace.preview(path, text)

    async def save(self, request: Request) -> Any:
        body = await _body(request)
        path, text = self._text(body)
        version = _field(body, "version", str, required=False)
        findings = self.vocabulary.check(f"features/{path}", text)
        unreadable = [f for f in findings if f.message.startswith("the feature cannot be read")]
        if unreadable:
            raise Refused(
                422, "unreadable", "Gherkin cannot read this feature; it was not saved",
                {"problems": [asdict(finding) for finding in unreadable]},
            )  # fmt: skip
        saved = self.workspace.save(path, text, version)
        return asdict(saved)

    def routes(self) -> list[Any]:
        return [
            Route("/", self.page),
            Route("/api/tree", guarded(self.tree)),
            Route("/api/feature", guarded(self.feature)),
            Route("/api/check", guarded(self.check), methods=["POST"]),
            Route("/api/suggest", guarded(self.suggest), methods=["POST"]),
            Route("/api/run", guarded(self.run), methods=["POST"]),
            Route("/api/preview", guarded(self.preview), methods=["POST"]),
            Route("/api/save", guarded(self.save), methods=["POST"]),
            Route("/static/living/{name}", self.living_asset),
            Mount("/static", StaticFiles(directory=STATIC)),
        ]


def _page_headers() -> dict[str, str]:
    return {
        "content-security-policy": (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'none'"
        ),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-store",
    }


def build_studio(
    root: Path, features_dir: Path, *, host: str = "127.0.0.1", port: int = 8765,
    token: str | None = None, warm_runner: bool = True, also_at: Sequence[str] = (),
) -> tuple[Starlette, Studio]:  # fmt: skip
    """The studio application for a project, and its state (for tests and the runner)."""
    settings = Settings(
        root.resolve(), features_dir.resolve(), host, port, token or secrets.token_urlsafe(24),
        tuple(also_at),
    )  # fmt: skip
    studio = Studio(settings, warm_runner=warm_runner)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if studio.warm_runner:  # in the background: the page opens while the runner warms up
            threading.Thread(target=studio.runner.warm, name="studio-warm", daemon=True).start()
        try:
            yield
        finally:
            studio.runner.close()
            studio.vocabulary.close()

    app = Starlette(routes=studio.routes(), lifespan=lifespan)
    app.add_middleware(Guard, settings=settings)
    return app, studio
