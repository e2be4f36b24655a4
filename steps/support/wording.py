"""HQ's answers retold in HQ's language, for failure messages: records, lists, durations, tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from steps.support.connection import Exchange

# What a table cell that differs looks like, and the mark at the start of a row that differs.
DIFFERS, SAME = "✗ ", "  "


def names_list(names: Sequence[object]) -> str:
    """['Volt', 'Tide', 'Gale'] -> 'Volt, Tide and Gale'; [] -> 'nobody'."""
    words = [str(name) for name in names]
    if not words:
        return "nobody"
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def quoted_list(texts: Sequence[object]) -> str:
    """['one', 'two'] -> '"one" and "two"'; [] -> 'nothing'."""
    return names_list([f'"{text}"' for text in texts]) if texts else "nothing"


def hero_record(hero: object) -> str:
    """{'id': 2, 'name': 'Tide', ...} -> 'hero number 2: Tide, water, 7000 watts'."""
    if not isinstance(hero, dict):
        return "something that is not a hero's record"
    wattage = hero.get("wattage", "(no wattage)")
    number = hero.get("id", "(none)")
    name = _shown(hero.get("name", "(no name)"))
    return (
        f"hero number {'(never filed)' if number is None else number}: {name}, "
        f"{_shown(hero.get('power', '(no power)'))}, {wattage} watt{'' if wattage == 1 else 's'}"
    )


def _shown(text: object) -> str:
    """Text as it reads in a record: an empty or blank text is shown as its quotes."""
    return f'"{text}"' if isinstance(text, str) and not text.strip() else str(text)


def duration(seconds: int) -> str:
    """1209600 -> '14 days'; 90000 -> '1 day and 1 hour'; 0 -> 'no time at all'."""
    if seconds <= 0:
        return "no time at all"
    parts = []
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
    return names_list(parts)


def problems(listed: Sequence[tuple[object, object]]) -> str:
    """[('power', 'is required')] -> 'the power is required'."""
    return (
        names_list([f"the {field} {message}" for field, message in listed])
        if listed
        else ("nothing")
    )


def refusal(error: dict[str, Any]) -> str:
    """An error envelope's inside, as a sentence: the message, then its problems if any."""
    said = f'HQ refused with "{error.get("message")}" ({error.get("code")})'
    detail = error.get("detail")
    listed = detail.get("errors") if isinstance(detail, dict) else None
    pairs = [(e.get("field"), e.get("message")) for e in listed or [] if isinstance(e, dict)]
    if pairs:
        said += f": {problems(pairs)}"
    return said


def _body_in_words(body: Any) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return refusal(body["error"])
    if isinstance(body, dict) and {"id", "name"} <= set(body):
        return f"HQ answered with {hero_record(body)}"
    if isinstance(body, list) and all(isinstance(hero, dict) for hero in body):
        return f"HQ's roster listed {names_list([hero.get('name') for hero in body])}"
    if isinstance(body, dict) and "welcome" in body:
        return f"HQ welcomed {body['welcome']}"
    if body == {"farewell": True}:
        return "HQ bade farewell"
    if body == {"identified": False}:
        return "HQ did not recognise them"
    if isinstance(body, dict) and body.get("identified") is True:
        return f"HQ recognised them as hero number {body.get('hero_id')}: {body.get('name')}"
    if isinstance(body, dict) and isinstance(body.get("dispatched"), list):
        return f"the mission log showed {names_list(body['dispatched'])}"
    if isinstance(body, dict) and "dispatched" in body:
        return f"HQ accepted the dispatch of {body['dispatched']}"
    if isinstance(body, dict) and {"hq", "grid"} <= set(body):
        grid = "powered" if body["grid"] is True else "off"
        return f"HQ reported that it is {body['hq']} with the grid {grid}"
    return None


def answer_in_words(exchange: Exchange | None) -> str:
    """What HQ did, as a reader would say it (the exchange itself is shown beneath the message)."""
    if exchange is None:
        return "HQ was never asked anything"
    try:
        said = _body_in_words(exchange.json())
    except (json.JSONDecodeError, UnicodeDecodeError):
        said = None
    if said is not None:
        return said
    status = exchange.status
    return f"HQ answered {exchange.method} {exchange.path} in some other way (status {status})"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Gherkin-style table, one line per row."""
    return _aligned([list(header), *[list(row) for row in rows]], [SAME] * (len(rows) + 1))


def compared_table(
    header: Sequence[str], wanted: Sequence[Sequence[str]], seen: Sequence[Sequence[str]]
) -> str:
    """The rows seen, row by row against the rows wanted: a differing cell is »marked«."""
    lines: list[list[str]] = [list(header)]
    marks = [SAME]
    for index in range(max(len(wanted), len(seen))):
        want = list(wanted[index]) if index < len(wanted) else None
        got = list(seen[index]) if index < len(seen) else None
        if got is None:
            lines.append(["(missing)"] + [""] * (len(header) - 1))
            marks.append(DIFFERS)
            continue
        cells = [
            cell if want is not None and i < len(want) and want[i] == cell else f"»{cell}«"
            for i, cell in enumerate(got)
        ]
        lines.append(cells)
        marks.append(SAME if want == got else DIFFERS)
    return _aligned(lines, marks)


def _aligned(rows: list[list[str]], marks: list[str]) -> str:
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(rows[0]))]
    return "\n".join(
        mark + "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |"
        for mark, row in zip(marks, rows, strict=True)
    )
