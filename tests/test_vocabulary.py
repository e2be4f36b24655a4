"""One vocabulary, no jargon: the features and the glossary's meanings speak HQ's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hq_spec.catalog import load_definitions, step_modules
from tests.spec_run import ROOT

# Words of the machinery, not of HQ: a product owner should never need them.
PROTOCOL_WORDS = re.compile(
    r"\b(cookies?|https?|json|events?|content[ -]type|redirects?|[1-5]xx|tracebacks?|headers?"
    r"|urls?|status(?: code)? [1-5]\d\d|status codes?|max-age|httponly|samesite)\b",
    re.IGNORECASE,
)
# One word per concept: the word on the left is never used for the concept on the right.
RETIRED_WORDS = {
    r"\bold pass\b": "previous pass",
    r"\b\d+ letters\b": "characters",
    r"\bonce let through\b": "a name for what the examples show",
}
# "Paperwork" is a recruit's form: only the capabilities that recruit speak of it.
PAPERWORK_FOLDERS = {"paperwork", "roster", "guard"}
FEATURES = sorted((ROOT / "features").rglob("*.feature"))


def _lines(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


@pytest.mark.parametrize("feature", FEATURES, ids=lambda path: path.name)
def test_features_use_no_protocol_words(feature: Path) -> None:
    found = [
        f"{feature.name}:{n}: {line.strip()}"
        for n, line in _lines(feature)
        if PROTOCOL_WORDS.search(line)
    ]
    assert not found, "protocol words in a feature:\n" + "\n".join(found)


def test_glossary_meanings_use_no_protocol_words() -> None:
    definitions = load_definitions(step_modules(ROOT), ROOT)
    found = [
        f"{d.location}: {d.phrase}: {d.description}"
        for d in definitions
        if PROTOCOL_WORDS.search(d.phrase) or PROTOCOL_WORDS.search(d.description)
    ]
    assert not found, "protocol words in the glossary:\n" + "\n".join(found)


def test_each_concept_has_one_word() -> None:
    found = [
        f"{feature.name}:{n}: {pattern} (say {word})"
        for feature in FEATURES
        for n, line in _lines(feature)
        for pattern, word in RETIRED_WORDS.items()
        if re.search(pattern, line, re.IGNORECASE)
    ]
    assert not found, "retired words:\n" + "\n".join(found)


def test_paperwork_is_only_a_recruits_form() -> None:
    found = [
        f"{feature.relative_to(ROOT)}:{n}: {line.strip()}"
        for feature in FEATURES
        if feature.parent.name not in PAPERWORK_FOLDERS
        for n, line in _lines(feature)
        if "paperwork" in line.lower()
    ]
    assert not found, "paperwork outside recruiting:\n" + "\n".join(found)


def test_the_protocol_word_check_would_notice_jargon() -> None:
    for jargon in ("the cookie is set", "HQ answers status 404", "a JSON body", "an event stream"):
        assert PROTOCOL_WORDS.search(jargon), jargon
    for plain in ("Volt's pass", "hero number 404", "the feed reports", "100 characters"):
        assert PROTOCOL_WORDS.search(plain) is None, plain
