"""The living documentation: one self-contained HTML page, built from the Cucumber Messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hq_spec.report.coverage import api_coverage
from hq_spec.report.model import read_run
from hq_spec.report.render import render_page


def write_report(
    messages: Path,
    out_dir: Path,
    *,
    features_dir: Path,
    glossary: list[dict[str, Any]],
    openapi: dict[str, Any] | None,
) -> Path:
    """Write `out_dir/index.html` from the messages; returns its path."""
    run = read_run(messages, features_dir)
    coverage = api_coverage(openapi, run.http_evidence()) if openapi else None
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    index.write_text(render_page(run, glossary, coverage), encoding="utf-8")
    return index


__all__ = ["write_report"]
