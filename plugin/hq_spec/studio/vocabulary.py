"""The studio's one door to the step-catalog engine: load the vocabulary, check, suggest, match."""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.errors import CompositeParserException, ParserException
from gherkin.parser import Parser

from hq_spec.catalog import Definition, UsedStep, all_used_steps, load_definitions
from hq_spec.check import uses_by_definition
from hq_spec.engine import Vocabulary as Engine
from hq_spec.settings import Settings
from hq_spec.suggest import nearest, readable

# A field's own pattern when its converter declares one; `parse`'s built-in formats otherwise.
_BUILTIN_PATTERNS = {"d": r"[-+ ]?\d+", "f": r"[-+ ]?\d*\.\d+", "w": r"\w+", "S": r"\S+"}
_FIELD = re.compile(r"\{(\w*)(?::([^{}]*))?\}")
_STEP_KEYWORDS = {"Given": "given", "When": "when", "Then": "then"}
_CONTINUATIONS = ("And", "But", "*")
_FILL_INS_PER_FIELD = 12


@dataclass(frozen=True)
class Finding:
    """A problem at a line of the feature being edited, in `hq-spec check`'s words."""

    line: int
    message: str


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
    compiled: Any = getattr(definition.context.parser, "parser", None)
    types: dict[str, Any] = getattr(compiled, "_extra_types", {}) or {}
    converter = types.get(kind)
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


def effective_keyword(lines: list[str], index: int) -> tuple[str, str | None]:
    """The keyword written on a line, and what it binds as (And/But inherit from above)."""
    words = lines[index].strip().split(" ", 1)
    written = words[0] if words else ""
    if written in _STEP_KEYWORDS:
        return written, _STEP_KEYWORDS[written]
    if written not in _CONTINUATIONS:
        return written, None
    for above in range(index - 1, -1, -1):
        first = lines[above].strip().split(" ", 1)[0]
        if first in _STEP_KEYWORDS:
            return written, _STEP_KEYWORDS[first]
        if first.endswith(":") or first.startswith("@"):
            break  # a new scenario, background or examples: nothing to continue
    return written, None


class Vocabulary:
    """The step vocabulary of a project, loaded once, and the checks and suggestions built on it."""

    def __init__(self, root: Path, features_dir: Path) -> None:
        self.root = root.resolve()
        self.features_dir = features_dir.resolve()
        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))
        settings = Settings.from_project(self.root)
        self.definitions = load_definitions(settings.step_modules, self.root)
        self._engine = Engine(settings, self.definitions, self._all_steps())
        self._segments = {d: _segments(d) for d in self.definitions}
        self._uses = uses_by_definition(self._all_steps(), self.definitions)
        self._fill_ins = {d: self._field_values(d) for d in self.definitions}
        self._files = {
            d: Counter(self._inside_features(use.file) for use in self._uses.get(d, []))
            for d in self.definitions
        }
        self._prefixes = {
            d: _prefix_patterns(self._segments[d].parts, self._fill_ins[d])
            for d in self.definitions
        }

    def _inside_features(self, file: str) -> str:
        """A used step's file as the page names it: inside features/ (`comms/comms.feature`)."""
        path = (self.root / file).resolve()
        try:
            return path.relative_to(self.features_dir).as_posix()
        except ValueError:
            return file

    def close(self) -> None:
        """Nothing to release: checks run in memory (kept for callers that close a vocabulary)."""

    def _all_steps(self) -> list[UsedStep]:
        try:
            return all_used_steps(self.features_dir, self.root)
        except Exception:  # a malformed feature on disk must not keep the studio from starting
            return []

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

    # -- matching and suggestions ----------------------------------------------------------

    def matching(self, step_type: str | None, text: str) -> list[Definition]:
        """The definitions pytest-bdd would bind this step to (None: any keyword)."""
        return [
            d
            for d in self.definitions
            if (step_type is None or d.keyword in (None, step_type)) and d.matches(text)
        ]

    def suggest(
        self, step_type: str | None, typed: str, *, near: str | None = None, limit: int = 10
    ) -> list[Suggestion]:
        """Phrases that continue what was typed, best first; the nearest ones if none do.

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
        if not found and typed.strip():
            found = [self._suggestion(d, readable(d.phrase)) for d in nearest(typed, allowed)]
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

    # -- checking --------------------------------------------------------------------------

    def check(self, relative: str, text: str) -> list[Finding]:
        """Every problem `hq-spec check` would report in this feature, by line."""
        try:
            Parser().parse(text)
        except CompositeParserException as composite:
            return [_parser_finding(error) for error in composite.errors]
        except ParserException as error:
            return [_parser_finding(error)]
        problems = self._engine.check_text(text, relative)
        findings = [Finding(problem.line or 1, problem.message) for problem in problems]
        return sorted(set(findings), key=lambda f: (f.line, f.message))


def unreadable(text: str) -> list[Finding]:
    """Gherkin's own messages about a feature it cannot read, each at its line."""
    try:
        Parser().parse(text)
    except CompositeParserException as composite:
        return [_parser_finding(error) for error in composite.errors]
    except ParserException as error:
        return [_parser_finding(error)]
    return [Finding(1, "the feature cannot be read")]


def _parser_finding(error: Exception) -> Finding:
    location: Any = getattr(error, "location", None) or {}
    line = int(location.get("line") or 1) if isinstance(location, dict) else 1
    message = re.sub(r"^\(\d+:\d+\): ", "", str(error))
    return Finding(line, f"the feature cannot be read: {message}")
