"""Whether a step definition matches a wording, most non-matches told without compiling its parser.

The `parse` library compiles a phrase into a regular expression the first time it matches
anything, and finding which definitions match a wording tries every one of them: the first scenario
of a run paid for compiling a whole vocabulary (tens of milliseconds for a hundred phrases).
A `parse` phrase matches only wordings that hold its fixed text (everything outside its fill-ins)
in the same order, starting with it where the phrase does; a wording that does not is turned away
by looking for that text alone.
"""

from __future__ import annotations

import re
from typing import Any

import parse as parse_library
from pytest_bdd import parsers

from hq_spec.remembered import remembered

# A phrase's fixed text, in order, as a wording must hold it: its pieces (in lower case when case
# is ignored), whether case is ignored, and whether the first piece opens the phrase.
Skeleton = tuple[tuple[str, ...], bool, bool]
NO_SKELETON: Skeleton = ((), False, False)  # nothing known: the parser itself is always asked

_SKELETONS: dict[Any, Skeleton] = {}


def _read_skeleton(parser: Any) -> Skeleton:
    """The fixed text of a `parse` phrase, read as the `parse` library reads its format."""
    if type(parser) is not parsers.parse or type(parser.parser) is not parse_library.Parser:
        return NO_SKELETON
    flags = getattr(parser.parser, "_re_flags", None)
    if not isinstance(flags, int):
        return NO_SKELETON
    pieces: list[str] = []
    text = ""
    opens = True
    # The format's parts as the library splits it: an escaped brace, a fill-in, or plain text.
    for part in parse_library.PARSE_RE.split(parser.name):
        if part in ("{{", "}}"):
            text += part[0]
        elif part.startswith("{") and part.endswith("}"):
            if text:
                pieces.append(text)
            elif not pieces:
                opens = False  # the phrase begins with a fill-in
            text = ""
        elif "{" in part:
            # A lone brace reaches the expression unescaped, where it may count the repeats of the
            # character before it ("a{,2}" is up to two a's): neither that character nor what
            # follows is known to be fixed.
            text = (text + part[: part.index("{")])[:-1]
            break
        else:
            text += part
    if text:
        pieces.append(text)
    ignore_case = bool(flags & re.IGNORECASE)
    if ignore_case:
        if not all(piece.isascii() for piece in pieces):
            return NO_SKELETON  # case-blind beyond ASCII: left to the parser itself
        pieces = [piece.lower() for piece in pieces]
    return tuple(pieces), ignore_case, opens and bool(pieces)


def skeleton_of(parser: Any) -> Skeleton:
    """A parser's fixed text, read once per parser."""
    return remembered(_SKELETONS, parser, _read_skeleton)


def could_match(parser: Any, text: str) -> bool:
    """False only where the wording cannot match: it lacks the phrase's fixed text, in order."""
    pieces, ignore_case, opens = skeleton_of(parser)
    if not pieces:
        return True
    if ignore_case:
        if not text.isascii():
            # Ignoring case, a regular expression also pairs some letters beyond ASCII (the
            # Kelvin sign with k): left to the parser itself.
            return True
        text = text.lower()
    position = 0
    if opens:
        if not text.startswith(pieces[0]):
            return False
        position, pieces = len(pieces[0]), pieces[1:]
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def matches(parser: Any, text: str) -> bool:
    """Whether a step parser matches a wording, as the parser itself says."""
    return could_match(parser, text) and bool(parser.is_matching(text))
