"""A failed step's data table against the table it observed, row by row, as a diff.

A step that compares a table raises a failure whose message ends with the table it observed, in
Gherkin's own notation under a line `Observed table:` (`hq_spec.mismatch.TableMismatch` writes
it so); the page then shows which rows were missing, unexpected or different.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from hq_spec.mismatch import OBSERVED_TABLE_HEADING

RowChange = Literal["same", "missing", "unexpected", "changed"]


@dataclass(frozen=True)
class DiffRow:
    change: RowChange
    cells: list[str]  # as expected; as observed for an unexpected row
    observed: list[str] | None = None  # a changed row's cells as observed

    def cell_changed(self, index: int) -> bool:
        if self.observed is None:
            return False
        mine = self.cells[index] if index < len(self.cells) else None
        theirs = self.observed[index] if index < len(self.observed) else None
        return mine != theirs

    @property
    def width(self) -> int:
        return max(len(self.cells), len(self.observed or []))


def observed_table(message: str) -> list[list[str]] | None:
    """The table a failure message reports under `Observed table:`, if it reports one."""
    lines = message.splitlines()
    for index, line in enumerate(lines):
        if line.strip() == OBSERVED_TABLE_HEADING:
            rows = []
            for row in lines[index + 1 :]:
                row = row.strip()
                if not (row.startswith("|") and row.endswith("|") and len(row) > 1):
                    break
                rows.append([_unescape(cell.strip()) for cell in _cells(row[1:-1])])
            return rows
    return None


def without_observed_table(message: str) -> str:
    """The message without its `Observed table:` block, for a page that shows the diff instead."""
    lines = message.splitlines()
    for index, line in enumerate(lines):
        if line.strip() == OBSERVED_TABLE_HEADING:
            rest = lines[index + 1 :]
            while rest and rest[0].strip().startswith("|"):
                rest = rest[1:]
            return "\n".join([*lines[:index], *rest]).rstrip()
    return message


def _cells(inner: str) -> list[str]:
    cells, current, escaped = [], "", False
    for char in inner:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append(current)
            current = ""
        else:
            current += char
    return [*cells, current]


def _unescape(cell: str) -> str:
    return cell.replace("\\|", "|").replace("\\n", "\n").replace("\\\\", "\\")


def table_diff(expected: list[list[str]], message: str) -> list[DiffRow] | None:
    """The expected table against the observed one the message carries, or None without one."""
    observed = observed_table(message)
    if observed is None:
        return None
    rows: list[DiffRow] = []
    matcher = SequenceMatcher(a=[tuple(r) for r in expected], b=[tuple(r) for r in observed])
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [DiffRow("same", list(row)) for row in expected[a1:a2]]
            continue
        paired = min(a2 - a1, b2 - b1) if tag == "replace" else 0
        rows += [DiffRow("changed", expected[a1 + i], observed[b1 + i]) for i in range(paired)]
        rows += [DiffRow("missing", row) for row in expected[a1 + paired : a2]]
        rows += [DiffRow("unexpected", row) for row in observed[b1 + paired : b2]]
    return rows
