"""Whether a step definition matches a wording, most non-matches told without compiling its parser.

The `parse` library compiles a phrase into a regular expression the first time it matches
anything, and finding which definitions match a wording tries every one of them: the first scenario
of a run paid for compiling a whole vocabulary (tens of milliseconds for a hundred phrases).
A `parse` phrase matches only wordings that begin with its fixed opening (the text before its
first fill-in), so a wording that begins otherwise is turned away by comparing the opening alone.
"""

from __future__ import annotations

import re
from typing import Any

import parse as parse_library
from pytest_bdd import parsers

# Each parser's opening and whether its letters' case is ignored, read once per parser. A parser
# whose opening cannot be read with certainty (another kind) has none: it is always tried.
_OPENINGS: dict[Any, tuple[str, bool]] = {}


def _read_opening(parser: Any) -> tuple[str, bool]:
    """The fixed text a `parse` phrase begins with, read as the `parse` library reads its format."""
    if type(parser) is not parsers.parse or type(parser.parser) is not parse_library.Parser:
        return "", False
    flags = getattr(parser.parser, "_re_flags", None)
    if not isinstance(flags, int):
        return "", False
    opening: list[str] = []
    # The format's parts as the library splits it: an escaped brace, a fill-in, or plain text.
    for part in parse_library.PARSE_RE.split(parser.name):
        if part in ("{{", "}}"):
            opening.append(part[0])
        elif part.startswith("{") and part.endswith("}"):
            break
        elif "{" in part:
            # A lone brace reaches the expression unescaped, where it may count repeats.
            opening.append(part[: part.index("{")])
            break
        else:
            opening.append(part)
    return "".join(opening), bool(flags & re.IGNORECASE)


def opening_of(parser: Any) -> tuple[str, bool]:
    """A parser's fixed opening ("" when it has none or it cannot be read), and whether case is
    ignored."""
    try:
        return _OPENINGS[parser]
    except KeyError:
        found = _OPENINGS[parser] = _read_opening(parser)
        return found
    except TypeError:  # a parser that cannot be a key: read every time
        return _read_opening(parser)


def could_match(parser: Any, text: str) -> bool:
    """False only where the wording cannot match: it does not begin with the phrase's opening."""
    opening, ignore_case = opening_of(parser)
    if not opening:
        return True
    if not ignore_case:
        return text.startswith(opening)
    if not (text.isascii() and opening.isascii()):
        # Ignoring case, a regular expression also pairs some letters beyond ASCII (the Kelvin
        # sign with k): left to the parser itself.
        return True
    return text[: len(opening)].lower() == opening.lower()


def matches(parser: Any, text: str) -> bool:
    """Whether a step parser matches a wording, as the parser itself says."""
    return could_match(parser, text) and bool(parser.is_matching(text))
