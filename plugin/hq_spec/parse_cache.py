"""A feature file's parse remembered on disk while the file is unchanged, as pytest keeps .pyc."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from hq_spec.cache_files import WRITING, file_for, mark_used, write_whole
from hq_spec.clean_checks import RECORD as CLEAN_RECORD
from hq_spec.cyclic_gc import cyclic_gc_paused

# Bumped whenever what an entry holds, or how, changes: an older entry then never matches.
FORMAT = 1
# The folder's name inside pytest's cache (pytest asks for a name that says whose it is).
FOLDER = "hq-spec-parses"
# How large the folder may grow. An entry outlives its feature file (a benchmark writes its
# features in a fresh temporary folder each time); past this, the least recently used go. A
# 2,000-scenario feature's entry is about 1.6 MB.
MAX_BYTES = 64 * 1024 * 1024
ENTRY = ".parse"


@dataclass(frozen=True)
class CachedParse:
    """gherkin-official's document and pickles for one text, numbered from the id asked for."""

    document: dict[str, Any]
    pickles: list[dict[str, Any]]
    id_count: int  # how many ids the parse used: the run's generator skips them


class ParseCache:
    """One entry a feature file (named after its uri, so an edit replaces it, never piles up),
    holding the parse of one exact text. The entry's key is everything the parse depends on or is
    stored with: the text, its uri, gherkin-official's version, this cache's format and Python's
    (marshal's format follows Python's). A missing, foreign, stale or corrupt entry is a miss,
    and a folder that cannot be written to only means nothing is remembered."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # The folder is kept to its size once a run (at the run's first store), not after every
        # store: a cold run over N features would otherwise list and stat it N times.
        self._pruned = False

    def load(self, uri: str, text: str, first_id: int) -> CachedParse | None:
        """The text's parse, its ids renumbered to start at `first_id`; None if not remembered."""
        entry = self._entry(uri)
        try:
            # marshal, as for .pyc: twice as fast to read back as JSON, and the entry is this
            # cache's own file in the project's cache folder, trusted as pytest trusts its .pyc.
            with cyclic_gc_paused():
                key, stored_first, id_count, document, pickles = marshal.loads(  # noqa: S302
                    entry.read_bytes()  # whole: marshal.load reads a file in small pieces
                )
            if key != _key(uri, text) or type(document) is not dict or type(pickles) is not list:
                return None
            shift = first_id - stored_first
            if shift:
                names = {str(stored_first + n): str(first_id + n) for n in range(id_count)}
                _renumber(document, names)
                _renumber(pickles, names)
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
            return None  # unreadable, or not what this cache writes: parsed again, rewritten
        mark_used(entry)
        return CachedParse(document, pickles, id_count)

    def store(
        self,
        uri: str,
        text: str,
        first_id: int,
        id_count: int,
        document: dict[str, Any],
        pickles: list[dict[str, Any]],
    ) -> None:
        """Remember a parse of `text` whose ids are first_id .. first_id + id_count - 1."""
        payload = marshal.dumps((_key(uri, text), first_id, id_count, document, pickles))
        if not write_whole(self._entry(uri), payload):
            return
        if not self._pruned:
            self._pruned = True
            self._prune()

    def _entry(self, uri: str) -> Path:
        return file_for(self.folder, uri, ENTRY)

    def _prune(self) -> None:
        """Remove the least recently used files while the folder is larger than MAX_BYTES: parses,
        records of clean checks, and, in its turn, a writer's file left by a process killed."""
        files: list[tuple[int, int, str]] = []
        try:
            with os.scandir(self.folder) as listing:
                for item in listing:
                    if item.name.endswith((ENTRY, CLEAN_RECORD, WRITING)):
                        with contextlib.suppress(OSError):  # removed meanwhile by another worker
                            stat = item.stat()
                            files.append((stat.st_mtime_ns, stat.st_size, item.path))
        except OSError:
            return
        size = sum(file_size for _, file_size, _ in files)
        for _, file_size, path in sorted(files):
            if size <= MAX_BYTES:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
            size -= file_size


def parse_cache_of(config: pytest.Config) -> ParseCache | None:
    """The cache in pytest's own cache folder (`.pytest_cache` or the project's `cache_dir`);
    None when the cacheprovider plugin is off (`-p no:cacheprovider`) or the folder is read-only."""
    pytest_cache = getattr(config, "cache", None)
    if pytest_cache is None:
        return None
    try:
        return ParseCache(pytest_cache.mkdir(FOLDER))
    except OSError:
        return None


def project_parse_cache(root: Path) -> ParseCache | None:
    """For hq-spec outside pytest: the folder a pytest run at `root` uses, if pytest has made its
    cache folder there (pytest writes it with its own .gitignore; it is never made here without
    one). None when the project turns the cacheprovider off or the folder cannot be made."""
    # Imported here: a run that loads the stream's plugin by name (`-p hq_spec.messages_plugin`)
    # imports this module before pytest can rewrite the plugin's modules, settings among them.
    from hq_spec.settings import ini_values

    values = ini_values(root)
    addopts = values.get("addopts", "")
    options = " ".join(addopts) if isinstance(addopts, list) else str(addopts)
    if "no:cacheprovider" in options + " " + os.environ.get("PYTEST_ADDOPTS", ""):
        return None
    # As pytest reads `cache_dir`: ~ and $VARIABLES expanded, relative to the root.
    cache_dir = root / os.path.expandvars(
        os.path.expanduser(values.get("cache_dir", ".pytest_cache"))
    )
    if not cache_dir.is_dir():
        return None
    folder = cache_dir / "d" / FOLDER  # where pytest's `config.cache.mkdir(FOLDER)` puts it
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return ParseCache(folder)


@cache
def _versions() -> tuple[int, str, str, int]:
    return FORMAT, version("gherkin-official"), sys.implementation.cache_tag, marshal.version


def _key(uri: str, text: str) -> tuple[int | str, ...]:
    return (*_versions(), uri, hashlib.sha256(text.encode()).hexdigest())


# The fields gherkin-official numbers (ast_builder.py, pickles/compiler.py): every node's and
# pickle's `id`, and the references back to nodes from pickles, their steps and their tags.
_ID = frozenset({"id", "astNodeId"})


def _renumber(node: dict[str, Any] | list[Any], names: dict[str, str]) -> None:
    """Rename, in place, every id in a parse's document or pickles."""
    # `type() is` rather than isinstance: this visits every node of a large parse.
    if type(node) is dict:
        for field, value in node.items():
            if field in _ID:
                node[field] = names[value]
            elif field == "astNodeIds":
                node[field] = [names[id_] for id_ in value]
            elif field != "location" and (type(value) is dict or type(value) is list):
                _renumber(value, names)
    else:
        for item in node:
            if type(item) is dict or type(item) is list:
                _renumber(item, names)
