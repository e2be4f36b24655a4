"""Failure messages retell HQ's answers as a reader would: records, lists, durations, tables."""

from __future__ import annotations

import httpx2

from steps.support.connection import Exchange
from steps.support.wording import (
    answer_in_words,
    compared_table,
    duration,
    hero_record,
    names_list,
    refusal,
)


def answer(body: bytes, status: int = 200) -> Exchange:
    return Exchange("GET", "/heroes/2", status, httpx2.Headers(), body)


def test_a_record_reads_as_a_reader_reads_it() -> None:
    tide = {"id": 2, "name": "Tide", "power": "water", "wattage": 7000}
    assert hero_record(tide) == "hero number 2: Tide, water, 7000 watts"
    assert hero_record({**tide, "wattage": 1}).endswith("1 watt")
    assert hero_record({"id": None, "name": "", "power": "x", "wattage": 0}) == (
        'hero number (never filed): "", x, 0 watts'
    )
    assert hero_record(["not", "a", "hero"]) == "something that is not a hero's record"


def test_durations_read_as_durations() -> None:
    assert duration(14 * 24 * 3600) == "14 days"
    assert duration(13 * 24 * 3600 + 3600) == "13 days and 1 hour"
    assert duration(90061) == "1 day, 1 hour, 1 minute and 1 second"
    assert duration(0) == "no time at all"


def test_lists_read_as_sentences() -> None:
    assert names_list(["Volt", "Tide", "Gale"]) == "Volt, Tide and Gale"
    assert names_list(["Volt"]) == "Volt"
    assert names_list([]) == "nobody"


def test_answers_are_told_not_dumped() -> None:
    assert answer_in_words(None) == "HQ was never asked anything"
    assert answer_in_words(answer(b'{"id":2,"name":"Tide","power":"water","wattage":7000}')) == (
        "HQ answered with hero number 2: Tide, water, 7000 watts"
    )
    assert answer_in_words(answer(b'[{"id":1,"name":"Volt"},{"id":2,"name":"Tide"}]')) == (
        "HQ's roster listed Volt and Tide"
    )
    refused = b'{"error":{"code":"hero_not_found","message":"no such hero","detail":{"id":9}}}'
    assert (
        answer_in_words(answer(refused, 404)) == 'HQ refused with "no such hero" (hero_not_found)'
    )
    assert answer_in_words(answer(b"<html>", 500)) == (
        "HQ answered GET /heroes/2 in some other way (status 500)"
    )


def test_a_refusal_lists_its_problems_in_words() -> None:
    error = {
        "code": "validation_error",
        "message": "the paperwork is not in order",
        "detail": {"errors": [{"field": "power", "message": "is required"}]},
    }
    assert refusal(error) == (
        'HQ refused with "the paperwork is not in order" (validation_error): the power is required'
    )
    # The tutorial's problems were Python strings: they are not retold as problems.
    assert refusal({**error, "detail": {"errors": ["{'type': 'missing'}"]}}).endswith(
        "(validation_error)"
    )


def test_a_table_mismatch_marks_the_rows_and_cells_that_differ() -> None:
    header = ["kind", "report"]
    wanted = [["status", "sector 1"], ["status", "sector 2"], ["close", "stand down"]]
    seen = [["status", "sector 1"], ["status", "sector 3"]]
    lines = compared_table(header, wanted, seen).splitlines()
    assert lines[0].startswith("  | kind")
    assert lines[1].startswith("  | status")
    assert "»" not in lines[1]
    assert lines[2].startswith("✗ | status")
    assert "»sector 3«" in lines[2]
    assert lines[3].startswith("✗ | (missing)")
