"""Checks Then steps share, failing with plain-language expected/observed messages."""

from __future__ import annotations

import json
from typing import Any

from hq_spec.mismatch import Mismatch, expect
from steps.support.connection import Exchange


def describe(exchange: Exchange | None) -> str:
    """How an answer reads in a failure message."""
    if exchange is None:
        return "HQ was never asked anything"
    answer = exchange.text()[:300]
    return f"HQ answered {exchange.method} {exchange.path} with {exchange.status}: {answer}"


def expect_answer(exchange: Exchange | None, status: int, expected: str) -> Any:
    """The answer's JSON, once it is known to carry the expected status."""
    if exchange is None or exchange.status != status:
        raise Mismatch(expected, describe(exchange))
    try:
        return exchange.json()
    except json.JSONDecodeError:
        raise Mismatch(expected, f"HQ's answer was not readable: {exchange.text()[:200]}") from None


def expect_refusal(
    exchange: Exchange | None,
    status: int,
    code: str,
    message: str,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """HQ refused in its one error form, with exactly this code and message (and detail)."""
    wanted = f"HQ to refuse with '{code}' (\"{message}\")"
    body = expect_answer(exchange, status, wanted)
    error = body.get("error") if isinstance(body, dict) else None
    expect(
        isinstance(error, dict) and set(body) == {"error"},
        expected=f"{wanted} in HQ's error form",
        observed=describe(exchange),
    )
    assert isinstance(error, dict)
    expect(
        error.get("code") == code and error.get("message") == message,
        expected=wanted,
        observed=f"HQ refused with '{error.get('code')}' (\"{error.get('message')}\")",
    )
    if detail is not None:
        expect(
            error.get("detail") == detail,
            expected=f"the refusal's details to be {detail}",
            observed=f"they were {error.get('detail')}",
        )
    return error


def expect_problems(exchange: Exchange | None, problems: list[tuple[tuple[str, ...], str]]) -> None:
    """A validation refusal listing exactly these (field, message) problems."""
    error = expect_refusal(exchange, 422, "validation_error", "the paperwork is not in order")
    listed = [
        (item.get("field"), item.get("message")) for item in error["detail"].get("errors", [])
    ]
    wanted = ", ".join(f"the {names[0]} {message}" for names, message in problems)
    expect(
        len(listed) == len(problems)
        and all(
            any(field in names and message == text for field, text in listed)
            for names, message in problems
        ),
        expected=f"the Auditor to object that {wanted}",
        observed=f"the Auditor objected: {listed}",
    )
