"""Evidence a scenario gathers while it runs: HTTP exchanges, feed events and comms frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

EvidenceKind = Literal["http", "feed", "comms"]


@dataclass(frozen=True)
class Evidence:
    """One observation, already masked: safe to print and to publish in the report."""

    kind: EvidenceKind
    actor: str | None
    summary: str  # one line a person can scan, e.g. "POST /heroes/ -> 201"
    payload: dict[str, Any]  # JSON-serialisable detail: method, path, status, headers, bodies...

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "actor": self.actor, "summary": self.summary, **self.payload}


@dataclass
class EvidenceLog:
    """What the current scenario observed; reporters drain it after every step."""

    pending: list[Evidence] = field(default_factory=list)
    history: list[Evidence] = field(default_factory=list)

    def record(self, evidence: Evidence) -> None:
        self.pending.append(evidence)
        self.history.append(evidence)

    def drain(self) -> list[Evidence]:
        """Hand over what was observed since the last drain (the current step's evidence)."""
        taken, self.pending = self.pending, []
        return taken

    def last(self, kind: EvidenceKind | None = None) -> Evidence | None:
        for evidence in reversed(self.history):
            if kind is None or evidence.kind == kind:
                return evidence
        return None


EVIDENCE_KEY = pytest.StashKey[EvidenceLog]()


def evidence_log(item: pytest.Item) -> EvidenceLog:
    """The evidence log of a test item, created on first use."""
    log = item.stash.get(EVIDENCE_KEY, None)
    if log is None:
        log = item.stash[EVIDENCE_KEY] = EvidenceLog()
    return log
