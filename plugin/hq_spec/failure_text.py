"""A failed scenario explained in HQ's language: the step, the reason, then the evidence."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hq_spec.evidence import Evidence, EvidenceLog
from hq_spec.mismatch import Mismatch

FRAMES_HINT = "(Python frames are folded away; run with --tb=long to see them.)"


def reason(error: BaseException) -> list[str]:
    """Why the step failed, in plain words."""
    if isinstance(error, Mismatch):
        return [f"Expected: {error.expected}", f"Observed: {error.observed}"]
    if isinstance(error, AssertionError):
        return [f"Reason: {error}" if str(error) else "Reason: a check in the step failed"]
    name = type(error).__name__
    if name == "StepDefinitionNotFoundError":
        return ["Reason: this step is not in the vocabulary.", *str(error).splitlines()[1:]]
    return [
        "The step itself broke (a problem in the specification's code, not a verdict on HQ):",
        f"  {name}: {error}",
    ]


def _body(text: str, limit: int = 600) -> str:
    with contextlib.suppress(ValueError, TypeError):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def describe_http(evidence: Evidence) -> list[str]:
    data: dict[str, Any] = evidence.payload
    request, response = data["request"], data["response"]
    who = f" (by {evidence.actor})" if evidence.actor else ""
    lines = [f"  {request['method']} {request['path']}{who}"]
    if request.get("body"):
        lines.append(f"    sent: {_body(request['body'])}")
    lines.append(f"  -> {response['status']}: {_body(response.get('body', ''))}")
    return lines


def evidence_lines(log: EvidenceLog | None) -> list[str]:
    """The last HTTP exchange, and the last feed reading and comms frames, if any."""
    if log is None or not log.history:
        return []
    lines: list[str] = []
    http = log.last("http")
    if http is not None:
        lines += ["Last exchange with HQ:", *describe_http(http)]
    feed = log.last("feed")
    if feed is not None:
        events = feed.payload.get("events", [])
        lines += [f"Feed ({feed.summary}):", *(f"  {e['event']}: {e['data']}" for e in events)]
    frames = [e for e in log.history if e.kind == "comms"][-6:]
    if frames:
        lines += ["Latest comms frames:", *(f"  {e.summary}" for e in frames)]
    return lines


def failure_text(
    keyword: str, text: str, location: str, error: BaseException, log: EvidenceLog | None
) -> str:
    lines = [f"Step failed: {keyword} {text}", f"  at {location}", "", *reason(error)]
    evidence = evidence_lines(log)
    if evidence:
        lines += ["", *evidence]
    lines += ["", FRAMES_HINT]
    return "\n".join(lines)
