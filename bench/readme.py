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
    machine = results.get("machine", {})
    note = (
        f"\nLatest full `make bench`: Python {machine.get('python', '?')}, "
        f"{machine.get('cores', '?')} cores, {results.get('seconds', '?')} s in all."
    )
    return "\n".join(lines) + "\n" + note


def update(readme: Path, results: dict[str, Any]) -> bool:
    """Replace the table between the markers; False (and nothing written) if they are missing."""
    text = readme.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        return False
    table = f"{START}\n{markdown(results)}\n{END}"
    readme.write_text(pattern.sub(lambda _: table, text, count=1))
    return True
