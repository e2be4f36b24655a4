"""Checks Then steps share, failing with expected and observed told as parallel sentences."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from hq_spec.mismatch import Mismatch, TableMismatch, expect
from steps.support.connection import Exchange
from steps.support.vocabulary import FIELDS
from steps.support.wording import answer_in_words, compared_table, problems, refusal, table


def expect_answer(exchange: Exchange | None, status: int, expected: str) -> Any:
    """The answer's content, once it is known to carry the expected status."""
    if exchange is None or exchange.status != status:
        raise Mismatch(expected, answer_in_words(exchange))
    try:
        return exchange.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Mismatch(expected, "HQ's answer could not be read (it is shown below)") from None


def expect_refusal(
    exchange: Exchange | None,
    status: int,
    code: str,
    message: str,
    detail: dict[str, Any] | None = None,
    *,
    wanted: str | None = None,
) -> dict[str, Any]:
    """HQ refused in its one error form, with exactly this code and message (and detail).

    `wanted` says, in the scenario's words, what HQ was expected to do.
    """
    wanted = wanted or f'HQ to refuse with "{message}" ({code})'
    body = expect_answer(exchange, status, wanted)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or set(body) != {"error"}:
        raise Mismatch(f"{wanted} in HQ's one error form", answer_in_words(exchange))
    expect(
        error.get("code") == code and error.get("message") == message,
        expected=wanted,
        observed=refusal(error),
    )
    if detail is not None:
        expect(
            error.get("detail") == detail,
            expected=f"the refusal to add {details(detail)}",
            observed=f"it added {details(error.get('detail'))}",
        )
    return error


def details(detail: object) -> str:
    """A refusal's details as words: 'id 999 and limit 65536'."""
    if not isinstance(detail, dict) or not detail:
        return "nothing"
    parts = []
    for key, value in detail.items():
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{key} {shown}")
    return " and ".join(parts)


def listed_problems(error: dict[str, Any]) -> list[tuple[str, str]]:
    """The (field, problem) pairs a validation refusal lists."""
    detail = error.get("detail")
    items = detail.get("errors", []) if isinstance(detail, dict) else []
    return [(str(item.get("field")), str(item.get("message"))) for item in items]


def spoken_field(name: str) -> str:
    """HQ's name for a field ('hero_id') as the features say it ('hero number')."""
    return next((word for word, names in FIELDS.items() if name in names), name)


def expect_problems(exchange: Exchange | None, wanted: list[tuple[str, str]], subject: str) -> None:
    """A validation refusal listing exactly these (field, problem) pairs, in any order."""
    wanted_words = f"the Auditor to reject the {subject} because {problems(wanted)}"
    error = expect_refusal(
        exchange, 422, "validation_error", "the paperwork is not in order", wanted=wanted_words
    )
    seen = [(spoken_field(field), message) for field, message in listed_problems(error)]
    expect(
        Counter(seen) == Counter(wanted),
        expected=wanted_words,
        observed=f"the Auditor rejected it because {problems(seen)}",
    )


def expect_problem_table(
    exchange: Exchange | None, header: list[str], rows: list[list[str]]
) -> None:
    """A validation refusal listing exactly these (field, problem) rows, compared row by row."""
    error = expect_refusal(exchange, 422, "validation_error", "the paperwork is not in order")
    seen = [[spoken_field(field), message] for field, message in listed_problems(error)]
    # HQ may list the problems in any order: line them up with the table where they match.
    seen.sort(key=lambda row: rows.index(row) if row in rows else len(rows))
    if seen != rows:
        raise TableMismatch(
            f"the Auditor to list these problems:\n{table(header, rows)}",
            f"the Auditor listed:\n{compared_table(header, rows, seen)}",
            [header, *seen],
        )
