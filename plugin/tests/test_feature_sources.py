"""Each feature file is parsed once a run, for the checks, pytest-bdd and the stream alike, and
read again when it changes on disk."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

from hq_spec.feature_sources import FeatureSources
from hq_spec.gherkin_reading import FeatureUnreadable
from toy_project import WITH_OUTLINE, make_project
from vocabulary_fixture import load

# The toy project's feature, with an outline and an undefined step besides.
COLLECTED = (
    WITH_OUTLINE
    + """
  Scenario: Nobody wrote this step
    Given Volt has joined the roster
    When Volt whistles
"""
)
BOUND = """Feature: Bound elsewhere
  Scenario: Volt again
    Given Volt has joined the roster
    Then the roster lists Volt
"""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times gherkin-official parsed each feature (by its name), whoever asked."""
    counted: Counter[str] = Counter()
    parse = Parser.parse

    def counting(self: Parser, *args: Any, **kwargs: Any) -> Any:
        document = parse(self, *args, **kwargs)
        counted[document["feature"]["name"]] += 1
        return document

    monkeypatch.setattr(Parser, "parse", counting)
    return counted


def ids_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "id":
                yield value
            else:
                yield from ids_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from ids_in(item)


def of_kind(envelopes: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [envelope[kind] for envelope in envelopes if kind in envelope]


def test_each_feature_is_parsed_once_a_run_with_the_checks_pytest_bdd_and_the_stream_on(
    pytester: pytest.Pytester, parses: Counter[str]
) -> None:
    make_project(pytester, feature=COLLECTED)
    (pytester.path / "elsewhere").mkdir()
    (pytester.path / "elsewhere" / "bound.feature").write_text(BOUND)
    pytester.makepyfile(
        test_bound='from pytest_bdd import scenarios\n\nscenarios("elsewhere/bound.feature")\n'
    )
    result = pytester.runpytest_inprocess(
        "features",
        "test_bound.py",  # elsewhere/ is bound by this module only, not collected itself
        "--cucumber-messages=messages.ndjson",
        "--gherkin-terminal-reporter",
        "-p",
        "no:xdist",
    )
    # The undefined step sends did-you-mean to every feature's steps too.
    result.assert_outcomes(passed=4, failed=1)
    assert parses == {"Toy roster": 1, "Bound elsewhere": 1}

    lines = (pytester.path / "messages.ndjson").read_text(encoding="utf-8").splitlines()
    envelopes = [json.loads(line) for line in lines]
    ids = list(ids_in(envelopes))
    assert len(ids) == len(set(ids)), "an id is used twice in the stream"
    documents = of_kind(envelopes, "gherkinDocument")
    assert sorted(d["uri"] for d in documents) == [
        "elsewhere/bound.feature",
        "features/toy.feature",
    ]
    nodes = set(ids_in(documents))
    pickles = {pickle["id"]: pickle for pickle in of_kind(envelopes, "pickle")}
    assert all(set(p["astNodeIds"]) <= nodes for p in pickles.values())
    cases = of_kind(envelopes, "testCase")
    assert sorted(pickles[case["pickleId"]]["name"] for case in cases) == [
        "Gale recruits Volt",
        "Nobody wrote this step",
        "Recruiting Volt",
        "Tide recruits Volt",
        "Volt again",
    ]
    for case in cases:
        pickle_steps = {step["id"] for step in pickles[case["pickleId"]]["steps"]}
        used = {step["pickleStepId"] for step in case["testSteps"] if "pickleStepId" in step}
        assert used == pickle_steps


def test_a_run_binds_each_feature_as_it_is_now_not_as_an_earlier_run_in_the_process_read_it(
    pytester: pytest.Pytester, parses: Counter[str]
) -> None:
    features = make_project(pytester)
    pytester.runpytest_inprocess("--collect-only", "-q").stdout.fnmatch_lines(
        ["*toy.feature::test_recruiting_volt*"]
    )
    feature = features / "toy.feature"
    feature.write_text(feature.read_text().replace("Recruiting Volt", "Recruiting Tide"))
    result = pytester.runpytest_inprocess("--collect-only", "-q")
    result.stdout.fnmatch_lines(["*toy.feature::test_recruiting_tide*"])
    result.stdout.no_fnmatch_line("*test_recruiting_volt*")
    assert parses == {"Toy roster": 2}  # once in each run


def test_an_unchanged_feature_is_parsed_once_and_a_changed_one_again(
    tmp_path: Path, parses: Counter[str]
) -> None:
    path = tmp_path / "features" / "roster.feature"
    path.parent.mkdir()
    path.write_text("Feature: Roster\n  Scenario: Volt\n    Given Volt joins\n")
    sources = FeatureSources(tmp_path)
    first = sources.read(path)
    assert sources.read(tmp_path / "features" / ".." / "features" / "roster.feature") is first
    assert first.uri == "features/roster.feature"
    assert parses == {"Roster": 1}

    path.write_text("Feature: Roster\n  Scenario: Tide\n    Given Tide joins\n")  # same size
    before = first.path.stat().st_mtime_ns
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))
    second = sources.read(path)
    assert second.pickles[0]["name"] == "Tide"
    assert parses == {"Roster": 2}
    # Both parses are numbered from the run's one generator: no id is given twice.
    assert not set(ids_in([first.document, first.pickles])) & set(
        ids_in([second.document, second.pickles])
    )


def test_an_unreadable_feature_is_parsed_once_told_each_time_and_read_again_once_fixed(
    tmp_path: Path, parses: Counter[str]
) -> None:
    path = tmp_path / "broken.feature"
    path.write_text("Feature: Broken\n  Scenario: One\n    Given a step\n  Examples nowhere\n")
    sources = FeatureSources(tmp_path)
    for _ in range(2):
        with pytest.raises(FeatureUnreadable) as unreadable:
            sources.read(path)
        assert unreadable.value.line == 4
        assert "'Examples nowhere' cannot stand here" in str(unreadable.value)
        assert "(4:3)" in unreadable.value.gherkin_message  # as gherkin-official words it
    with pytest.raises(FileNotFoundError):
        sources.read(tmp_path / "missing.feature")

    path.write_text("Feature: Broken\n  Scenario: One\n    Given a step\n")
    assert sources.read(path).pickles[0]["name"] == "One"
    assert parses == {"Broken": 1}  # the failed parse named no feature; the fixed one did


def test_hq_spec_check_parses_each_feature_once_for_the_vocabulary_and_the_checks(
    tmp_path: Path, parses: Counter[str]
) -> None:
    vocabulary = load(tmp_path)
    assert vocabulary.steps  # read for the vocabulary (did-you-mean's clues)
    problems = vocabulary.check()
    assert [p.message for p in problems if p.file.endswith(".feature")] == []
    assert parses == {"Identity": 1}


def test_a_run_of_one_feature_parses_that_feature_only_and_its_tags_are_markers(
    pytester: pytest.Pytester, parses: Counter[str]
) -> None:
    features = make_project(pytester)
    (features / "other.feature").write_text(
        "@slow\nFeature: Other\n  Scenario: Elsewhere\n    Given Volt has joined the roster\n"
    )
    result = pytester.runpytest_inprocess("features/toy.feature", "--strict-markers", "-q")
    result.assert_outcomes(passed=1)
    assert parses == {"Toy roster": 1}  # not every feature of the folder, for their tags
    pytester.runpytest_inprocess("--strict-markers", "-m", "slow").assert_outcomes(
        passed=1, deselected=1
    )


def test_the_stream_names_a_feature_as_its_scenarios_do_without_touching_the_shared_parse(
    tmp_path: Path,
) -> None:
    from hq_spec.messages.gherkin_sources import FeatureCatalog

    path = tmp_path / "features" / "roster.feature"
    path.parent.mkdir()
    path.write_text("Feature: Roster\n  Scenario: Volt\n    Given Volt joins\n")
    (tmp_path / "linked").symlink_to(tmp_path / "features")
    sources = FeatureSources(tmp_path)
    parsed = sources.read(path)
    catalog = FeatureCatalog(sources)
    linked = catalog.feature("linked/roster.feature")  # the same file, reached through a link
    assert linked is not None
    assert linked.gherkin_document["uri"] == "linked/roster.feature"
    assert [pickle["uri"] for pickle in linked.pickles] == ["linked/roster.feature"]
    assert linked.pickles[0]["id"] == parsed.pickles[0]["id"]  # one parse: the same ids
    assert parsed.document["uri"] == parsed.pickles[0]["uri"] == "features/roster.feature"
    direct = catalog.feature("features/roster.feature")
    assert direct is not None
    assert direct.gherkin_document is parsed.document
    assert catalog.feature("features/missing.feature") is None
    assert catalog.parse_errors["features/missing.feature"]["source"] == {
        "uri": "features/missing.feature"
    }
