"""Text a reader can see: what names, powers and dispatched heroes may contain, defined once."""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

# Characters that change or hide what a reader sees: C0 and C1 controls (NUL included), the soft
# hyphen, zero-width and invisible-operator format characters, the byte-order mark, and every
# bidirectional mark, embedding, override and isolate. The joiners U+200C and U+200D stay
# allowed: emoji sequences and several scripts need them.
HIDDEN = (
    r"\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028\u2029"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
# Characters that are allowed but draw nothing: they do not make a name visible.
BLANK = r"\u115f\u1160\u2800\u3164\uffa0"
# The whole rule as one pattern, published in HQ's OpenAPI document; written with escapes that
# Python and ECMA-262 regular expressions read alike.
VISIBLE_TEXT_PATTERN = f"^[^{HIDDEN}]*[^{HIDDEN}{BLANK}\\s][^{HIDDEN}]*$"

_HIDDEN = re.compile(f"[{HIDDEN}]")
_VISIBLE = re.compile(f"[^{HIDDEN}{BLANK}\\s]")


def visible_text(value: str) -> str:
    """The value itself, or a validation error saying in words what a reader could not see."""
    hidden = _HIDDEN.search(value)
    if hidden is not None:
        raise PydanticCustomError(
            "hidden_character",
            "must not contain control, format or bidirectional characters (found {found})",
            {"found": f"U+{ord(hidden.group()):04X}"},
        )
    if _VISIBLE.search(value) is None:
        # "Blank" is the word a reader uses for a name they cannot see, spaces or otherwise.
        raise PydanticCustomError("blank", "must not be blank")
    return value
