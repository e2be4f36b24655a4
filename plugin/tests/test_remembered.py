"""An answer about an object is worked out once and kept; an unhashable object is asked every time."""

from __future__ import annotations

from hq_spec.remembered import remembered, remembered_by_identity


def test_an_answer_is_worked_out_once_per_object() -> None:
    asked: list[object] = []

    def work(key: object) -> str:
        asked.append(key)
        return f"answer {len(asked)}"

    known: dict[object, str] = {}
    first, second = object(), object()
    assert remembered(known, first, work) == "answer 1"
    assert remembered(known, first, work) == "answer 1"
    assert remembered(known, second, work) == "answer 2"
    assert asked == [first, second]


def test_an_object_that_cannot_be_a_key_is_worked_out_every_time() -> None:
    unhashable: list[str] = ["Volt"]
    answers = [remembered({}, unhashable, len) for _ in range(2)]
    known: dict[object, int] = {}
    assert remembered(known, unhashable, len) == 1
    assert answers == [1, 1]
    assert known == {}


def test_by_identity_an_equal_object_is_another_object() -> None:
    asked: list[object] = []

    def work(key: list[str]) -> int:
        asked.append(key)
        return len(asked)

    known: dict[int, tuple[object, int]] = {}
    volt, also_volt = ["Volt"], ["Volt"]  # equal, unhashable, two objects
    assert remembered_by_identity(known, volt, work) == 1
    assert remembered_by_identity(known, volt, work) == 1
    assert remembered_by_identity(known, also_volt, work) == 2
    assert asked == [volt, also_volt]
