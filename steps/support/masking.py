"""Masking secrets (badges, session passes) before evidence is shown or published."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SECRET_HEADERS = {"x-hq-badge"}
_COOKIE_HEADERS = {"cookie", "set-cookie"}
_COOKIE_VALUE = re.compile(r"(lauren_session=)([^;,\s]+)")


def mask(value: str) -> str:
    """Keep a short prefix so two different secrets stay distinguishable, hide the rest."""
    return value[:4] + "…(masked)" if len(value) > 4 else "…(masked)"


def masked_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        if key in _SECRET_HEADERS:
            value = "…(masked)"  # a badge is a shared secret: not even a prefix is shown
        elif key in _COOKIE_HEADERS:
            value = _COOKIE_VALUE.sub(lambda m: m.group(1) + mask(m.group(2)), value)
        shown[key] = f"{shown[key]}, {value}" if key in shown else value
    return shown
