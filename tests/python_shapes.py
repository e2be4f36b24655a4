"""What a failure message must not show a product owner: Python's own values and words."""

from __future__ import annotations

import re

# What a Python value looks like when it leaks into a message meant for a product owner.
PYTHON_SHAPES = ("{'", "[('", "['", "Traceback", "object at 0x", "<class ")
PYTHON_WORDS = re.compile(r"\b(None|True|False)\b")


def python_in(message: str) -> list[str]:
    """The Python shapes a failure message shows (none, in HQ's language)."""
    return [shape for shape in PYTHON_SHAPES if shape in message] + PYTHON_WORDS.findall(message)
