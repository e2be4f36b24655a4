"""The living documentation: one self-contained HTML page, built from the Cucumber Messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hq_spec.masking import Masking
from hq_spec.report.coverage import api_coverage
from hq_spec.report.model import read_run
from hq_spec.report.render import DEFAULT_TITLE, render_page


def write_report(
    messages: Path,
    out_dir: Path,
    *,
    features_dir: Path,
    glossary: list[dict[str, Any]],
    openapi: dict[str, Any] | None,
    title: str = DEFAULT_TITLE,
    masking: Masking | None = None,
) -> Path:
    """Write `out_dir/index.html` from the messages; returns its path.

    `openapi` is the document API coverage is measured against (none: no coverage section);
    `masking` names the project's secret headers and cookies, masked again on the page.
    """
    run = read_run(messages, features_dir)
    coverage = api_coverage(openapi, run.evidence()) if openapi else None
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    page = render_page(run, glossary, coverage, title=title, masking=masking)
    index.write_text(page, encoding="utf-8")
    return index


__all__ = ["Masking", "write_report"]
