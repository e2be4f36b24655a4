"""The requirements tree of `features/`: folders and their introductions, features, rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gherkin.parser import Parser

from hq_spec.report.render import markdown


def _introduction(folder: Path, fallback: str) -> tuple[str, str]:
    """A folder's README.md: its first heading as the title, the rest as HTML (no raw HTML)."""
    readme = folder / "README.md"
    if not readme.is_file():
        return fallback, ""
    text = readme.read_text(encoding="utf-8").strip()
    first, _, rest = text.partition("\n")
    if first.startswith("#"):
        return first.lstrip("#").strip(), str(markdown(rest.strip()))
    return fallback, str(markdown(text))


def _scenarios(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": child["scenario"]["name"],
            "keyword": child["scenario"]["keyword"],
            "line": child["scenario"]["location"]["line"],
            "tags": [tag["name"] for tag in child["scenario"].get("tags", [])],
        }
        for child in children
        if "scenario" in child
    ]


def feature_outline(path: Path, relative: str) -> dict[str, Any]:
    """A feature's name, its rules and their scenarios (with lines), or why it cannot be read."""
    try:
        document: Any = Parser().parse(path.read_text(encoding="utf-8"))
    except Exception as error:  # the author sees Gherkin's own message when they open it
        return {"path": relative, "name": path.name, "problem": str(error), "rules": []}
    feature = document.get("feature") or {}
    children = feature.get("children", [])
    rules = [{"name": "", "line": feature.get("location", {}).get("line", 1),
              "scenarios": _scenarios(children)}]  # fmt: skip
    for child in children:
        if "rule" in child:
            rule = child["rule"]
            rules.append(
                {
                    "name": rule["name"],
                    "line": rule["location"]["line"],
                    "scenarios": _scenarios(rule.get("children", [])),
                }
            )
    return {
        "path": relative,
        "name": feature.get("name") or path.name,
        "rules": [rule for rule in rules if rule["name"] or rule["scenarios"]],
    }


def requirements_tree(features_dir: Path) -> list[dict[str, Any]]:
    """Every folder holding features, in path order, as the living documentation lists them."""
    folders = []
    for folder in sorted({path.parent for path in features_dir.rglob("*.feature")}):
        relative = folder.relative_to(features_dir).as_posix()
        fallback = (folder.name if relative != "." else "The specification").replace("-", " ")
        title, introduction = _introduction(folder, fallback.capitalize())
        features = [
            feature_outline(path, path.relative_to(features_dir).as_posix())
            for path in sorted(folder.glob("*.feature"))
        ]
        folders.append(
            {
                "path": relative,
                "title": title,
                "introduction": introduction,
                "features": features,
            }
        )
    return folders
