"""The studio lays a feature out as the committed ones are: two spaces a level, tables aligned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hq_spec.studio.formatting import format_feature
from tests.spec_run import ROOT

FEATURES = sorted((ROOT / "features").rglob("*.feature"))


def _without_table_padding(text: str) -> list[str]:
    return [re.sub(r"\s*\|\s*", "|", line.rstrip()) for line in text.rstrip("\n").split("\n")]


@pytest.mark.parametrize("path", FEATURES, ids=lambda path: path.name)
def test_a_committed_feature_keeps_its_layout(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_feature(text)
    assert format_feature(formatted) == formatted
    # Only the padding of tables that were not aligned may change: never a word, a line or an indent.
    assert _without_table_padding(formatted) == _without_table_padding(text)
    assert [len(line) - len(line.lstrip()) for line in formatted.splitlines()] == [
        len(line) - len(line.lstrip()) for line in text.rstrip("\n").splitlines()
    ]


def test_a_scenario_typed_anyhow_is_laid_out_as_the_others() -> None:
    typed = (
        "Feature: Comms\n"
        "Rule: Everyone hears\n"
        "@smoke\n"
        "Scenario: A greeting\n"
        "Given Volt and Tide are on comms   \n"
        '        When Tide says "hi"\n'
        "# Volt is listening\n"
        'Then Volt hears "hi"\n'
        "Scenario Outline: Many greetings\n"
        "Given these heroes have joined the roster:\n"
        "|name|power|\n"
        "|Volt|lightning|\n"
        'When Tide says "<greeting>"\n'
        "Examples:\n"
        "|greeting|\n"
        "|\uff11|\n"
        "|hello|\n"
    )
    assert format_feature(typed) == (
        "Feature: Comms\n"
        "\n"
        "  Rule: Everyone hears\n"
        "\n"
        "    @smoke\n"
        "    Scenario: A greeting\n"
        "      Given Volt and Tide are on comms\n"
        '      When Tide says "hi"\n'
        "      # Volt is listening\n"
        '      Then Volt hears "hi"\n'
        "\n"
        "    Scenario Outline: Many greetings\n"
        "      Given these heroes have joined the roster:\n"
        "        | name | power     |\n"
        "        | Volt | lightning |\n"
        '      When Tide says "<greeting>"\n'
        "\n"
        "      Examples:\n"
        "        | greeting |\n"
        "        | \uff11       |\n"  # a full-width digit takes two columns
        "        | hello    |\n"
    )


def test_a_doc_string_keeps_its_own_indentation_and_escaped_pipes_stay_in_their_cell() -> None:
    typed = (
        "Feature: Notes\n"
        "  Scenario: A note\n"
        "    Given the quartermaster notes:\n"
        '    """\n'
        "    first line\n"
        "      indented line\n"
        '    """\n'
        "    Then a table:\n"
        "      | a \\| b | c |\n"
        "      | d | e |\n"
    )
    assert format_feature(typed) == (
        "Feature: Notes\n"
        "\n"
        "  Scenario: A note\n"
        "    Given the quartermaster notes:\n"
        '      """\n'
        "      first line\n"
        "        indented line\n"
        '      """\n'
        "    Then a table:\n"
        "      | a \\| b | c |\n"
        "      | d      | e |\n"
    )
