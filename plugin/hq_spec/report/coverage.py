"""API coverage: which documented operations and responses the scenarios actually exercised.

Any evidence entry counts, whatever its kind, when it names what it touched: a `request` with a
`method` and `path` (and a `response` with a `status`), as HTTP exchanges record, or the same three
fields at its top level (`method`, `path`, `status`), as a reading of a stream may. An entry with a
path and no method (a WebSocket conversation, say) covers the channel documented at that path: the
document's `paths`, and the WebSocket channels some projects list under `x-websockets`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
WEBSOCKET = "WEBSOCKET"


@dataclass
class ResponseCoverage:
    status: str
    description: str
    scenarios: dict[str, None] = field(default_factory=dict)  # an ordered set of names

    @property
    def server_fault(self) -> bool:
        """A 5xx answer: documented so clients know it, never a behaviour to specify."""
        return self.status.upper().startswith("5")


@dataclass
class OperationCoverage:
    method: str
    path: str
    summary: str
    responses: list[ResponseCoverage]
    scenarios: dict[str, None] = field(default_factory=dict)  # an ordered set of names

    @property
    def covered(self) -> bool:
        return bool(self.scenarios)


@dataclass
class Coverage:
    operations: list[OperationCoverage]

    @property
    def covered_operations(self) -> list[OperationCoverage]:
        return [op for op in self.operations if op.covered]

    @property
    def untouched_operations(self) -> list[OperationCoverage]:
        return [op for op in self.operations if not op.covered]

    @property
    def expected_responses(self) -> list[tuple[OperationCoverage, ResponseCoverage]]:
        """Every documented response a scenario could be expected to exercise (no 5xx)."""
        return [(op, r) for op in self.operations for r in op.responses if not r.server_fault]

    @property
    def untouched_responses(self) -> list[tuple[OperationCoverage, ResponseCoverage]]:
        """The gaps: documented responses no scenario saw, server faults aside."""
        return [(op, r) for op, r in self.expected_responses if not r.scenarios]

    @property
    def response_count(self) -> int:
        return len(self.expected_responses)


@dataclass(frozen=True)
class Touch:
    """What one evidence entry says it touched."""

    method: str  # upper case; "" when the entry names none
    path: str
    status: str  # "" when the entry names none


def touch_of(entry: dict[str, Any]) -> Touch | None:
    """The operation an evidence entry names, or None if it names no path."""
    request: dict[str, Any] = entry["request"] if isinstance(entry.get("request"), dict) else {}
    response: dict[str, Any] = entry["response"] if isinstance(entry.get("response"), dict) else {}
    path = request.get("path") or entry.get("path")
    if not isinstance(path, str) or not path:
        return None
    method = request.get("method") or entry.get("method") or ""
    status = response.get("status", entry.get("status", ""))
    return Touch(str(method).upper(), _normalise(path), "" if status is None else str(status))


def _normalise(path: str) -> str:
    path = path.split("?", 1)[0]
    return path.rstrip("/") or "/"


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", _normalise(template))
    regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


def documented_operations(openapi: dict[str, Any]) -> list[OperationCoverage]:
    operations = []
    for path, item in (openapi.get("paths") or {}).items():
        for method, operation in item.items():
            if method not in _METHODS or not isinstance(operation, dict):
                continue
            responses = [
                ResponseCoverage(str(status), response.get("description", ""))
                for status, response in (operation.get("responses") or {}).items()
            ]
            operations.append(
                OperationCoverage(method.upper(), path, operation.get("summary", ""), responses)
            )
    for path, channel in (openapi.get("x-websockets") or {}).items():
        summary = channel.get("summary") or channel.get("description", "") if channel else ""
        operations.append(OperationCoverage(WEBSOCKET, path, summary.split(". ")[0], []))
    return operations


def _matches(op: OperationCoverage, touch: Touch) -> bool:
    return not touch.method or op.method == touch.method  # no method: whatever is at the path


def api_coverage(openapi: dict[str, Any], evidence: list[tuple[str, dict[str, Any]]]) -> Coverage:
    """Match each (scenario, evidence entry) that names a path to the operation it exercised."""
    operations = documented_operations(openapi)
    patterns = [(_template_pattern(op.path), op) for op in operations]
    for scenario, entry in evidence:
        touch = touch_of(entry)
        if touch is None:
            continue
        for pattern, op in patterns:
            if pattern.match(touch.path) and _matches(op, touch):
                op.scenarios[scenario] = None
                for documented in op.responses:
                    if documented.status == touch.status:
                        documented.scenarios[scenario] = None
                break
    return Coverage(operations)
