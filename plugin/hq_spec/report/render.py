"""Rendering the living documentation page with Jinja2 (autoescaped) from the run's view."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from hq_spec.console import MARKS
from hq_spec.report.coverage import Coverage
from hq_spec.report.model import STATUSES, Run
from hq_spec.suggest import readable

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# The same marks as the console reporter, so a status looks alike wherever it is read.
ICONS: dict[str, str] = {**{str(k): v for k, v in MARKS.items()}, "unknown": "•"}
_SECRET_HEADERS = {"x-hq-badge", "cookie", "set-cookie"}
# Raw HTML in a README is shown as text: the page must not run anything it was not built with.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown(text: str) -> Markup:
    return Markup(_MARKDOWN.render(text))  # noqa: S704 - markdown-it escapes, html is off


def masked(headers: dict[str, str]) -> dict[str, str]:
    """Defence in depth: secrets are masked where evidence is recorded, and again here."""
    return {
        name: value if name.lower() not in _SECRET_HEADERS or "(masked)" in value else "…(masked)"
        for name, value in headers.items()
    }


def pretty(body: str) -> str:
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except (ValueError, TypeError):
        return body


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(markdown=markdown, masked=masked, pretty=pretty, readable=readable)
    environment.globals.update(icons=ICONS, statuses=STATUSES)
    return environment


def _tags(run: Run) -> list[str]:
    found: set[str] = set()
    for folder in run.folders:
        for feature in folder.features:
            found.update(feature.tags)
            for scenario in feature.scenarios:
                for each in scenario.runs:
                    found.update(each.tags)
    return sorted(found)


def render_page(run: Run, glossary: list[dict[str, Any]], coverage: Coverage | None) -> str:
    counts: Counter[str] = run.counts
    domains: dict[str, list[dict[str, Any]]] = {}
    for entry in glossary:
        domains.setdefault(str(entry.get("domain", "steps")), []).append(entry)
    template = _environment().get_template("living_docs.html.j2")
    return template.render(
        run=run, counts=counts, total=sum(counts.values()), tags=_tags(run),
        domains=domains, coverage=coverage,
    )  # fmt: skip
