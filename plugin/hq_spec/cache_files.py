"""Files the plugin keeps in pytest's cache folder: one per feature file, each written whole."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

WRITING = ".tmp"  # a file being written: renamed over its place once whole


def file_for(folder: Path, uri: str, suffix: str) -> Path:
    """A feature's file of one kind, named after its uri: an edit replaces it, never piles up."""
    return folder / (hashlib.sha256(uri.encode()).hexdigest()[:32] + suffix)


def write_whole(path: Path, payload: bytes) -> bool:
    """Write aside, then rename over `path` in one step: xdist workers writing the same file at
    once, or a run interrupted mid-write, never leave half a file. False when it could not be
    written (a read-only or vanished folder): nothing is remembered."""
    try:
        handle, written = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=WRITING)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(payload)
        os.replace(written, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(written)
        return False
    return True


def mark_used(path: Path) -> None:
    """Just used: among the last to go when the folder is kept to its size."""
    with contextlib.suppress(OSError):
        os.utime(path)
