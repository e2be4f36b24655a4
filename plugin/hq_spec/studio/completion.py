"""Completing a step as it is typed: the phrases that continue it, and the words to fill in.

Each phrase is cut into its wording and its fill-ins; what was typed is matched against the
beginning of each (a fill-in by its own type's pattern), so "Volt say" continues `<actor> says
"<text>"` with Volt as the actor. Whether a whole step is a phrase is pytest-bdd's own matching.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hq_spec.bdd_internals import extra_types_of
from hq_spec.catalog import Definition, UsedStep
from hq_spec.suggest import readable

# A field's own pattern when its converter declares one; `parse`'s built-in formats otherwise.
_BUILTIN_PATTERNS = {"d": r"[-+ ]?\d+", "f": r"[-+ ]?\d*\.\d+", "w": r"\w+", "S": r"\S+"}
_FIELD = re.compile(r"\{(\w*)(?::([^{}]*))?\}")
_FILL_INS_PER_FIELD = 12


@dataclass(frozen=True)
class Slot:
    """A word the author fills in, and what it may be."""

    name: str
    options: list[str]


@dataclass(frozen=True)
class Suggestion:
    keyword: str
    phrase: str  # readable: `<actor> says "<text>"`
    insert: str  # the whole step text the line should read once accepted
    meaning: str
    example: str | None
    location: str
    slots: list[Slot]
    exact: bool = False


@dataclass
class _Segments:
    """A phrase cut into literal words and fields, with a regular expression for each."""

    parts: list[tuple[str, str, str]]  # (kind "text"|"field", text or field name, regex)


def _converter_pattern(definition: Definition, kind: str | None) -> str:
    if not kind:
        return r".+?"
    converter = extra_types_of(definition.context.parser).get(kind)
    pattern = getattr(converter, "pattern", None)
    if isinstance(pattern, str):
        return f"(?:{pattern})"
    return _BUILTIN_PATTERNS.get(kind, r".+?")


def _segments(definition: Definition) -> _Segments:
    parts: list[tuple[str, str, str]] = []
    position = 0
    for match in _FIELD.finditer(definition.phrase):
        if match.start() > position:
            literal = definition.phrase[position : match.start()]
            parts.append(("text", literal, re.escape(literal)))
        parts.append(("field", match.group(1), _converter_pattern(definition, match.group(2))))
        position = match.end()
    if position < len(definition.phrase):
        literal = definition.phrase[position:]
        parts.append(("text", literal, re.escape(literal)))
    return _Segments(parts)


def _prefix_patterns(
    parts: list[tuple[str, str, str]], fills: dict[str, list[str]]
) -> list[re.Pattern[str]]:
    """For each k: the first k parts in full, then the beginning of part k (or nothing more).

    A field being typed is one word, a whole value of its type, or the start of a known value,
    so that "Volt say" reads as Volt beginning `says`, not as a name that runs on.
    """
    patterns = []
    for k in range(len(parts) + 1):
        head = "".join(regex for _, _, regex in parts[:k])
        if k == len(parts):
            tail = ""
        elif parts[k][0] == "text":
            literal = parts[k][1]
            tail = "|".join(re.escape(literal[:n]) for n in range(len(literal), -1, -1))
        else:
            starts = {value[:n] for value in fills.get(parts[k][1], []) for n in range(len(value))}
            known = "".join(
                f"|{re.escape(start)}" for start in sorted(starts, key=len, reverse=True)
            )
            tail = rf"{parts[k][2]}|[^\s\"]*{known}"
        patterns.append(re.compile(f"^{head}(?P<typed>{tail})$", re.I | re.S))
    return patterns


def _literal_alternatives(pattern: str) -> list[str]:
    """The plain wordings a pattern lists (`the quartermaster|a visitor|[A-Z]\\w*` -> two)."""
    body = pattern
    while body.startswith("(?:") and body.endswith(")"):
        body = body[3:-1]
    found = []
    for option in body.split("|"):
        plain = re.sub(r"\\(.)", r"\1", option)
        if plain and re.escape(plain).replace("\\ ", " ") == option.replace("\\ ", " "):
            found.append(plain)
    return found


class Completer:
    """Suggestions for one vocabulary, prepared once: each phrase's parts, fill-ins and uses."""

    def __init__(
        self, definitions: list[Definition], uses: dict[Definition, list[UsedStep]],
        files: dict[Definition, Counter[str]],
    ) -> None:  # fmt: skip
        """`uses`: the feature steps that use each phrase; `files`: how often, per feature."""
        self.definitions = definitions
        self._uses = uses
        self._files = files
        self._segments = {d: _segments(d) for d in definitions}
        self._fill_ins = {d: self._field_values(d) for d in definitions}
        self._prefixes = {
            d: _prefix_patterns(self._segments[d].parts, self._fill_ins[d]) for d in definitions
        }

    def _field_values(self, definition: Definition) -> dict[str, list[str]]:
        """Per field: the wordings its type lists, then what the features already fill in."""
        values: dict[str, list[str]] = {}
        for kind, name, regex in self._segments[definition].parts:
            if kind != "field":
                continue
            listed = definition.choices.get(name) or _literal_alternatives(regex)
            values[name] = list(listed)
        compiled: Any = getattr(definition.context.parser, "parser", None)
        seen: dict[str, dict[str, int]] = {}
        for use in self._uses.get(definition, []):
            result = compiled.parse(use.text) if compiled is not None else None
            for name, (start, end) in (getattr(result, "spans", None) or {}).items():
                counts = seen.setdefault(name, {})
                counts[use.text[start:end]] = counts.get(use.text[start:end], 0) + 1
        for name, counts in seen.items():
            ranked = sorted(counts, key=lambda value: -counts[value])
            # The most used values first, then every wording the type itself lists.
            merged = [*ranked[:_FILL_INS_PER_FIELD], *values.get(name, [])]
            values[name] = list(dict.fromkeys(merged))
        return values

    def meaning(self, definition: Definition) -> str:
        return definition.description.split("\n\n")[0].strip()

    def example(self, definition: Definition) -> str | None:
        uses = self._uses.get(definition, [])
        return f"{uses[0].keyword} {uses[0].text}" if uses else None

    def suggest(
        self, step_type: str | None, typed: str, *, near: str | None = None, limit: int = 10
    ) -> list[Suggestion]:
        """Phrases that continue what was typed, best first (none if no phrase begins so).

        Best: the furthest along what was typed, then the most used in the feature `near`
        (`comms/comms.feature`), then the most used anywhere.
        """
        allowed = [
            d for d in self.definitions if step_type is None or d.keyword in (None, step_type)
        ]
        exact = [d for d in allowed if typed and d.matches(typed)]
        ranked: list[tuple[int, int, int, Definition, str]] = []
        for definition in allowed:
            if definition in exact:
                continue
            progress = self._progress(definition, typed)
            if progress is not None:
                done, insert = progress
                uses = self._uses.get(definition, [])
                here = self._files[definition].get(near or "", 0)
                ranked.append((done, here, len(uses), definition, insert))
        ranked.sort(key=lambda item: (-item[0], -item[1], -item[2], item[3].phrase))
        found = [self._suggestion(d, typed, exact=True) for d in exact]
        found += [self._suggestion(d, insert) for *_, d, insert in ranked]
        # Nothing continues the text: the check's did-you-mean (beside the line) says what is
        # nearest, too slow to compute on every keystroke.
        return found[:limit]

    def _progress(self, definition: Definition, typed: str) -> tuple[int, str] | None:
        """How far `typed` runs along the phrase, and the line it becomes when completed."""
        segments = self._segments[definition]
        for k in range(len(segments.parts), -1, -1):
            match = self._prefixes[definition][k].match(typed)
            if match is None:
                continue
            after_field = 0 < k < len(segments.parts) and segments.parts[k - 1][0] == "field"
            if after_field and not match.group("typed"):
                continue  # nothing typed past the field yet: its value may still grow
            rest = []
            for index in range(k, len(segments.parts)):
                kind, text, _ = segments.parts[index]
                if kind == "text":
                    rest.append(text[len(match.group("typed")) :] if index == k else text)
                elif index == k and match.group("typed"):
                    rest.append(self._finish_value(definition, text, match.group("typed")))
                else:
                    rest.append(f"<{text}>")
            return k, typed + "".join(rest)
        return None

    def _finish_value(self, definition: Definition, name: str, begun: str) -> str:
        """The rest of the most used value of this field that starts as typed, if any."""
        for value in self._fill_ins[definition].get(name, []):
            if value.lower().startswith(begun.lower()) and len(value) > len(begun):
                return value[len(begun) :]
        return ""  # the author is writing a value of their own

    def _suggestion(
        self, definition: Definition, insert: str, *, exact: bool = False
    ) -> Suggestion:
        fills = self._fill_ins[definition]
        slots = [Slot(name, fills.get(name, [])) for name in re.findall(r"<(\w+)>", insert)]
        return Suggestion(
            keyword=definition.keyword_title,
            phrase=readable(definition.phrase),
            insert=insert,
            meaning=self.meaning(definition),
            example=self.example(definition),
            location=definition.location,
            slots=slots,
            exact=exact,
        )
