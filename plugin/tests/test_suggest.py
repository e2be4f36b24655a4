"""Did-you-mean: the phrase the author meant, of the right kind, and a definition to paste."""

from __future__ import annotations

from pathlib import Path

from hq_spec.settings import DEFAULT_SNIPPET
from hq_spec.suggest import (
    Outline,
    did_you_mean,
    in_outline_terms,
    ranked,
    readable,
    snippet,
    suggestions,
)
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


def test_an_outline_s_placeholders_become_fill_ins_named_after_their_columns() -> None:
    code = snippet("when", 'Volt pays <amount> coins to "<hero name>" 3 times')
    assert code.splitlines()[:2] == [
        """@when(parsers.parse('Volt pays {amount} coins to "{hero_name}" {number:d} times'))""",
        "def _(amount: str, hero_name: str, number: int) -> None:",
    ]


def outline_suggestion(tmp_path: Path, rows: tuple[str, ...]) -> str:
    vocabulary = load(tmp_path)
    values = tuple((("hero", row),) for row in rows)
    best = suggestions("when", f"{rows[0]} logs inn", vocabulary.definitions, vocabulary.examples)
    return in_outline_terms(best[0], Outline("<hero> logs inn", values), values[0])


def test_a_suggestion_for_an_outline_is_written_with_its_placeholders(tmp_path: Path) -> None:
    assert outline_suggestion(tmp_path, ("Volt", "Tide")) == "When <hero> logs in"


def test_an_outline_line_that_would_fail_in_another_row_is_shown_as_the_phrase(
    tmp_path: Path,
) -> None:
    # "the roster" is nobody in the cast: "<hero> logs in" would not run with that row.
    assert outline_suggestion(tmp_path, ("Volt", "the roster")) == "When <who> logs in"


def test_nearest_only_ranking_keeps_every_suggestion_an_author_sees(tmp_path: Path) -> None:
    vocabulary = load(tmp_path)
    definitions, examples = vocabulary.definitions, vocabulary.examples
    for step_type, text in [
        ("when", "Volt logs inn"),
        ("when", "an annoymous visitor logs out"),
        ("then", "the roster lists Volt"),
        ("then", "the roster is emptyy"),
        ("given", "the rooster is empty"),
        ("when", "Volt signs the visitors' book"),
    ]:
        exact = ranked(step_type, text, definitions, examples)
        nearest = ranked(step_type, text, definitions, examples, nearest_only=True)
        assert nearest[0] == exact[0]
        assert suggestions(step_type, text, definitions, examples) == [
            s for s in exact[:3] if s.score >= max(0.5, exact[0].score - 0.15)
        ]
