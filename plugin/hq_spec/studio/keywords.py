"""Completing a step's keyword as it is typed, in the order a scenario would use them next."""

from __future__ import annotations

from dataclasses import dataclass

# What each keyword says, in an author's words.
MEANINGS = {
    "Given": "what is already true before anything happens",
    "When": "what someone does",
    "Then": "what must then be true",
    "And": "one more step of the same kind as the one above",
    "But": "one more step of the same kind as the one above, said as a contrast",
}
# Which keywords come next after a step of each kind, most natural first.
_NEXT = {
    None: ("Given", "When", "Then"),
    "Given": ("And", "When", "But", "Then"),
    "When": ("And", "Then", "But"),
    "Then": ("And", "But", "When"),
}
_STEP_KINDS = ("Given", "When", "Then")
# Headings whose lines below are steps (a doc string or an Examples table are not).
_STEP_SECTIONS = ("Scenario:", "Scenario Outline:", "Scenario Template:", "Example:", "Background:")


@dataclass(frozen=True)
class KeywordChoice:
    keyword: str
    meaning: str


def keywords_beginning(lines: list[str], index: int) -> list[KeywordChoice]:
    """The step keywords the word typed on this line begins, best first; none once it is one.

    A line of a scenario (or background) holding only the start of a word ("Gi", "th") is a
    keyword being typed; what comes best follows from the steps above it (after a Given: And,
    then When). Elsewhere (a feature's description, a table) a word is just a word.
    """
    typed = lines[index].strip()
    if not typed or " " in typed or typed in MEANINGS or typed == "*":
        return []
    among_steps, previous = _place(lines, index)
    if not among_steps:
        return []
    return [
        KeywordChoice(keyword, MEANINGS[keyword])
        for keyword in _NEXT[previous]
        if keyword.lower().startswith(typed.lower())
    ]


def _place(lines: list[str], index: int) -> tuple[bool, str | None]:
    """Whether the line is among a scenario's steps, and the kind of the nearest step above."""
    previous: str | None = None
    fences = 0  # doc string fences above: an odd number means the line is inside one
    for above in range(index - 1, -1, -1):
        line = lines[above].strip()
        first = line.split(" ", 1)[0]
        if line.startswith(('"""', "```")):
            fences += 1
        elif previous is None and first in _STEP_KINDS:
            previous = first  # an And or But in between continues this kind
        if line.startswith(_STEP_SECTIONS):
            return fences % 2 == 0, previous
        if line.startswith(("Feature:", "Rule:", "Examples:", "Scenarios:")):
            return False, None
    return False, None
