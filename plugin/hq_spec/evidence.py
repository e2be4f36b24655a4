"""Evidence a scenario gathers while it runs (an HTTP exchange, a message heard), secrets masked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from hq_spec import json_text
from hq_spec.masking import Masking, masking_of

# Evidence travels as a Cucumber attachment in the media type Cucumber's own report shows (as
# indented JSON, titled by its file name: the summary); a "kind" and a "summary" tell it apart.
EVIDENCE_MEDIA_TYPE = "application/json"
# One encoder for every body (json.dumps would build a new one for each piece of evidence).
_ENCODE = json_text.encoder()


@dataclass(frozen=True)
class Evidence:
    """One observation: a kind the project chooses ("http", ...), who observed it, a summary line
    a person can scan (e.g. "POST /heroes/ -> 201"), and JSON-serialisable detail. Any `headers`
    in the detail may be given as a mapping or as (name, value) pairs; they are masked on record.
    """

    kind: str
    actor: str | None
    summary: str
    payload: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "actor": self.actor, "summary": self.summary, **self.payload}

    def body(self) -> str:
        return _ENCODE(self.as_json())


def evidence_in(media_type: str, body: str) -> dict[str, Any] | None:
    """The evidence an attachment carries, or None when it is some other attachment."""
    if media_type != EVIDENCE_MEDIA_TYPE:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, Mapping) and "kind" in data and "summary" in data:
        return dict(data)
    return None


class UnknownEvidenceKind(ValueError):
    """A step recorded evidence of a kind the project's settings do not list."""


@dataclass
class EvidenceLog:
    """What the current scenario observed, already masked; reporters drain it after every step."""

    masking: Masking = field(default_factory=Masking)
    kinds: tuple[str, ...] = ()  # the kinds the project records; empty: any kind
    pending: list[Evidence] = field(default_factory=list)
    history: list[Evidence] = field(default_factory=list)

    def record(self, evidence: Evidence) -> None:
        if self.kinds and evidence.kind not in self.kinds:
            raise UnknownEvidenceKind(
                f"evidence of kind {evidence.kind!r} is not one of hq_spec_evidence_kinds "
                f"({', '.join(self.kinds)}): add it there, or record it as one of those"
            )
        payload = self.masking.evidence_payload(evidence.payload)
        safe = Evidence(
            evidence.kind, evidence.actor, self.masking.scrub(evidence.summary), payload
        )
        self.pending.append(safe)
        self.history.append(safe)

    def drain(self) -> list[Evidence]:
        """Hand over what was observed since the last drain (the current step's evidence)."""
        taken, self.pending = self.pending, []
        return taken

    def last(self, kind: str | None = None) -> Evidence | None:
        for evidence in reversed(self.history):
            if kind is None or evidence.kind == kind:
                return evidence
        return None


EVIDENCE_KEY = pytest.StashKey[EvidenceLog]()
KINDS_KEY = pytest.StashKey[tuple[str, ...]]()


def evidence_kinds_of(config: pytest.Config) -> tuple[str, ...]:
    """The evidence kinds the project configured (read once per run); empty when none are."""
    kinds = config.stash.get(KINDS_KEY, None)
    if kinds is None:
        try:
            kinds = tuple(config.getini("hq_spec_evidence_kinds"))
        except ValueError:  # hq_spec.settings (which declares it) is not loaded: any kind
            kinds = ()
        kinds = config.stash[KINDS_KEY] = kinds
    return kinds


def evidence_log(item: pytest.Item) -> EvidenceLog:
    """The evidence log of a test item, created on first use, masking as the project configured."""
    log = item.stash.get(EVIDENCE_KEY, None)
    if log is None:
        log = item.stash[EVIDENCE_KEY] = EvidenceLog(
            masking_of(item.config), evidence_kinds_of(item.config)
        )
    return log
