"""API coverage: which documented operations and responses the scenarios actually exercised."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


@dataclass
class ResponseCoverage:
    status: str
    description: str
    scenarios: list[str] = field(default_factory=list)


@dataclass
class OperationCoverage:
    method: str
    path: str
    summary: str
    responses: list[ResponseCoverage]
    scenarios: list[str] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.scenarios)


@dataclass
class Coverage:
    operations: list[OperationCoverage]

    @property
    def untouched_operations(self) -> list[OperationCoverage]:
        return [op for op in self.operations if not op.covered]

    @property
    def untouched_responses(self) -> list[tuple[OperationCoverage, ResponseCoverage]]:
        return [(op, r) for op in self.operations for r in op.responses if not r.scenarios]

    @property
    def response_count(self) -> int:
        return sum(len(op.responses) for op in self.operations)


def _normalise(path: str) -> str:
    path = path.split("?", 1)[0]
    return path.rstrip("/") or "/"


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", _normalise(template))
    regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


def api_coverage(openapi: dict[str, Any], exchanges: list[tuple[str, dict[str, Any]]]) -> Coverage:
    """Match each exchange (method, path, status) to the documented operation it exercised."""
    operations = []
    for path, item in openapi.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            responses = [
                ResponseCoverage(status, response.get("description", ""))
                for status, response in operation.get("responses", {}).items()
            ]
            operations.append(
                OperationCoverage(method.upper(), path, operation.get("summary", ""), responses)
            )
    patterns = [(_template_pattern(op.path), op) for op in operations]
    for scenario, exchange in exchanges:
        request, response = exchange.get("request", {}), exchange.get("response", {})
        path, method = _normalise(request.get("path", "")), request.get("method", "")
        status = str(response.get("status", ""))
        for pattern, op in patterns:
            if op.method == method and pattern.match(path):
                if scenario not in op.scenarios:
                    op.scenarios.append(scenario)
                for documented in op.responses:
                    if documented.status == status and scenario not in documented.scenarios:
                        documented.scenarios.append(scenario)
                break
    return Coverage(operations)
