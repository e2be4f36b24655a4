"""The tags authors may use (listed with their meaning in features/TAGS.md), and those they do."""

from __future__ import annotations

import re
from pathlib import Path

from pytest_bdd.gherkin_parser import get_gherkin_document

TAGS_FILE = "TAGS.md"
_LISTED = re.compile(r"^\s*[-*]\s*`?@([\w-]+)`?\s*[:\-\u2013]?\s*(.*)$")


def known_tags(features_dir: Path) -> dict[str, str]:
    """Tag name -> meaning, from the bullet list in features/TAGS.md (`- @smoke: ...`)."""
    path = features_dir / TAGS_FILE
    if not path.exists():
        return {}
    tags = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _LISTED.match(line)
        if match:
            tags[match.group(1)] = match.group(2).strip()
    return tags


def used_tags(features_dir: Path) -> dict[str, list[str]]:
    """Tag name -> every `file:line` using it, across the feature files."""
    found: dict[str, list[str]] = {}
    for path in sorted(features_dir.rglob("*.feature")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            for tag in (
                re.findall(r"(?:^|\s)@([^\s@]+)", line) if line.lstrip().startswith("@") else []
            ):
                found.setdefault(tag, []).append(f"{path}:{number}")
    return found


def parses(path: Path) -> bool:
    """Whether Gherkin can read the file at all (tags of an unreadable file are not trusted)."""
    try:
        get_gherkin_document(str(path))
    except Exception:
        return False
    return True
