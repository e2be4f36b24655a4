"""'Did you mean': the nearest existing phrases to an undefined step, and a definition to paste."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from cucumber_expressions.expression_generator import CucumberExpressionGenerator
from cucumber_expressions.parameter_type_registry import ParameterTypeRegistry

from hq_spec.catalog import Definition

_FIELD = re.compile(r"\{([^{}:]+)(?::[^{}]*)?\}")
# Cucumber parameter types -> (name, Python type, our `parse` field); {string} includes its quotes.
_PARAMETERS = {
    "{int}": ("number", "int", "{{{name}:d}}"),
    "{float}": ("amount", "float", "{{{name}:f}}"),
    "{string}": ("text", "str", '"{{{name}:Text}}"'),
    "{word}": ("word", "str", "{{{name}}}"),
}


def readable(phrase: str) -> str:
    """'{actor:Actor} recruits {hero:Hero}' -> '<actor> recruits <hero>'."""
    return _FIELD.sub(lambda m: f"<{m.group(1)}>", phrase)


def similarity(text: str, definition: Definition, examples: Iterable[str] = ()) -> float:
    """How close a step's text is to a definition: its phrase, or any line that uses it."""
    candidates = [_FIELD.sub(lambda m: m.group(1), definition.phrase), *examples]
    return max(SequenceMatcher(None, text.lower(), c.lower()).ratio() for c in candidates)


def nearest(
    text: str,
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]] | None = None,
    *,
    limit: int = 3,
) -> list[Definition]:
    """The definitions whose wording is closest to this text, best first."""
    examples = examples or {}
    scored = sorted(
        ((similarity(text, d, examples.get(d, ())), d) for d in definitions),
        key=lambda pair: -pair[0],
    )
    best = scored[0][0] if scored else 0.0
    # Only phrases nearly as close as the best one: a distant second guess only distracts.
    return [d for score, d in scored[:limit] if score >= max(0.5, best - 0.15)]


def snippet(keyword: str, text: str) -> str:
    """A ready-to-paste definition for the step, its parameters inferred from the text."""
    expressions = CucumberExpressionGenerator(ParameterTypeRegistry()).generate_expressions(text)
    source = expressions[0].source if expressions else text
    params: list[tuple[str, str]] = []

    def name_field(match: re.Match[str]) -> str:
        kind = match.group(0)
        base, python_type, field = _PARAMETERS[kind]
        count = sum(1 for name, _ in params if name.rstrip("0123456789") == base)
        name = base if count == 0 else f"{base}{count + 1}"
        params.append((name, python_type))
        return field.format(name=name)

    pattern = re.sub(r"\{(?:int|float|string|word)\}", name_field, source)
    decorator = keyword.lower() if keyword.lower() in {"given", "when", "then"} else "step"
    signature = "".join(f", {name}: {python_type}" for name, python_type in params)
    quote = "'" if '"' in pattern else '"'
    return (
        f"@{decorator}(phrase({quote}{pattern}{quote}))\n"
        f"def _(agency: Agency{signature}) -> None:\n"
        f'    """Say in plain words what this step does."""\n'
        f"    raise NotImplementedError\n"
    )


def did_you_mean(
    keyword: str,
    text: str,
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]] | None = None,
) -> str:
    """The whole suggestion an author sees for an undefined step."""
    lines = []
    close = nearest(text, definitions, examples)
    if close:
        lines.append("Did you mean:")
        for d in close:
            lines.append(f"    {d.keyword_title} {readable(d.phrase)}    ({d.location})")
    else:
        lines.append("No existing step reads like it; see features/GLOSSARY.md for the vocabulary.")
    lines.append("Or, if this is a new phrase, an engineer can define it in steps/:")
    lines.extend("    " + line for line in snippet(keyword, text).splitlines())
    return "\n".join(lines)
