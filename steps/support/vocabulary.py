"""The typed parameters of HQ's step phrases: actors, heroes, lists of names, fields and values."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pytest_bdd import parsers

from steps.support.cast import split_names

_HERO = r'(?!nobody\b)[^\s",]+'


ConverterT = TypeVar("ConverterT", bound=Callable[[str], Any])


def _with_pattern(pattern: str) -> Callable[[ConverterT], ConverterT]:
    """Give a converter the regular expression `parse` matches it with."""

    def decorate(function: ConverterT) -> ConverterT:
        function.pattern = pattern  # type: ignore[attr-defined]
        return function

    return decorate


@_with_pattern(
    r"(?:the quartermaster|an anonymous visitor|the visitor|a visitor|mission control"
    r"|an operator|a developer|[A-Z][\w-]*)"
)
def actor(text: str) -> str:
    """Someone in the scenario: a named hero, the quartermaster, a visitor, mission control..."""
    return text


@_with_pattern(_HERO)
def hero(text: str) -> str:
    """A hero's name, written as one word (quote names with spaces where a step allows it)."""
    return text


@_with_pattern(rf"{_HERO}(?:(?:, | and ){_HERO})*")
def names(text: str) -> list[str]:
    """'Volt', 'Volt and Tide', 'Volt, Tide and Gale'."""
    return split_names(text)


@_with_pattern(r'"[^"]*"(?:(?:, | and )"[^"]*")*')
def quoted_list(text: str) -> list[str]:
    """'"one", "two" and "three"'."""
    return re.findall(r'"([^"]*)"', text)


@_with_pattern(r'[^"]*')
def text(value: str) -> str:
    """Text between double quotes, possibly empty."""
    return value


# How a field is called in HQ's language -> the names HQ's answers use for it.
FIELDS = {
    "name": ("name",),
    "power": ("power",),
    "wattage": ("wattage",),
    "hero number": ("id", "hero_id"),
    "hero": ("hero",),
    "paperwork": ("body",),
}


@_with_pattern("|".join(sorted((re.escape(f) for f in FIELDS), key=len, reverse=True)))
def field(text: str) -> str:
    """A field of HQ's paperwork: name, power, wattage, hero number, hero, paperwork."""
    return text


@_with_pattern(r'"[^"]*"|-?\d+(?:\.\d+)?|yes|no|nothing')
def value(text: str) -> Any:
    """A value as written on paperwork: "text", 9001, 9001.5, yes, no or nothing."""
    words: dict[str, Any] = {"yes": True, "no": False, "nothing": None}
    if text in words:
        return words[text]
    if text.startswith('"'):
        return text[1:-1]
    parsed: Any = json.loads(text)
    return parsed


KIB = 1024


@_with_pattern(r"\d+ KiB(?: and \d+ bytes?)?")
def size(text: str) -> int:
    """A size in bytes, written '64 KiB' or '64 KiB and 1 byte' (a KiB is 1024 bytes)."""
    kib, _, rest = text.partition(" KiB")
    extra = rest.removeprefix(" and ").split(" ")[0]
    return int(kib) * KIB + (int(extra) if extra else 0)


def size_words(count: int) -> str:
    """65537 -> '64 KiB and 1 byte': a size as the features write it."""
    kib, extra = divmod(count, KIB)
    if not extra:
        return f"{kib} KiB"
    return f"{kib} KiB and {extra} byte{'s' if extra != 1 else ''}"


TYPES = {
    "Size": size,
    "Actor": actor,
    "Hero": hero,
    "Names": names,
    "Quoted": quoted_list,
    "Field": field,
    "Value": value,
    "Text": text,
}


def one_of(options: Iterable[str]) -> Any:
    """A parameter that is exactly one of these phrases (an unknown one is an undefined step)."""
    listed = list(options)
    alternatives = sorted(listed, key=len, reverse=True)  # longest first, so none shadows another

    @_with_pattern("|".join(re.escape(option) for option in alternatives))
    def choice(text: str) -> str:
        return text

    choice.choices = listed  # type: ignore[attr-defined] # the glossary lists them
    return choice


def phrase(text: str, **choices: Any) -> parsers.parse:
    """A step phrase with HQ's typed parameters ({who:Actor}, {count:d}, "{text:Text}")."""
    return parsers.parse(text, extra_types={**TYPES, **choices})
