"""Each feature file read and parsed once a run: one parse for the checks, pytest-bdd, stream."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gherkin.stream.id_generator import IdGenerator

from hq_spec.gherkin_reading import FeatureDocument, FeatureUnreadable, parse_gherkin, relative
from hq_spec.parse_cache import ParseCache, parse_cache_of, project_parse_cache


@dataclass(frozen=True)
class ParsedFeature:
    """One feature file as gherkin-official reads it. Shared by every reader: never mutated."""

    path: Path  # resolved
    uri: str  # relative to the root, with forward slashes: how authors and reports name it
    text: str
    document: dict[str, Any]  # the GherkinDocument, with its uri
    pickles: list[dict[str, Any]]

    def as_document(self) -> FeatureDocument:
        return FeatureDocument(self.uri, self.document, self.pickles)


# What says a file is still the one parsed: an editor that saves changes the time or the size,
# one that replaces the file changes the inode.
Stamp = tuple[int, int, int]


def stamp_of(stat: os.stat_result) -> Stamp:
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


class RunIds(IdGenerator):
    """gherkin-official's id generator ("0", "1", ...) that also says which id comes next and can
    skip ids: a parse read back from disk takes as many as it used when it was made."""

    def __init__(self) -> None:
        super().__init__()
        self.next = 0

    def get_next_id(self) -> str:
        given = self.next
        self.next += 1
        return str(given)

    def skip(self, count: int) -> None:
        self.next += count


class FeatureSources:
    """A run's feature files, each read and parsed once, on first use, and again only when it has
    changed on disk since (a long-running process outlives an edit). Every parse numbers its nodes
    from the run's one id generator, which the Cucumber Messages stream goes on using, so ids stay
    unique across the stream whichever part of the plugin read a file first. With a parse cache,
    a file whose text was parsed in an earlier run is read back from disk, its ids renumbered to
    continue from the generator, exactly as parsing it here would have numbered them."""

    def __init__(
        self, root: Path, cache: ParseCache | Callable[[], ParseCache | None] | None = None
    ) -> None:
        self.root = root
        self.ids = RunIds()
        self._cache = cache  # or how to find it, on first read
        self._read: dict[Path, tuple[Stamp, ParsedFeature | FeatureUnreadable]] = {}

    @classmethod
    def of_project(cls, root: Path) -> FeatureSources:
        """For hq-spec outside pytest: with the parse cache a pytest run there keeps."""
        return cls(root, project_parse_cache(root))

    @property
    def cache(self) -> ParseCache | None:
        if callable(self._cache):
            self._cache = self._cache()
        return self._cache

    def read(self, path: Path) -> ParsedFeature:
        """The file's parse. Raises FeatureUnreadable (not Gherkin) or OSError (not readable)."""
        resolved = path.resolve()
        stamp = stamp_of(resolved.stat())
        known = self._read.get(resolved)
        if known is None or known[0] != stamp:
            known = self._read[resolved] = (stamp, self._parse(resolved))
        found = known[1]
        if isinstance(found, FeatureUnreadable):
            # A fresh exception each time: one raised again would pile up tracebacks.
            raise FeatureUnreadable(str(found), found.line, found.gherkin_message)
        return found

    def document(self, path: Path) -> FeatureDocument:
        """The file as the checks read it. Raises FeatureUnreadable or OSError."""
        return self.read(path).as_document()

    def _parse(self, path: Path) -> ParsedFeature | FeatureUnreadable:
        text = path.read_text(encoding="utf-8")
        uri = Path(relative(path, self.root)).as_posix()
        first_id = self.ids.next
        cache = self.cache
        cached = cache.load(uri, text, first_id) if cache else None
        if cached is not None:
            self.ids.skip(cached.id_count)
            return ParsedFeature(path, uri, text, cached.document, cached.pickles)
        try:
            document, pickles = parse_gherkin(text, uri, self.ids)
        except FeatureUnreadable as error:
            return error  # never remembered: its error is told again, as found again
        if cache:
            cache.store(uri, text, first_id, self.ids.next - first_id, document, pickles)
        return ParsedFeature(path, uri, text, document, pickles)


SOURCES = pytest.StashKey[FeatureSources]()


def sources_of(config: pytest.Config) -> FeatureSources:
    """The run's feature sources (one per pytest process, so one per xdist worker)."""
    sources = config.stash.get(SOURCES, None)
    if sources is None:
        # The cache is found on first read: the sources are made while pytest configures, before
        # its cacheprovider has set config.cache.
        sources = FeatureSources(config.rootpath, lambda: parse_cache_of(config))
        config.stash[SOURCES] = sources
    return sources
