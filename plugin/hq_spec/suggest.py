"""'Did you mean': the nearest existing phrases to an undefined step, and a definition to paste."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from string import Template

from cucumber_expressions.expression_generator import CucumberExpressionGenerator
from cucumber_expressions.parameter_type_registry import ParameterTypeRegistry

from hq_spec.catalog import Definition
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


def suggestion_for(text: str, definition: Definition, examples: Iterable[str] = ()) -> Suggestion:
    """How close a step's text is to a definition: its phrase, a concrete use, or its beginning."""
    shown = readable(definition.phrase)
    if is_start_of(definition, text):
        return Suggestion(definition, shown, 1.0, unfinished=True)
    best = Suggestion(definition, shown, _ratio(text, _FIELD.sub(r"\1", definition.phrase)), False)
    for concrete in concrete_phrases(definition, examples):
        exact = _ratio(text, concrete, best.score if best.score < NEAR_TYPO else 0.0)
        score = max(exact, _ratio(_wording(text), _wording(concrete), max(exact, best.score)))
        if score > best.score:
            # A concrete line only when the author surely meant it, values and all.
            best = Suggestion(definition, concrete if exact >= NEAR_TYPO else shown, score, False)
    return best


def similarity(text: str, definition: Definition, examples: Iterable[str] = ()) -> float:
    return suggestion_for(text, definition, examples).score


def ranked(
    step_type: str,
    text: str,
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]] | None = None,
) -> list[Suggestion]:
    """Every phrase of this kind (given, when, then), closest to the text first."""
    examples = examples or {}
    return sorted(
        (
            suggestion_for(text, d, examples.get(d, ()))
            for d in definitions
            if d.binds_as(step_type)
        ),
        key=lambda s: -s.score,
    )


def suggestions(
    step_type: str,
    text: str,
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]] | None = None,
    *,
    limit: int = 3,
) -> list[Suggestion]:
    """The phrases of this kind (given, when, then) closest to the text, best first."""
    return _close(ranked(step_type, text, definitions, examples), limit)


def _close(scored: list[Suggestion], limit: int = 3) -> list[Suggestion]:
    best = scored[0].score if scored else 0.0
    # Only phrases nearly as close as the best one: a distant second guess only distracts.
    return [s for s in scored[:limit] if s.score >= max(0.5, best - 0.15)]


def snippet(
    keyword: str,
    text: str,
    *,
    template: str = DEFAULT_SNIPPET,
    module: str | None = None,
) -> str:
    """A ready-to-paste definition for the step, its parameters inferred from the text."""
    expressions = CucumberExpressionGenerator(ParameterTypeRegistry()).generate_expressions(text)
    source = expressions[0].source if expressions else text
    params: list[tuple[str, str]] = []

    def name_field(match: re.Match[str]) -> str:
        base, python_type, field = _PARAMETERS[match.group(0)]
        count = sum(1 for name, _ in params if name.rstrip("0123456789") == base)
        name = base if count == 0 else f"{base}{count + 1}"
        params.append((name, python_type))
        return field.format(name=name)

    pattern = re.sub(r"\{(?:int|float|string|word)\}", name_field, source)
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
) -> str:
    """The whole suggestion an author sees for an undefined step."""
    lines = []
    scored = ranked(step_type, text, definitions, examples)
    close = _close(scored)
    if close:
        lines.append("Did you mean:")
        lines += [f"    {s.line}    ({s.definition.location})" for s in close]
    else:
        where = f"; see {glossary} for the vocabulary" if glossary else ""
        lines.append(f"No existing {step_type.title()} step reads like it{where}.")
    if close and (close[0].unfinished or close[0].score >= NEAR_TYPO):
        return "\n".join(lines)
    homes = [
        s.definition for s in scored if not step_modules or s.definition.module in step_modules
    ]
    module, file = home_of(text, homes[:1] or definitions, step_modules, step_type)
    place = f" in {file}" if file else ""
    lines.append(f"Or, if this is a new phrase, an engineer can define it{place}:")
    code = snippet(step_type, text, template=template, module=module)
    lines.extend("    " + line for line in code.splitlines())
    return "\n".join(lines)
