"""Whether a step's text is the beginning of a phrase: an unfinished step, or one being typed."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import parse

from hq_spec.bdd_internals import extra_types_of

if TYPE_CHECKING:
    from hq_spec.catalog import Definition

# A field of a `parse` format ({name}, {name:Type}); doubled braces are literal braces.
_FORMAT_FIELD = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")


def _literal(segment: str) -> str:
    return segment.replace("{{", "{").replace("}}", "}")


def _prefixes_of(literal: str, *, required: bool) -> Any:
    """A converter matching any beginning of the literal text (none of it, unless required)."""
    pattern = ""
    for char in reversed(literal):
        pattern = f"(?:{re.escape(char)}{pattern})?"
    if required and pattern:
        pattern = pattern[:-1]  # at least its first character

    def rest(text: str) -> str:
        return text

    rest.pattern = pattern  # type: ignore[attr-defined]
    return rest


def is_start_of(definition: Definition, text: str) -> bool:
    """Whether the text, not a whole step of this phrase, is how one would begin.

    Matching stops at the boundary of a fill-in, so "the roster lists Volt" begins
    "the roster lists {names} in that order", as pytest-bdd itself would read the fill-in.
    """
    if definition.matches(text):
        return False
    formats = _beginnings(definition.phrase, definition.context.parser)
    if formats is None:
        return bool(text) and definition.phrase.startswith(text)
    return any(format_.parse(text) is not None for format_ in formats)


def compile_beginnings(definition: Definition) -> None:
    """Compile the phrase's beginnings now, not at the first step that needs them (a `parse`
    format compiles its pattern when first used)."""
    for format_ in _beginnings(definition.phrase, definition.context.parser) or ():
        format_.parse("")


@lru_cache(maxsize=4096)
def _beginnings(phrase: str, step_parser: Any) -> tuple[Any, ...] | None:
    """One `parse` format per fill-in boundary, each ending in "any beginning of the wording
    that follows" (compiled once per phrase); None for a parser that is not `parse`'s."""
    compiled = getattr(step_parser, "parser", None)
    if compiled is None or not hasattr(compiled, "named_fields"):
        return None
    fields = list(_FORMAT_FIELD.finditer(phrase))
    types = {**extra_types_of(step_parser)}
    ends = [0] + [field.end() for field in fields]
    starts = [field.start() for field in fields] + [len(phrase)]
    formats = []
    for end, next_start in zip(ends, starts, strict=True):
        # After fill-ins alone, the text must reach into the wording: a fill-in that takes
        # any text would otherwise make every text the beginning of the phrase.
        wording_before = bool(_FORMAT_FIELD.sub("", phrase[:end]).strip())
        rest = _prefixes_of(
            _literal(phrase[end:next_start]), required=end > 0 and not wording_before
        )
        try:
            formats.append(
                parse.compile(
                    phrase[:end] + "{hq_spec_rest:HqSpecRest}",
                    extra_types={**types, "HqSpecRest": rest},
                )
            )
        except (ValueError, re.error):
            continue
    return tuple(formats)
