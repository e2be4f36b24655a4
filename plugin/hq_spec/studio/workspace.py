"""The features folder as the studio sees it: confined paths, the tree, versions, saving."""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gherkin.parser import Parser

from hq_spec.studio.formatting import format_feature

MAX_FEATURE_BYTES = 256 * 1024  # far above any feature an author writes by hand


class WorkspaceError(Exception):
    """A request the workspace refuses, with a plain reason and the HTTP status to answer with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Opened:
    path: str
    text: str
    version: str


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Workspace:
    """Every file the studio reads or writes lives under `features_dir`, and is a `.feature`."""

    def __init__(self, root: Path, features_dir: Path) -> None:
        self.root = root.resolve()
        self.features_dir = features_dir.resolve()

    def resolve(self, name: str) -> Path:
        """The file a page's path names (`comms/comms.feature`), refused unless it is a
        `.feature` inside the features folder, symbolic links followed."""
        pure = PurePosixPath(name)
        if not name or pure.is_absolute() or ".." in pure.parts or "\\" in name or "\0" in name:
            raise WorkspaceError(
                403, "outside_features", f"{name!r} is not a path inside features/"
            )
        if pure.suffix != ".feature":
            raise WorkspaceError(403, "outside_features", f"{name!r} is not a .feature file")
        candidate = self.features_dir / pure
        try:
            candidate.resolve().relative_to(self.features_dir)
        except ValueError:
            raise WorkspaceError(
                403, "outside_features", f"{name!r} leads outside features/"
            ) from None
        return candidate

    def open(self, name: str) -> Opened:
        path = self.resolve(name)
        if not path.is_file():
            raise WorkspaceError(404, "no_such_feature", f"{name} does not exist")
        data = path.read_bytes()
        return Opened(name, data.decode("utf-8"), version_of(data))

    def preview(self, name: str, text: str) -> dict[str, Any]:
        """What saving would write (formatted), and its difference from the file on disk."""
        path = self.resolve(name)
        formatted = format_feature(text)
        before = path.read_text(encoding="utf-8") if path.is_file() else ""
        diff = "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                fromfile=f"{name} (on disk)",
                tofile=f"{name} (to be saved)",
            )
        )
        return {"path": name, "text": formatted, "diff": diff, "exists": path.is_file()}

    def save(self, name: str, text: str, opened_version: str | None) -> Opened:
        """Write the formatted feature, unless the file changed on disk since it was opened."""
        path = self.resolve(name)
        current = version_of(path.read_bytes()) if path.is_file() else None
        if current != opened_version:
            raise WorkspaceError(
                409,
                "changed_on_disk",
                f"{name} changed on disk since you opened it (or was created meanwhile); "
                "reload it to see the other changes before saving yours",
            )
        formatted = format_feature(text)
        Parser().parse(formatted)  # never write what Gherkin cannot read
        data = formatted.encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the file and renamed over it, so a crash never leaves half a feature.
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".studio-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(scratch, path)
        return Opened(name, formatted, version_of(data))
