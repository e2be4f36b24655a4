"""A feature file laid out as the rest of `features/`: two spaces a level, tables aligned."""

from __future__ import annotations

import re
import unicodedata

_STEP = re.compile(r"^(Given|When|Then|And|But|\*)(\s|$)")
_SCENARIO = re.compile(r"^(Scenario|Scenario Outline|Scenario Template|Example):")
_EXAMPLES = re.compile(r"^(Examples|Scenarios):")
_DOC_STRING = ('"""', "```")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_INDENT = "  "


def _cells(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in _CELL_SPLIT.split(inner)]


def _width(text: str) -> int:
    """Columns on screen: a full-width character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "FW" else 1 for char in text)


def _aligned(rows: list[str]) -> bool:
    def pipes(row: str) -> list[int]:
        return [_width(row[:at]) for at, char in enumerate(row) if char == "|"]

    return len({tuple(pipes(row)) for row in rows}) == 1


def _table(rows: list[str], depth: int) -> list[str]:
    if _aligned(rows):  # an aligned table keeps its own padding: no change the author did not make
        return [_INDENT * depth + row for row in rows]
    cells = [_cells(row) for row in rows]
    columns = max(len(row) for row in cells)
    cells = [row + [""] * (columns - len(row)) for row in cells]
    widths = [max(_width(row[column]) for row in cells) for column in range(columns)]
    return [
        _INDENT * depth
        + "| "
        + " | ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True))
        + " |"
        for row in cells
    ]


class _Layout:
    """Which level each kind of line sits at, following the blocks opened so far."""

    def __init__(self) -> None:
        self.rule = False
        self.block = 0  # the level of the latest Feature/Rule/Background/Scenario/Examples line
        self.step = 0  # the level of the latest step

    def level(self, line: str) -> int:
        if line.startswith("Feature:"):
            self.rule, self.block = False, 0
        elif line.startswith("Rule:"):
            self.rule, self.block = True, 1
        elif line.startswith("Background:") or _SCENARIO.match(line):
            self.block = 2 if self.rule else 1
        elif _EXAMPLES.match(line):
            self.block = (2 if self.rule else 1) + 1
        elif _STEP.match(line):
            self.step = self.block + 1
            return self.step
        elif line.startswith("|"):
            return self.step + 1 if self.block == self.step - 1 else self.block + 1
        elif line.startswith("@"):
            return -1  # a tag sits at the level of what it tags: decided by the next line
        else:
            return self.block + 1  # a description under its Feature, Rule or Scenario
        return self.block


def format_feature(text: str) -> str:
    """The same feature, indented and aligned as the committed features are."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[tuple[int, str]] = []  # (level, content); level -1: decided by the next line
    layout = _Layout()
    table: list[str] = []
    table_level = 0
    index = 0

    def flush_table() -> None:
        nonlocal table
        if table:
            out.extend((-2, row) for row in _table(table, table_level))
            table = []

    while index < len(lines):
        raw = lines[index]
        line = raw.strip()
        index += 1
        if line.startswith("|"):
            if not table:
                table_level = layout.level(line)
            table.append(line)
            continue
        flush_table()
        if line.startswith(_DOC_STRING):
            fence = line[:3]
            level = layout.step + 1
            shift = len(raw) - len(raw.lstrip())
            out.append((level, line))
            while index < len(lines):
                body = lines[index]
                index += 1
                if body.strip().startswith(fence):
                    out.append((level, body.strip()))
                    break
                # Gherkin strips the fence's own indentation from each line: keep what is beyond it.
                kept = body[shift:] if body[:shift].strip() == "" else body.lstrip()
                out.append((-2, (_INDENT * level + kept).rstrip() if kept.strip() else ""))
            continue
        if not line:
            if out and out[-1][1] != "":
                out.append((-2, ""))
            continue
        if line.startswith("#"):
            out.append((-1, line))
            continue
        out.append((layout.level(line), line))
    flush_table()
    return _render(out)


_SPACED = re.compile(
    r"^(Rule|Background|Scenario|Scenario Outline|Scenario Template|Example|Examples|Scenarios):"
)


def _render(out: list[tuple[int, str]]) -> str:
    rendered: list[str] = []
    pending: list[str] = []  # tags and comments waiting for the line they belong to

    def space() -> None:  # a blank line before each block, as the committed features have
        if rendered and rendered[-1] != "":
            rendered.append("")

    for level, content in out:
        if level == -1:
            pending.append(content)
            continue
        if level >= 0 and _SPACED.match(content):
            space()
        if level >= 0 and pending:
            rendered += [_INDENT * level + waiting for waiting in pending]
            pending = []
        rendered.append(content if level == -2 else _INDENT * level + content)
    rendered += pending
    while rendered and rendered[-1] == "":
        rendered.pop()
    while rendered and rendered[0] == "":
        rendered.pop(0)
    return "\n".join(rendered) + "\n"
