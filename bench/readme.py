"""The README's benchmark table, rewritten from the latest full run between its two markers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bench import report

START, END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"


def markdown(results: dict[str, Any]) -> str:
    lines = ["| figure | measured | target | verdict |", "|---|---|---|---|"]
    for figure, value, target, verdict in report.rows(results):
        cells = (cell.replace("|", "\\|") for cell in (figure, value, target, verdict))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n\n" + when_measured(results)


def when_measured(results: dict[str, Any]) -> str:
    """Which run each part of the table comes from (parts may be measured again on their own)."""
    machine = results.get("machine", {})
    on = f"Python {machine.get('python', '?')}, {machine.get('cores', '?')} cores"
    if machine.get("unbuffered_output"):
        on += ", unbuffered output (PYTHONUNBUFFERED)"
    parts_at: dict[str, list[str]] = {}
    for part, stamp in results.get("measured_at", {}).items():
        parts_at.setdefault(stamp, []).append(part)
    if len(parts_at) <= 1:
        return f"Latest full `make bench`: {on}, {results.get('seconds', '?')} s in all."
    runs = "; ".join(f"{', '.join(parts)} on {stamp}" for stamp, parts in sorted(parts_at.items()))
    return f"Measured with {on}, part by part (`python -m bench --only PARTS`): {runs}."


def update(readme: Path, results: dict[str, Any]) -> bool:
    """Replace the table between the markers; False (and nothing written) if they are missing."""
    text = readme.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        return False
    table = f"{START}\n{markdown(results)}\n{END}"
    readme.write_text(pattern.sub(lambda _: table, text, count=1))
    return True
