"""Avoided words: one search finds whether a text holds any of them, and never misses one."""

from __future__ import annotations

from hq_spec.words import any_of, found_in, parse_all

WORDS = parse_all(["cookies?", "roster => list of heroes", "(?P<greeting>hello) again"])
TEXTS = [
    "Volt recruits Tide",
    "the COOKIE jar",
    "cookiejars stay",
    "the roster lists Volt",
    "HELLO again, hello",
    "rosters",
]


def test_the_joined_words_find_a_text_exactly_when_one_of_the_words_does() -> None:
    screen = any_of(WORDS)
    assert screen is not None
    for text in TEXTS:
        assert (screen.search(text) is not None) == bool(list(found_in(text, WORDS))), text


def test_words_that_cannot_be_joined_safely_are_tried_one_by_one() -> None:
    assert any_of(()) is None
    # A numbered back-reference would name another word's group once joined.
    assert any_of(parse_all(["cookies?", r"(\w+) \1"])) is None
    # Two words naming one group cannot be one expression.
    assert any_of(parse_all(["(?P<w>cookie)", "(?P<w>roster)"])) is None


def test_everything_an_author_wrote_is_found_in_document_order_at_its_line_tags_excepted() -> None:
    from hq_spec.gherkin_reading import read_feature
    from hq_spec.words import written_text

    document = read_feature(
        "@smoke\nFeature: Roster\n  About heroes.\n\n  Scenario: Volt joins\n"
        "    Given Volt joins\n      | name |\n      | Volt |\n",
        "roster.feature",
    )
    assert list(written_text(document.feature)) == [
        (2, "Roster"),
        (2, "  About heroes."),
        (5, "Volt joins"),
        (6, "Volt joins"),
        (7, "name"),
        (8, "Volt"),
    ]
