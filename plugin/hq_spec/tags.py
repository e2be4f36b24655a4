"""The tags authors may use (listed with their meaning in the tags file), and those they do."""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path

from hq_spec.feature_sources import FeatureSources
from hq_spec.gherkin_reading import FeatureDocument, FeatureUnreadable

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


def used_tags(features_dir: Path, sources: FeatureSources) -> dict[str, list[str]]:
    """Tag name -> every `file:line` using it, across the feature files Gherkin can read."""
    found: dict[str, list[str]] = {}
    for path in sorted(features_dir.rglob("*.feature")):
        try:
            document = sources.document(path)
        except FeatureUnreadable:
            continue  # `hq-spec check` and collection report the file itself
        for tag, location in tags_in(document):
            found.setdefault(tag, []).append(location)
    return found


def tags_in(document: FeatureDocument) -> list[tuple[str, str]]:
    return [(use.name, f"{document.file}:{use.line}") for use in document.tags()]


def unknown_tag_message(tag: str, known: dict[str, str], tags_file: Path, root: Path) -> str:
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
