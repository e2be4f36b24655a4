"""A feature found clean is not checked again while nothing the checks read has changed; any change
(its text, the words to avoid, the tags file, the checks' code) has it checked, and explained."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hq_spec import clean_checks, feature_files, parse_cache
from hq_spec.clean_checks import RECORD, CleanChecks, verdict_key
from hq_spec.feature_sources import FeatureSources
from hq_spec.parse_cache import FOLDER, ParseCache
from toy_project import FEATURE, INI, make_project


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each feature (by its uri) went through the authoring checks."""
    counted: Counter[str] = Counter()
    check = feature_files.check_document

    def counting(document: Any, *args: Any) -> Any:
        counted[document.file] += 1
        return check(document, *args)

    monkeypatch.setattr(feature_files, "check_document", counting)
    return counted


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-p", "no:xdist", *args)


def records(pytester: pytest.Pytester) -> list[Path]:
    return sorted((pytester.path / ".pytest_cache" / "d" / FOLDER).glob(f"*{RECORD}"))


def test_a_feature_with_a_problem_is_never_remembered_and_is_explained_every_run(
    pytester: pytest.Pytester, checked: Counter[str]
) -> None:
    make_project(pytester, feature=FEATURE.replace("@smoke", "@nightly"))
    for times in (1, 2):
        result = run(pytester)
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*@nightly*"])
        assert checked == {"features/toy.feature": times}
    assert records(pytester) == []


def test_a_clean_feature_is_not_checked_again_in_the_next_run(
    pytester: pytest.Pytester, checked: Counter[str]
) -> None:
    make_project(pytester)
    run(pytester).assert_outcomes(passed=1)
    assert checked == {"features/toy.feature": 1}
    assert len(records(pytester)) == 1
    run(pytester).assert_outcomes(passed=1)
    assert checked == {"features/toy.feature": 1}


@pytest.mark.parametrize(
    "change",
    ["the feature's text", "the words to avoid", "the tags file"],
)
def test_a_change_to_what_the_checks_read_has_the_feature_checked_and_explained(
    pytester: pytest.Pytester, checked: Counter[str], change: str
) -> None:
    features = make_project(pytester)
    run(pytester).assert_outcomes(passed=1)
    if change == "the feature's text":
        (features / "toy.feature").write_text(FEATURE + "  Scenario: Recruiting Volt\n")
        said = "*two scenarios are named*"
    elif change == "the words to avoid":
        pytester.makeini(INI + "hq_spec_words_to_avoid = roster => list\n")
        said = '*"roster" is a word this specification avoids*'
    else:
        (features / "TAGS.md").write_text("# Tags\n\n- @slow: takes a while\n")
        said = "*@smoke*"
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([said])
    assert checked == {"features/toy.feature": 2}


def test_without_pytest_s_cache_every_run_checks(
    pytester: pytest.Pytester, checked: Counter[str]
) -> None:
    make_project(pytester)
    for _ in range(2):
        run(pytester, "-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert checked == {"features/toy.feature": 2}


def test_the_verdict_s_key_covers_everything_the_checks_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = verdict_key("Feature: A\n", ["roster"], ["smoke", "slow"])
    assert key == verdict_key("Feature: A\n", ["roster"], ["slow", "smoke"])  # a list, unordered
    assert key != verdict_key("Feature: B\n", ["roster"], ["smoke", "slow"])
    assert key != verdict_key("Feature: A\n", ["rosters?"], ["smoke", "slow"])
    assert key != verdict_key("Feature: A\n", [], ["smoke", "slow"])
    assert key != verdict_key("Feature: A\n", ["roster"], ["smoke"])
    assert verdict_key("Feature: A\n", [], []) != verdict_key("Feature: A\n", [], None)
    # Words are kept apart: two words are not one word written across them.
    assert verdict_key("A", ["ab", "c"], None) != verdict_key("A", ["a", "bc"], None)
    monkeypatch.setattr(clean_checks, "_checks_code", lambda: "the checks, edited")
    assert key != verdict_key("Feature: A\n", ["roster"], ["smoke", "slow"])


def test_another_gherkin_parser_makes_every_record_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    before = clean_checks._checks_code()
    clean_checks._checks_code.cache_clear()
    monkeypatch.setattr(clean_checks, "version", lambda name: "0.0.1-another")
    try:
        assert clean_checks._checks_code() != before
    finally:
        clean_checks._checks_code.cache_clear()


def test_the_checks_code_is_every_checking_module_s_source() -> None:
    package = Path(clean_checks.__file__).parent
    for module in clean_checks.CHECKING_MODULES:
        assert (package / f"{module}.py").is_file()


def test_a_record_is_replaced_whole_and_an_unusable_folder_remembers_nothing(
    tmp_path: Path,
) -> None:
    records_here = CleanChecks(tmp_path)
    records_here.remember_clean("features/a.feature", "first")
    records_here.remember_clean("features/a.feature", "second")
    assert records_here.is_clean("features/a.feature", "second")
    assert not records_here.is_clean("features/a.feature", "first")
    assert not records_here.is_clean("features/b.feature", "second")
    assert [path.suffix for path in tmp_path.iterdir()] == [RECORD]
    gone = CleanChecks(tmp_path / "missing")
    gone.remember_clean("features/a.feature", "first")  # no error
    assert not gone.is_clean("features/a.feature", "first")


def test_records_are_kept_to_the_folder_s_size_with_the_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    CleanChecks(folder).remember_clean("../elsewhere/a.feature", "old")
    [old] = folder.iterdir()
    os.utime(old, ns=(1_000_000_000, 1_000_000_000))  # long ago
    feature = tmp_path / "b.feature"
    feature.write_text("Feature: B\n  Scenario: One\n    Given Volt has joined the roster\n")
    monkeypatch.setattr(parse_cache, "MAX_BYTES", 1)  # nothing fits: the oldest go first
    FeatureSources(tmp_path, ParseCache(folder)).read(feature)
    assert not old.exists()
