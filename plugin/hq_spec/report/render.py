"""Rendering the living documentation page: a Jinja2 shell (autoescaped) around the run as JSON.

The page's script draws the requirements tree from the JSON, only what is on screen, and each
run's steps with `templates/steps.js` (styled by `templates/scenario.css`): the one rendering of
a scenario's steps and evidence, which other tools reuse with `page_data.run_steps`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from hq_spec.console import MARKS
from hq_spec.masking import DEFAULT_HEADERS, Masking
from hq_spec.report.coverage import Coverage
from hq_spec.report.formatting import duration, markdown, packed_json
from hq_spec.report.model import STATUSES, Run
from hq_spec.report.page_data import page_data
from hq_spec.suggest import readable

__all__ = ["DEFAULT_TITLE", "ICONS", "asset", "markdown", "masked", "render_page"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# The same marks as the console reporter, so a status looks alike wherever it is read.
ICONS: dict[str, str] = {**{str(k): v for k, v in MARKS.items()}, "unknown": "•"}
DEFAULT_TITLE = "Living documentation"
# Runs whose steps the page reads at once: small enough that reading them never delays a keystroke.
STEPS_PER_CHUNK = 250


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(readable=readable, duration=duration)
    env.globals.update(icons=ICONS, statuses=STATUSES)
    return env


def default_masking() -> Masking:
    return Masking.of(DEFAULT_HEADERS, [])


def masked(headers: Any, masking: Masking | None = None) -> dict[str, str]:
    """Evidence headers masked as the page masks them, for tools that show evidence elsewhere."""
    return (masking or default_masking()).headers_shown(headers)


@cache
def asset(name: str) -> Markup:
    """A stylesheet or script of ours, inlined as is: the page must open from disk, offline."""
    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))  # noqa: S704 - our own file


def render_page(
    run: Run,
    glossary: list[dict[str, Any]],
    coverage: Coverage | None,
    *,
    title: str = DEFAULT_TITLE,
    masking: Masking | None = None,
) -> str:
    tree, steps = page_data(run, coverage, masking or default_masking())
    tree["icons"] = ICONS
    tree["chunk"] = STEPS_PER_CHUNK
    chunks = [packed_json(steps[at : at + STEPS_PER_CHUNK])
              for at in range(0, len(steps), STEPS_PER_CHUNK)]  # fmt: skip
    titles = {folder.path: folder.title for folder in run.folders}
    template = environment().get_template("living_docs.html.j2")
    return template.render(
        title=title, run=run, counts=run.counts, steps=run.step_counts,
        total=sum(run.counts.values()), tags=tree["tags"], coverage=coverage,
        glossary=glossary_by_folder(glossary, titles),
        tree=packed_json(tree), step_chunks=chunks,
        css=asset("living_docs.css") + asset("scenario.css"),
        script=asset("steps.js") + asset("living_docs.js"),
    )  # fmt: skip


def glossary_by_folder(
    glossary: list[dict[str, Any]], titles: dict[str, str]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Phrases grouped by the capability folder of their first use; unused phrases last."""
    groups: dict[str, list[dict[str, Any]]] = {}
    unused: list[dict[str, Any]] = []
    for entry in glossary:
        location = entry.get("example_location")
        if not location:
            unused.append(entry)
            continue
        folder = str(location).rsplit(":", 1)[0].rpartition("/")[0]
        groups.setdefault(folder, []).append(entry)
    order = list(titles)

    def position(folder: str) -> tuple[int, str]:  # the page's order of folders
        return (order.index(folder) if folder in titles else len(order), folder)

    ordered = [(titles.get(f, f), groups[f]) for f in sorted(groups, key=position)]
    if unused:
        ordered.append(("Not used by any scenario yet", unused))
    return ordered
