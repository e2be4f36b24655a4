"""Each feature file read and parsed once a run: one parse for the checks, pytest-bdd, stream."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gherkin.stream.id_generator import IdGenerator

from hq_spec.gherkin_reading import FeatureDocument, FeatureUnreadable, parse_gherkin, relative


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


class FeatureSources:
    """A run's feature files, each read and parsed once, on first use, and again only when it has
    changed on disk since (a long-running process outlives an edit). Every parse numbers its nodes
    from the run's one id generator, which the Cucumber Messages stream goes on using, so ids stay
    unique across the stream whichever part of the plugin read a file first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ids = IdGenerator()
        self._read: dict[Path, tuple[Stamp, ParsedFeature | FeatureUnreadable]] = {}

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
        try:
            document, pickles = parse_gherkin(text, uri, self.ids)
        except FeatureUnreadable as error:
            return error
        return ParsedFeature(path, uri, text, document, pickles)


SOURCES = pytest.StashKey[FeatureSources]()


def sources_of(config: pytest.Config) -> FeatureSources:
    """The run's feature sources (one per pytest process, so one per xdist worker)."""
    sources = config.stash.get(SOURCES, None)
    if sources is None:
        sources = config.stash[SOURCES] = FeatureSources(config.rootpath)
    return sources
