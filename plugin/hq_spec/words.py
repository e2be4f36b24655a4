"""Words a specification avoids: each found in a feature or a phrase's meaning, at file:line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

# Keys of the Gherkin document whose values are words an author wrote (names, steps, cells...).
_WRITTEN = ("name", "description", "text", "value", "content")


@dataclass(frozen=True)
class AvoidedWord:
    """One entry of `hq_spec_words_to_avoid`: a pattern, and what to say instead (if anything)."""

    pattern: re.Pattern[str]
    instead: str

    @classmethod
    def parse(cls, entry: str) -> AvoidedWord:
        """`cookies?` or `old pass => previous pass`: a regular expression matched as whole
        words in any letter case, then optionally the wording to use instead."""
        pattern, _, instead = entry.partition("=>")
        return cls(re.compile(rf"\b(?:{pattern.strip()})\b", re.IGNORECASE), instead.strip())

    def advice(self, found: str) -> str:
        instead = f'; say "{self.instead}" instead' if self.instead else ""
        return f'"{found}" is a word this specification avoids{instead}'


def parse_all(entries: Iterable[str]) -> tuple[AvoidedWord, ...]:
    return tuple(AvoidedWord.parse(entry) for entry in entries)


# A numbered back-reference (\1) would point at another word's group once the words are joined.
_NUMBERED_REFERENCE = re.compile(r"\\[1-9]")


def any_of(words: Sequence[AvoidedWord]) -> re.Pattern[str] | None:
    """One expression that finds any of the words: most texts contain none, and one search
    passes over each of them instead of one search per word. None when there are no words, or
    when they cannot be joined without changing what one of them finds."""
    sources = [word.pattern.pattern for word in words]
    if not sources or any(_NUMBERED_REFERENCE.search(source) for source in sources):
        return None
    try:
        return re.compile("|".join(f"(?:{source})" for source in sources), re.IGNORECASE)
    except re.error:  # e.g. two words naming one group
        return None


def found_in(text: str, words: Iterable[AvoidedWord]) -> Iterator[str]:
    """The advice for each avoided word in one piece of text."""
    for word in words:
        match = word.pattern.search(text)
        if match:
            yield word.advice(match.group(0))


def written_text(node: Any) -> Iterator[tuple[int, str]]:
    """(line, text) for everything an author wrote in a Gherkin document node, tags excluded, in
    the document's order. Walked with a list, not a generator per node: a feature of thousands of
    scenarios has tens of thousands of nodes, and each text would climb every generator above it."""
    pending: list[tuple[Any, int, bool]] = [(node, 0, False)]  # (node or text, line, is text)
    while pending:
        node, line, is_text = pending.pop()
        if is_text:
            yield line, node
        elif isinstance(node, list):
            pending.extend((item, line, False) for item in reversed(node))
        elif isinstance(node, dict):
            line = node.get("location", {}).get("line", line)
            is_tag = str(node.get("name", "")).startswith("@")
            for key, value in reversed(node.items()):
                if key in _WRITTEN and isinstance(value, str) and value and not is_tag:
                    pending.append((value, line, True))
                elif key != "location" and isinstance(value, dict | list):
                    pending.append((value, line, False))
