"""A feature file's parse is remembered on disk while the file is unchanged: a rerun reads it
back instead of parsing it again, numbered as a parse would have been."""

from __future__ import annotations

import gc
import json
import marshal
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from hq_spec import feature_sources, parse_cache
from hq_spec.feature_sources import FeatureSources
from hq_spec.gherkin_reading import FeatureUnreadable
from hq_spec.parse_cache import FOLDER, ParseCache, project_parse_cache
from toy_project import WITH_OUTLINE, make_project

# Every kind of node gherkin-official numbers: tags, a background, steps, a data table's and an
# examples table's rows, a rule, an outline and its examples.
EVERY_NODE = '''@roster
Feature: Roster
  Background:
    Given Volt has joined the roster

  @smoke
  Scenario: Listing
    Then the roster lists:
      | name |
      | Volt |

  Rule: Recruiting
    @slow
    Scenario Outline: <hero> recruits
      When <hero> recruits "Volt"
      """
      a note
      """

      @first
      Examples:
        | hero |
        | Tide |
        | Gale |
'''
OTHER = "Feature: Other\n  Scenario: Elsewhere\n    Given Volt has joined the roster\n"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each feature (by its uri) was given to gherkin-official, whoever asked."""
    counted: Counter[str] = Counter()
    parse = feature_sources.parse_gherkin

    def counting(text: str, uri: str, ids: Any) -> Any:
        counted[uri] += 1
        return parse(text, uri, ids)

    monkeypatch.setattr(feature_sources, "parse_gherkin", counting)
    return counted


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """An empty folder for the parse cache."""
    folder = tmp_path / "cache"
    folder.mkdir()
    return folder


def write(root: Path, name: str, text: str) -> Path:
    path = root / "features" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir())


def ids_in(node: Any) -> Iterator[str]:
    """Every id a parse gives or refers to."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("id", "astNodeId"):
                yield value
            elif key == "astNodeIds":
                yield from value
            else:
                yield from ids_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from ids_in(item)


def test_an_unchanged_feature_is_read_back_from_disk_in_the_next_run_not_parsed_again(
    tmp_path: Path, cache: Path, parsed: Counter[str]
) -> None:
    path = write(tmp_path, "roster.feature", EVERY_NODE)
    first = FeatureSources(tmp_path, ParseCache(cache)).read(path)
    assert parsed == {"features/roster.feature": 1}
    assert len(entries(cache)) == 1

    again = FeatureSources(tmp_path, ParseCache(cache))  # the next run
    second = again.read(path)
    assert parsed == {"features/roster.feature": 1}  # read back, not parsed
    assert (second.document, second.pickles) == (first.document, first.pickles)
    assert second.uri == "features/roster.feature"
    assert second.document["uri"] == "features/roster.feature"
    assert again.ids.next == len(set(ids_in([first.document, first.pickles])))


def test_an_edited_feature_is_parsed_again_and_replaces_its_entry(
    tmp_path: Path, cache: Path, parsed: Counter[str]
) -> None:
    path = write(tmp_path, "roster.feature", EVERY_NODE)
    FeatureSources(tmp_path, ParseCache(cache)).read(path)
    path.write_text(EVERY_NODE.replace("| Gale |", "| Hail |"))  # the same size and uri
    edited = FeatureSources(tmp_path, ParseCache(cache)).read(path)
    assert parsed == {"features/roster.feature": 2}
    assert [pickle["name"] for pickle in edited.pickles][-1] == "Hail recruits"
    assert len(entries(cache)) == 1  # one entry a feature, however often it is edited

    FeatureSources(tmp_path, ParseCache(cache)).read(path)
    assert parsed == {"features/roster.feature": 2}  # the edited text is remembered now


def test_a_feature_read_back_second_continues_the_run_s_ids_as_a_parse_would_have(
    tmp_path: Path, cache: Path, parsed: Counter[str]
) -> None:
    roster = write(tmp_path, "roster.feature", EVERY_NODE)
    other = write(tmp_path, "other.feature", OTHER)
    first_run = FeatureSources(tmp_path, ParseCache(cache))
    first_run.read(roster)  # remembered from id 0
    first_run.read(other)

    # This run reads them the other way round: roster's ids now continue after other's.
    cached_run = FeatureSources(tmp_path, ParseCache(cache))
    read_back = [cached_run.read(other), cached_run.read(roster)]
    assert parsed == {"features/roster.feature": 1, "features/other.feature": 1}
    uncached_run = FeatureSources(tmp_path)
    parsed_now = [uncached_run.read(other), uncached_run.read(roster)]
    for back, now in zip(read_back, parsed_now, strict=True):
        assert (back.document, back.pickles) == (now.document, now.pickles)
    assert cached_run.ids.next == uncached_run.ids.next
    given = [id_ for p in read_back for id_ in ids_in([p.document["feature"], p.pickles])]
    assert cached_run.ids.get_next_id() not in given  # the stream's next id is still free
    assert "0" in given
    # Pickles, their steps and tags point at the document's own nodes.
    for feature in read_back:
        nodes = {id_ for id_ in ids_in(feature.document)}
        for pickle in feature.pickles:
            assert set(pickle["astNodeIds"]) <= nodes
            assert {tag["astNodeId"] for tag in pickle["tags"]} <= nodes
            for step in pickle["steps"]:
                assert set(step["astNodeIds"]) <= nodes


def test_a_corrupt_or_truncated_entry_is_ignored_and_written_again(
    tmp_path: Path, cache: Path, parsed: Counter[str]
) -> None:
    path = write(tmp_path, "roster.feature", EVERY_NODE)
    expected = FeatureSources(tmp_path).read(path)
    FeatureSources(tmp_path, ParseCache(cache)).read(path)
    [entry] = entries(cache)
    whole = entry.read_bytes()
    for damaged in (b"not a parse", whole[: len(whole) // 2], b""):
        entry.write_bytes(damaged)
        read = FeatureSources(tmp_path, ParseCache(cache)).read(path)
        assert (read.document, read.pickles) == (expected.document, expected.pickles)
        assert entry.read_bytes() == whole  # rewritten
    assert parsed == {"features/roster.feature": 5}  # once uncached, once cached, 3 damaged


def test_another_feature_s_entry_is_never_served_even_for_the_same_text(
    tmp_path: Path, cache: Path, parsed: Counter[str]
) -> None:
    roster = write(tmp_path, "roster.feature", OTHER)
    twin = write(tmp_path, "twin.feature", OTHER)
    FeatureSources(tmp_path, ParseCache(cache)).read(roster)
    FeatureSources(tmp_path, ParseCache(cache)).read(twin)
    roster_entry, twin_entry = (
        ParseCache(cache)._entry(f"features/{name}") for name in ("roster.feature", "twin.feature")
    )
    twin_entry.write_bytes(roster_entry.read_bytes())  # the twin's entry now holds roster's parse
    read = FeatureSources(tmp_path, ParseCache(cache)).read(twin)
    assert read.document["uri"] == read.pickles[0]["uri"] == "features/twin.feature"
    assert parsed == {"features/roster.feature": 1, "features/twin.feature": 2}


def test_a_parse_made_by_another_gherkin_version_is_not_used(
    tmp_path: Path,
    cache: Path,
    parsed: Counter[str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    path = write(tmp_path, "roster.feature", OTHER)
    FeatureSources(tmp_path, ParseCache(cache)).read(path)
    monkeypatch.setattr(parse_cache, "version", {"gherkin-official": "0.0.1"}.__getitem__)
    parse_cache._versions.cache_clear()
    request.addfinalizer(parse_cache._versions.cache_clear)
    FeatureSources(tmp_path, ParseCache(cache)).read(path)
    assert parsed == {"features/roster.feature": 2}


def test_a_missing_or_unusable_cache_folder_means_no_cache_never_an_error(
    tmp_path: Path, parsed: Counter[str]
) -> None:
    path = write(tmp_path, "roster.feature", OTHER)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    for folder in (tmp_path / "missing", blocker, blocker / "inside"):
        for _ in range(2):
            assert FeatureSources(tmp_path, ParseCache(folder)).read(path).pickles
    assert parsed == {"features/roster.feature": 6}
    assert not (tmp_path / "missing").exists()
    assert blocker.read_text() == "a file where the folder should be"
    assert entries(tmp_path) == [blocker, tmp_path / "features"]  # nothing left lying about


def test_a_feature_that_is_not_gherkin_is_never_remembered(
    tmp_path: Path, cache: Path, parsed: Counter[str]
) -> None:
    broken = "Feature: Broken\n  Scenario: One\n    Given a step\n  Examples nowhere\n"
    path = write(tmp_path, "broken.feature", broken)
    for _ in range(2):
        with pytest.raises(FeatureUnreadable) as unreadable:
            FeatureSources(tmp_path, ParseCache(cache)).read(path)
        assert unreadable.value.line == 4
        assert "'Examples nowhere' cannot stand here" in str(unreadable.value)
    assert entries(cache) == []
    assert parsed == {"features/broken.feature": 2}


def stream_of(pytester: pytest.Pytester, *args: str, passed: int = 4) -> list[str]:
    """The run's messages, without what differs from one run to the next: times, durations, and
    the order of the runs, which the stream gives by their start times."""
    result = pytester.runpytest_inprocess(
        "--cucumber-messages=messages.ndjson", "-p", "no:xdist", *args
    )
    result.assert_outcomes(passed=passed)
    lines = (pytester.path / "messages.ndjson").read_text(encoding="utf-8").splitlines()
    return sorted(json.dumps(timeless(json.loads(line)), sort_keys=True) for line in lines)


def timeless(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: timeless(v) for k, v in node.items() if k not in ("timestamp", "duration")}
    if isinstance(node, list):
        return [timeless(item) for item in node]
    return node


def test_a_rerun_reads_its_features_back_and_streams_the_same_messages_as_a_parsed_run(
    pytester: pytest.Pytester, parsed: Counter[str]
) -> None:
    features = make_project(pytester, feature=WITH_OUTLINE)
    (features / "other.feature").write_text(OTHER)
    uncached = stream_of(pytester, "-p", "no:cacheprovider")
    assert parsed == {"features/toy.feature": 1, "features/other.feature": 1}
    assert not (pytester.path / ".pytest_cache").exists()  # no cacheprovider: no disk cache

    first = stream_of(pytester)
    assert parsed == {"features/toy.feature": 2, "features/other.feature": 2}
    # One parse a feature (the record of its clean checks lives beside it).
    assert len(list((pytester.path / ".pytest_cache" / "d" / FOLDER).glob("*.parse"))) == 2
    cached = stream_of(pytester)
    assert parsed == {"features/toy.feature": 2, "features/other.feature": 2}  # none parsed
    assert cached == first == uncached
    envelopes = [json.loads(message) for message in cached]
    ids = [envelope["pickle"]["id"] for envelope in envelopes if "pickle" in envelope]
    assert len(ids) == len(set(ids)) == 4

    # One feature alone: toy.feature's parse is read back numbered from the run's first id.
    alone = stream_of(pytester, "features/toy.feature", "-p", "no:cacheprovider", passed=3)
    assert stream_of(pytester, "features/toy.feature", passed=3) == alone
    assert parsed == {"features/toy.feature": 3, "features/other.feature": 2}


def test_a_run_whose_cache_folder_cannot_be_made_runs_as_before_parsing_each_time(
    pytester: pytest.Pytester, parsed: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(pytester)

    def read_only(self: pytest.Cache, name: str) -> Path:
        raise PermissionError(f"cannot make {name}: read-only file system")

    monkeypatch.setattr(pytest.Cache, "mkdir", read_only)
    for _ in range(2):
        pytester.runpytest_inprocess("-p", "no:xdist").assert_outcomes(passed=1)
    assert parsed == {"features/toy.feature": 2}


def test_hq_spec_reads_back_the_parses_a_pytest_run_of_the_project_remembered(
    pytester: pytest.Pytester, parsed: Counter[str]
) -> None:
    features = make_project(pytester)
    toy = features / "toy.feature"
    assert project_parse_cache(pytester.path) is None  # pytest has made no cache folder here
    FeatureSources.of_project(pytester.path).read(toy)
    assert not (pytester.path / ".pytest_cache").exists()  # and hq-spec never makes one

    pytester.runpytest_inprocess("-p", "no:xdist").assert_outcomes(passed=1)
    assert parsed == {"features/toy.feature": 2}
    FeatureSources.of_project(pytester.path).read(toy)
    assert parsed == {"features/toy.feature": 2}  # read back, as pytest remembered it


def test_hq_spec_looks_where_the_project_s_cache_dir_says_and_not_when_it_is_turned_off(
    tmp_path: Path,
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\ncache_dir = elsewhere\n")
    cache = project_parse_cache(tmp_path)
    assert cache is not None
    assert cache.folder == tmp_path / "elsewhere" / "d" / FOLDER
    assert cache.folder.is_dir()

    (tmp_path / "pytest.ini").write_text(
        "[pytest]\ncache_dir = elsewhere\naddopts = -p no:cacheprovider\n"
    )
    assert project_parse_cache(tmp_path) is None


def test_an_entry_is_written_aside_and_renamed_so_a_failed_write_leaves_the_last_one_whole(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "roster.feature", OTHER)
    FeatureSources(tmp_path, ParseCache(cache)).read(path)
    [entry] = entries(cache)
    whole = entry.read_bytes()

    def interrupted(source: str, target: str) -> None:
        raise OSError("the disk is full")

    # xdist workers storing the same feature at once each rename a whole entry into place: none
    # ever writes into the entry another is reading.
    monkeypatch.setattr(os, "replace", interrupted)
    path.write_text(OTHER.replace("Elsewhere", "Nowhere"))
    assert FeatureSources(tmp_path, ParseCache(cache)).read(path).pickles[0]["name"] == "Nowhere"
    assert entries(cache) == [entry]  # the temporary file is gone
    assert entry.read_bytes() == whole


def test_the_folder_keeps_to_its_size_by_dropping_the_least_recently_used_entries(
    tmp_path: Path, cache: Path, parsed: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = (write(tmp_path, f"{n}.feature", OTHER.replace("Other", n)) for n in "ABC")
    FeatureSources(tmp_path, ParseCache(cache)).read(a)
    [entry_of_a] = entries(cache)
    os.utime(entry_of_a, ns=(1_000_000_000, 1_000_000_000))  # long ago
    FeatureSources(tmp_path, ParseCache(cache)).read(b)
    monkeypatch.setattr(parse_cache, "MAX_BYTES", entry_of_a.stat().st_size * 5 // 2)  # two fit

    FeatureSources(tmp_path, ParseCache(cache)).read(a)  # used again: now b is the oldest
    FeatureSources(tmp_path, ParseCache(cache)).read(c)  # a third entry: one must go
    assert len(entries(cache)) == 2
    assert parsed == {"features/A.feature": 1, "features/B.feature": 1, "features/C.feature": 1}
    for path in (a, c, b):  # a and c remembered, b dropped
        FeatureSources(tmp_path, ParseCache(cache)).read(path)
    assert parsed == {"features/A.feature": 1, "features/B.feature": 2, "features/C.feature": 1}


def test_the_folder_is_kept_to_its_size_once_a_run_not_after_every_entry(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed: list[str] = []
    scandir = os.scandir

    def listing(folder: Any) -> Any:
        listed.append(str(folder))
        return scandir(folder)

    monkeypatch.setattr(parse_cache.os, "scandir", listing)
    one_run = FeatureSources(tmp_path, ParseCache(cache))
    for name in "ABC":
        one_run.read(write(tmp_path, f"{name}.feature", OTHER.replace("Other", name)))
    assert len(entries(cache)) == 3
    assert listed == [str(cache)]


def test_reading_back_holds_the_cyclic_collector_off_and_leaves_it_as_it_was(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "roster.feature", EVERY_NODE)
    FeatureSources(tmp_path, ParseCache(cache)).read(path)
    collecting: list[bool] = []

    def loads(data: bytes) -> Any:
        collecting.append(gc.isenabled())
        return marshal.loads(data)  # noqa: S302 (the entry this test just wrote)

    monkeypatch.setattr(parse_cache, "marshal", SimpleNamespace(loads=loads, dumps=marshal.dumps))
    assert FeatureSources(tmp_path, ParseCache(cache)).read(path).pickles
    assert gc.isenabled()
    gc.disable()
    try:
        assert FeatureSources(tmp_path, ParseCache(cache)).read(path).pickles
        assert not gc.isenabled()  # whoever turned it off keeps it off
    finally:
        gc.enable()
    assert collecting == [False, False]  # a session-sized heap walked many times over, otherwise
