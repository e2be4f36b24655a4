"""The tags authors may use (listed with their meaning in the tags file), as pytest markers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from pathlib import Path

import pytest

_LISTED = re.compile(r"^\s*[-*]\s*`?@([\w-]+)`?\s*[:\-\u2013]?\s*(.*)$")


def known_tags(tags_file: Path | None) -> dict[str, str]:
    """Tag name -> meaning, from the bullet list in the tags file (`- @smoke: ...`)."""
    if tags_file is None or not tags_file.exists():
        return {}
    tags = {}
    for line in tags_file.read_text(encoding="utf-8").splitlines():
        match = _LISTED.match(line)
        if match:
            tags[match.group(1)] = match.group(2).strip()
    return tags


MARKED = pytest.StashKey[set[str]]()
# Each tags file's meanings, by its path, for the run.
MEANINGS = pytest.StashKey[dict[Path | None, dict[str, str]]]()


def tag_meanings(config: pytest.Config, tags_file: Path | None) -> dict[str, str]:
    """A tags file's meanings, read once a run: every feature is checked and marked by them."""
    read = config.stash.setdefault(MEANINGS, {})
    if tags_file not in read:
        read[tags_file] = known_tags(tags_file)
    return read[tags_file]


def register_tag_markers(
    config: pytest.Config, tags: Iterable[str], tags_file: Path | None
) -> None:
    """Each tag a feature uses becomes a registered marker before pytest-bdd marks a scenario with
    it, so --strict-markers never speaks first: a tag the tags file does not list is explained
    when its feature is checked. Only the features this run binds are read for it."""
    registered = config.stash.setdefault(MARKED, set())
    new = sorted(set(tags) - registered)
    if not new:
        return
    meanings = tag_meanings(config, tags_file)
    for tag in new:
        config.addinivalue_line("markers", f"{tag}: {meanings.get(tag, 'a feature tag')}")
    registered.update(new)


def unknown_tag_message(tag: str, known: Mapping[str, str], tags_file: Path, root: Path) -> str:
    """What an author reads about a tag the tags file does not list."""
    listed = ", ".join("@" + name for name in sorted(known)) or "none"
    nearest = get_close_matches(tag, list(known), n=1, cutoff=0.6)
    hint = f"did you mean @{nearest[0]}? " if nearest else ""
    try:
        shown = tags_file.resolve().relative_to(root.resolve())
    except ValueError:
        shown = tags_file
    return (
        f"@{tag} is not a known tag; {hint}known tags: {listed}. "
        f"To introduce it, add a line '- @{tag}: what it means' to {shown}."
    )
