"""Did-you-mean: ranking the nearest phrases and inferring a definition to paste."""

from __future__ import annotations

from pathlib import Path

from hq_spec.catalog import load_definitions, step_modules
from hq_spec.suggest import did_you_mean, nearest, readable, snippet

ROOT = Path(__file__).resolve().parent.parent


def test_the_snippet_infers_numbers_and_quoted_text() -> None:
    code = snippet("when", 'Volt says "assemble!" to "Tide" 3 times')
    assert code.splitlines()[:2] == [
        """@when(phrase('Volt says "{text:Text}" to "{text2:Text}" {number:d} times'))""",
        "def _(agency: Agency, text: str, text2: str, number: int) -> None:",
    ]


def test_the_snippet_for_and_uses_the_step_it_continues() -> None:
    assert snippet("then", "the roster is tidy").startswith('@then(phrase("the roster is tidy"))')


def test_readable_phrases_show_fields_as_blanks() -> None:
    assert readable("{actor:Actor} recruits {hero:Hero}") == "<actor> recruits <hero>"


def test_a_misspelt_step_is_nearest_to_the_phrase_it_misspells() -> None:
    definitions = load_definitions(step_modules(ROOT), ROOT)
    best = nearest("Sneaky trys to recruit Sneaky", definitions)[0]
    assert best.phrase == "{actor:Actor} tries to recruit {hero:Hero}"
    assert "Did you mean:" in did_you_mean("when", "Volt logs inn", definitions)
    assert "<actor> logs in" in did_you_mean("when", "Volt logs inn", definitions)
