"""One vocabulary, no jargon: HQ's configured words to avoid catch the machinery's words.

The words live in pyproject.toml (`hq_spec_words_to_avoid`) and `hq-spec check` applies them, so
an author sees any of them at file:line before anything runs, and a scenario the check accepts
never fails the build here.
"""

from __future__ import annotations

import pytest

from hq_spec.engine import Vocabulary
from tests.spec_run import ROOT

FEATURE = """Feature: Words
  Scenario: {name}
    Given Volt has joined the roster
"""


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.load(ROOT)


def avoided(vocabulary: Vocabulary, name: str) -> list[str]:
    problems = vocabulary.check_text(FEATURE.format(name=name), "features/words.feature")
    return [p.message for p in problems if "avoids" in p.message]


@pytest.mark.parametrize(
    ("jargon", "advice"),
    [
        ("the cookie is set", '"cookie" is a word this specification avoids; say "pass" instead'),
        ("HQ answers status 404", '"status 404" is a word this specification avoids'),
        ("a JSON body", '"JSON" is a word this specification avoids'),
        ("an event stream", '"event" is a word this specification avoids; say "report" instead'),
        ("a redirect home", '"redirect" is a word this specification avoids'),
        ("Volt's old pass", '"old pass" is a word this specification avoids; say "previous pass"'),
        ("names of 5 letters", '"5 letters" is a word this specification avoids; say "characters"'),
    ],
)
def test_hq_avoids_the_machinerys_words(vocabulary: Vocabulary, jargon: str, advice: str) -> None:
    found = avoided(vocabulary, f"Recruiting with {jargon}")
    assert len(found) == 1, found
    assert found[0].startswith(advice), found


@pytest.mark.parametrize(
    "plain", ["Volt's pass", "hero number 404", "the feed reports", "100 characters"]
)
def test_hqs_own_words_pass(vocabulary: Vocabulary, plain: str) -> None:
    assert avoided(vocabulary, f"Recruiting with {plain}") == []


def test_the_features_and_the_glossary_speak_hqs_language(vocabulary: Vocabulary) -> None:
    found = [str(p) for p in vocabulary.check() if "avoids" in p.message]
    assert not found, "\n".join(found)
