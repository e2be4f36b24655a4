"""'Did you mean': the nearest existing phrases to an undefined step, and a definition to paste."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from string import Template

from cucumber_expressions.expression_generator import CucumberExpressionGenerator
from cucumber_expressions.parameter_type_registry import ParameterTypeRegistry

from hq_spec.catalog import Definition
from hq_spec.gherkin_reading import PLACEHOLDER, Values
from hq_spec.partial import is_start_of
from hq_spec.settings import DEFAULT_SNIPPET

_FIELD = re.compile(r"\{([^{}:]+)(?::[^{}]*)?\}")
# Cucumber parameter types -> (name, Python type, our `parse` field); {string} includes its quotes.
_PARAMETERS = {
    "{int}": ("number", "int", "{{{name}:d}}"),
    "{float}": ("amount", "float", "{{{name}:f}}"),
    "{string}": ("text", "str", '"{{{name}}}"'),
    "{word}": ("word", "str", "{{{name}}}"),
}
NEAR_TYPO = 0.9  # this close to a real phrase, the author meant it: no new definition is offered
_BELOW_NEAR_TYPO = math.nextafter(NEAR_TYPO, 0.0)
_CLOSE_ENOUGH = 0.5  # a suggestion is at least this close to the text...
_CLOSE_MARGIN = 0.15  # ...and at most this much further than the closest one
_MOST_ALTERNATIVES = 40  # concrete phrases tried per fill-in (a cast, a list of choices)


def readable(phrase: str) -> str:
    """'{actor:Actor} recruits {hero:Hero}' -> '<actor> recruits <hero>'."""
    return _FIELD.sub(lambda m: f"<{m.group(1)}>", phrase)


@dataclass(frozen=True)
class Suggestion:
    """A phrase the author may have meant, as they would write it, and how close it is."""

    definition: Definition
    shown: str  # a concrete line when one is closest, else the phrase with <fill-ins>
    score: float  # 0..1
    unfinished: bool  # the text is the beginning of this phrase

    @property
    def line(self) -> str:
        return f"{self.definition.keyword_title} {self.shown}"

    @property
    def concrete(self) -> bool:
        """Whether it shows a line as a scenario writes it, not the phrase with its <fill-ins>."""
        return self.shown != readable(self.definition.phrase)


@dataclass(frozen=True)
class Outline:
    """An outline's step as written (with <placeholders>), and each of its Examples rows."""

    written: str
    rows: tuple[Values, ...]

    @property
    def columns(self) -> list[str]:
        """The columns the step's text takes, in the order it writes them."""
        return list(dict.fromkeys(PLACEHOLDER.findall(self.written)))

    def runs_with_every_row(self, line: str, definition: Definition) -> bool:
        """Whether a line written in this outline would match the definition in each row."""
        return all(definition.matches(rendered(line, values)) for values in self.rows)


def rendered(line: str, values: Values) -> str:
    """An outline's line for one Examples row, filled in as Gherkin fills it (column by column)."""
    for column, value in values:
        line = line.replace(f"<{column}>", value)
    return line


def in_outline_terms(suggestion: Suggestion, outline: Outline, values: Values) -> str:
    """A suggestion as the outline would write it: a line suggested for one row, with that row's
    values written back as the outline's <placeholders>, when it then runs with every row; else
    the phrase with its <fill-ins> (never a line that fits one row only)."""
    as_phrase = f"{suggestion.definition.keyword_title} {readable(suggestion.definition.phrase)}"
    columns = set(outline.columns)
    placeholder_of = {value: f"<{column}>" for column, value in reversed(values) if value}
    placeholder_of = {v: p for v, p in placeholder_of.items() if p[1:-1] in columns}
    if not suggestion.concrete or not placeholder_of:
        return as_phrase
    longest_first = sorted(placeholder_of, key=len, reverse=True)
    pattern = "|".join(re.escape(value) for value in longest_first)
    line = re.sub(pattern, lambda found: placeholder_of[found[0]], suggestion.shown)
    if line == suggestion.shown or not outline.runs_with_every_row(line, suggestion.definition):
        return as_phrase
    return f"{suggestion.definition.keyword_title} {line}"


_QUOTED = re.compile(r'"[^"]*"')
_NUMBER = re.compile(r"\d+")


# Remembered: a feature is checked again at every edit in the studio, and an outline's rows
# compare the same wordings, so most comparisons repeat one already made (each costs difflib's
# full matching when the cheap bounds do not settle it).
@functools.lru_cache(maxsize=65536)
def _ratio(a: str, b: str, floor: float = 0.0) -> float:
    """How alike two texts are (0..1); 0 when not above `floor` (cheap bounds checked first)."""
    matcher = SequenceMatcher(None, a.lower(), b.lower())
    if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
        return 0.0
    return matcher.ratio()


def _wording(text: str) -> str:
    """The text with its quoted values and numbers blanked: what is left is the phrase's wording."""
    return _NUMBER.sub("0", _QUOTED.sub('""', text))


def concrete_phrases(definition: Definition, examples: Iterable[str] = ()) -> list[str]:
    """Real lines using the definition, and its phrase with each fixed alternative filled in."""
    found = list(dict.fromkeys(examples))
    for slot in definition.slots:
        for alternative in definition.literal_alternatives(slot.name)[:_MOST_ALTERNATIVES]:
            filled = re.sub(
                r"\{" + re.escape(slot.name) + r"(?::[^{}]*)?\}", alternative, definition.phrase
            )
            found.append(readable(filled))
    return found


def suggestion_for(
    text: str, definition: Definition, examples: Iterable[str] = (), *, floor: float = 0.0
) -> Suggestion:
    """How close a step's text is to a definition: its phrase, a concrete use, or its beginning.
    A score at or below `floor` may come out lower than it is (never higher): comparisons that
    cannot beat it are settled by difflib's cheap bounds instead of its full matching."""
    shown = readable(definition.phrase)
    if is_start_of(definition, text):
        return Suggestion(definition, shown, 1.0, unfinished=True)
    phrase = _FIELD.sub(r"\1", definition.phrase)
    best = Suggestion(definition, shown, _ratio(text, phrase, floor), False)
    for concrete in concrete_phrases(definition, examples):
        least = max(best.score, floor)  # what a comparison must beat to count
        # A concrete line is shown from NEAR_TYPO up, so from there its exact score is needed.
        exact = _ratio(text, concrete, min(least, _BELOW_NEAR_TYPO))
        score = max(exact, _ratio(_wording(text), _wording(concrete), max(exact, least)))
        if score > best.score:
            # A concrete line only when the author surely meant it, values and all.
            best = Suggestion(definition, concrete if exact >= NEAR_TYPO else shown, score, False)
    return best


def similarity(text: str, definition: Definition, examples: Iterable[str] = ()) -> float:
    return suggestion_for(text, definition, examples).score


def _cannot_matter(top: float) -> float:
    """The score at or below which a phrase is neither the closest so far nor close enough to be
    shown beside a phrase this close (`_close`); just below it, so ties are still exact."""
    return math.nextafter(min(top, max(_CLOSE_ENOUGH, top - _CLOSE_MARGIN)), 0.0)


def ranked(
    step_type: str,
    text: str,
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]] | None = None,
    *,
    nearest_only: bool = False,
) -> list[Suggestion]:
    """Every phrase of this kind (given, when, then), closest to the text first. With
    `nearest_only`, only the closest phrase and those `_close` keeps are scored exactly; the
    others may score lower than they are, and in another order."""
    examples = examples or {}
    found = []
    top = 0.0
    for definition in definitions:
        if definition.binds_as(step_type):
            floor = _cannot_matter(top) if nearest_only else 0.0
            found.append(
                suggestion_for(text, definition, examples.get(definition, ()), floor=floor)
            )
            top = max(top, found[-1].score)
    return sorted(found, key=lambda s: -s.score)


def suggestions(
    step_type: str,
    text: str,
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]] | None = None,
    *,
    limit: int = 3,
) -> list[Suggestion]:
    """The phrases of this kind (given, when, then) closest to the text, best first."""
    return _close(ranked(step_type, text, definitions, examples, nearest_only=True), limit)


def _close(scored: list[Suggestion], limit: int = 3) -> list[Suggestion]:
    best = scored[0].score if scored else 0.0
    # Only phrases nearly as close as the best one: a distant second guess only distracts.
    return [s for s in scored[:limit] if s.score >= max(_CLOSE_ENOUGH, best - _CLOSE_MARGIN)]


# An outline's placeholder, quoted or not.
_OUTLINE_FILL_IN = re.compile(f'"{PLACEHOLDER.pattern}"|{PLACEHOLDER.pattern}')


def _marker(index: int) -> str:
    """A word standing for an outline's <placeholder> while the expression is generated: plain
    letters, which the generator leaves as they are."""
    letters = ""
    while True:
        index, digit = divmod(index, 26)
        letters += chr(ord("a") + digit)
        if index == 0:
            return f"hqspecfillin{letters}"


def _field_name(column: str) -> str:
    name = re.sub(r"\W+", "_", column).strip("_").lower()
    return name if name.isidentifier() else "value"


def _marked(text: str) -> tuple[str, dict[str, tuple[str, bool]]]:
    """The text with each outline <placeholder> as a marker word, and each marker's column (and
    whether the text quotes it)."""
    columns: dict[str, tuple[str, bool]] = {}

    def mark(found: re.Match[str]) -> str:
        marker = _marker(len(columns))
        columns[marker] = (found[1], True) if found[1] is not None else (found[2], False)
        return marker

    return _OUTLINE_FILL_IN.sub(mark, text), columns


def snippet(
    keyword: str,
    text: str,
    *,
    template: str = DEFAULT_SNIPPET,
    module: str | None = None,
) -> str:
    """A ready-to-paste definition for the step, its parameters inferred from the text. An
    outline's <placeholders> become fill-ins named after their columns, so every row can match."""
    text, columns = _marked(text)
    expressions = CucumberExpressionGenerator(ParameterTypeRegistry()).generate_expressions(text)
    source = expressions[0].source if expressions else text
    params: list[tuple[str, str]] = []

    def name_field(match: re.Match[str]) -> str:
        if match[0] in columns:
            column, quoted = columns[match[0]]
            base, python_type = _field_name(column), "str"
            field = '"{{{name}}}"' if quoted else "{{{name}}}"
        else:
            base, python_type, field = _PARAMETERS[match[0]]
        count = sum(1 for name, _ in params if name.rstrip("0123456789") == base)
        name = base if count == 0 else f"{base}{count + 1}"
        params.append((name, python_type))
        return field.format(name=name)

    markers = sorted(columns, key=len, reverse=True)  # a longer marker may begin like a shorter
    pattern = re.sub("|".join([r"\{(?:int|float|string|word)\}", *markers]), name_field, source)
    decorator = keyword.lower() if keyword.lower() in {"given", "when", "then"} else "step"
    quote = "'" if '"' in pattern else '"'
    quoted = f"{quote}{pattern}{quote}"
    parameters = ", ".join(f"{name}: {python_type}" for name, python_type in params)
    return Template(template).safe_substitute(
        decorator=decorator,
        pattern=quoted,
        step_parser=f"parsers.parse({quoted})" if params else quoted,
        parameters=parameters,
        arguments="".join(f", {p}" for p in parameters.split(", ") if p),
        module=module or "",
    )


def home_of(
    text: str,
    definitions: Sequence[Definition],
    step_modules: Sequence[str],
    step_type: str | None = None,
) -> tuple[str | None, str | None]:
    """The configured step module a new phrase belongs in: that of its nearest phrase (of its
    own kind first)."""
    candidates = [d for d in definitions if not step_modules or d.module in step_modules]
    same_kind = [d for d in candidates if step_type is None or d.binds_as(step_type)]
    nearest_first = sorted(same_kind or candidates, key=lambda d: -similarity(text, d))
    if nearest_first:
        return nearest_first[0].module, nearest_first[0].file
    if step_modules:
        return step_modules[0], step_modules[0].replace(".", "/") + ".py"
    return None, None


def did_you_mean(
    step_type: str,
    text: str,
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]] | None = None,
    *,
    template: str = DEFAULT_SNIPPET,
    step_modules: Sequence[str] = (),
    glossary: str | None = None,
    outline: Outline | None = None,
    values: Values = (),
    new_phrase: bool = True,
) -> str:
    """The whole suggestion an author sees for an undefined step. In an outline, `text` is the step
    for one row (its `values`): suggestions are searched for once, for that row, and shown as
    the outline would write them when they run with every row; the definition offered takes
    the outline's <placeholders>. `new_phrase=False` offers no definition (other rows run)."""
    lines = []
    scored = ranked(step_type, text, definitions, examples, nearest_only=True)
    close = _close(scored)
    if close:
        lines.append("Did you mean:")
        for suggestion in close:
            line = in_outline_terms(suggestion, outline, values) if outline else suggestion.line
            lines.append(f"    {line}    ({suggestion.definition.location})")
    else:
        where = f"; see {glossary} for the vocabulary" if glossary else ""
        lines.append(f"No existing {step_type.title()} step reads like it{where}.")
    if not new_phrase or (close and (close[0].unfinished or close[0].score >= NEAR_TYPO)):
        return "\n".join(lines)
    homes = [
        s.definition for s in scored if not step_modules or s.definition.module in step_modules
    ]
    if homes and homes[0] is not scored[0].definition:  # the nearest lives elsewhere: rank exactly
        scored = ranked(step_type, text, definitions, examples)
        homes = [s.definition for s in scored if s.definition.module in step_modules]
    module, file = home_of(text, homes[:1] or definitions, step_modules, step_type)
    place = f" in {file}" if file else ""
    lines.append(f"Or, if this is a new phrase, an engineer can define it{place}:")
    code = snippet(
        step_type, outline.written if outline else text, template=template, module=module
    )
    lines.extend("    " + line for line in code.splitlines())
    return "\n".join(lines)
