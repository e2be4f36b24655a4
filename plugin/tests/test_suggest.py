"""Did-you-mean: the phrase the author meant, of the right kind, and a definition to paste."""

from __future__ import annotations

from pathlib import Path

from hq_spec.settings import DEFAULT_SNIPPET
from hq_spec.suggest import did_you_mean, readable, snippet, suggestions
from vocabulary_fixture import load


def test_the_snippet_infers_numbers_and_quoted_text() -> None:
    code = snippet("when", 'Volt says "assemble!" to "Tide" 3 times')
    assert code.splitlines()[:2] == [
        """@when(parsers.parse('Volt says "{text}" to "{text2}" {number:d} times'))""",
        "def _(text: str, text2: str, number: int) -> None:",
    ]


def test_the_snippet_follows_the_configured_template() -> None:
    template = "@$decorator(phrase($pattern))  # in $module\ndef _(agency: Agency$arguments):\n"
    code = snippet("then", "Volt has 3 medals", template=template, module="steps.medals")
    assert code == (
        '@then(phrase("Volt has {number:d} medals"))  # in steps.medals\n'
        "def _(agency: Agency, number: int):\n"
    )


def test_a_phrase_without_parameters_needs_no_parser() -> None:
    assert snippet("then", "the roster is tidy", template=DEFAULT_SNIPPET).startswith(
        '@then("the roster is tidy")\ndef _() -> None:'
    )


def test_readable_phrases_show_fields_as_blanks() -> None:
    assert readable("{actor:Actor} recruits {hero:Hero}") == "<actor> recruits <hero>"


def test_a_typo_in_a_cast_name_suggests_the_concrete_phrase(tmp_path: Path) -> None:
    vocabulary = load(tmp_path)
    best = suggestions("when", "an annoymous visitor logs out", vocabulary.definitions)[0]
    assert best.line == "When an anonymous visitor logs out"


def test_an_unfinished_step_points_to_the_phrase_it_begins(tmp_path: Path) -> None:
    vocabulary = load(tmp_path)
    best = suggestions("then", "the roster lists Volt", vocabulary.definitions)[0]
    assert best.line == "Then the roster lists <names> in that order"
    assert best.unfinished


def test_a_then_is_offered_only_then_phrases(tmp_path: Path) -> None:
    vocabulary = load(tmp_path)
    offered = suggestions("then", "the roster is emptyy", vocabulary.definitions)
    assert offered, "the Then phrases about the roster are close enough to offer"
    assert {s.definition.keyword for s in offered} == {"then"}


def test_a_near_typo_gets_no_new_definition(tmp_path: Path) -> None:
    vocabulary = load(tmp_path)
    text = did_you_mean("when", "Volt logs inn", vocabulary.definitions, vocabulary.examples)
    assert "When Volt logs in" in text
    assert "define it" not in text


def test_a_new_phrase_gets_a_definition_in_the_module_of_its_nearest_phrase(
    tmp_path: Path,
) -> None:
    vocabulary = load(tmp_path)
    module = vocabulary.settings.step_modules[0]
    text = did_you_mean(
        "when",
        "Volt signs the visitors' book",
        vocabulary.definitions,
        vocabulary.examples,
        step_modules=vocabulary.settings.step_modules,
    )
    assert f"an engineer can define it in {module}.py:" in text
    assert '    @when("Volt signs the visitors\' book")' in text
