"""The reused C encoder writes exactly what the standard encoder writes, and refuses alike."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hq_spec import json_text

VALUES: list[Any] = [
    {"kind": "http", "headers": {"x-hq-badge": "…(masked)"}, "body": '{"name": "Tide"}'},
    ["Ñandú 👋", "line\nbreak", "tab\t", 'quote"', "back\\slash", "\u2028", "\x00"],
    {"n": 7000, "big": 10**30, "f": 1.5, "tiny": 1e-300, "inf": float("inf"), "nan": float("nan")},
    {"yes": True, "no": False, "none": None, "empty": {}, "nothing": [], "pair": (1, 2)},
    {3: "three", 2.5: "two and a half", False: "no", None: "none"},
    "just text",
    42,
]


@pytest.mark.parametrize("separators", [(", ", ": "), (",", ":")])
@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_the_text_is_the_standard_encoder_s(value: Any, separators: tuple[str, str]) -> None:
    standard = json.JSONEncoder(ensure_ascii=False, separators=separators)
    assert json_text.encoder(separators=separators)(value) == standard.encode(value)


def test_what_json_cannot_hold_is_refused_as_the_standard_encoder_refuses() -> None:
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        json_text.encoder()({"heroes": {"Volt"}})


def test_without_the_c_accelerator_the_standard_encoder_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    encode = json_text.encoder(separators=(",", ":"))
    assert encode({"a": [1, "…"]}) == '{"a":[1,"…"]}'
