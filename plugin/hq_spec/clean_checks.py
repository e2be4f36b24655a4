"""A feature that passed the authoring checks, remembered while nothing the checks read changes.

The checks of a feature (names used twice, unfilled placeholders, words to avoid, unlisted tags)
read every text an author wrote: in a large specification, a sizeable part of collecting it. They
depend only on the feature's text, the words to avoid, the tags file's list and the checks' own
code, so a feature found clean is remembered beside its parse, under a digest of all of these:
rerun with none of them changed, it is not checked again. A feature with a problem is never
remembered (it is checked, and explained, every time), and a missing or unreadable record only
means the feature is checked.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path

from hq_spec.cache_files import file_for, mark_used, write_whole

# Bumped whenever what a record holds, or how its digest is made, changes.
FORMAT = 1
# Records live among the parses, and are kept to the folder's size with them (parse_cache).
RECORD = ".clean"
# The modules whose code decides whether a feature is clean (the checks, and the reading of the
# feature they check): an edit to any of them (a new check, a changed rule) makes every record
# stale.
CHECKING_MODULES = ("check", "words", "tags", "gherkin_reading", "feature_sources")


@cache
def _checks_code() -> str:
    """A digest of the checks' own code and of the parser that reads what they check (read once
    per process): another gherkin-official may read the same text differently."""
    parser = version("gherkin-official")
    digest = hashlib.sha256(f"{FORMAT} {sys.implementation.cache_tag} {parser}".encode())
    package = Path(__file__).parent
    for module in CHECKING_MODULES:
        digest.update((package / f"{module}.py").read_bytes())
    return digest.hexdigest()


def verdict_key(text: str, words_to_avoid: Iterable[str], listed_tags: Iterable[str] | None) -> str:
    """The digest of everything a feature's checks read: its text, the words to avoid, the tags the
    tags file lists (None: the project keeps no tags file) and the checks' code."""
    digest = hashlib.sha256(_checks_code().encode())
    for part in (text, *words_to_avoid):
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    tags = None if listed_tags is None else sorted(listed_tags)
    digest.update(repr(tags).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class CleanChecks:
    """One record per feature file (named after its uri, so it is replaced, never piled up), in
    the folder where its parse is remembered."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _record(self, uri: str) -> Path:
        return file_for(self.folder, uri, RECORD)

    def is_clean(self, uri: str, key: str) -> bool:
        record = self._record(uri)
        try:
            if record.read_text(encoding="ascii") != key:
                return False
        except (OSError, ValueError):
            return False
        mark_used(record)
        return True

    def remember_clean(self, uri: str, key: str) -> None:
        write_whole(self._record(uri), key.encode("ascii"))
