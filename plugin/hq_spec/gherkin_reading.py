"""Reading a feature the one way the plugin does: gherkin-official's document and its pickles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.ast_builder import AstBuilder
from gherkin.errors import CompositeParserException, ParserException
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from gherkin.stream.id_generator import IdGenerator
from gherkin.token_scanner import TokenScanner

# How pytest-bdd binds a step: Given/When/Then set the kind, any other keyword (And, But, *)
# continues the kind of the step before it (pytest_bdd.parser.FeatureParser.parse_steps).
_BINDING = {"Context": "given", "Action": "when", "Outcome": "then"}
PLACEHOLDER = re.compile(r"<(.+?)>")  # pytest-bdd's own placeholder syntax (parser.PARAM_RE)


class FeatureUnreadable(ValueError):
    """The text is not valid Gherkin; the message names the line (in an author's words), and
    `gherkin_message` keeps gherkin-official's own (a Cucumber Messages parseError carries it)."""

    def __init__(self, message: str, line: int | None, gherkin_message: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.gherkin_message = gherkin_message or message


Values = tuple[tuple[str, str], ...]  # an Examples row's values: (column, value), in order


@dataclass(frozen=True)
class ExamplesRow:
    """The Examples row an outline's run was rendered from: its line, and its values by column."""

    line: int
    values: Values


@dataclass(frozen=True)
class UsedStep:
    """A step as it will run: rendered for one Examples row, with its feature and line."""

    keyword: str  # the Gherkin keyword as written: Given, When, Then, And, But, *
    type: str  # what it binds as: given, when or then (And/But inherit)
    text: str
    file: str
    line: int
    scenario: str
    written: str  # the text as the feature writes it, <placeholders> and all
    row: ExamplesRow | None  # the row it was rendered for (a step of an outline only)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class TagUse:
    name: str  # without its @
    line: int


@dataclass(frozen=True)
class FeatureDocument:
    """One feature file, parsed: its Gherkin document, and its pickles (the runs it makes)."""

    file: str  # as shown to authors (relative to the project)
    document: dict[str, Any]
    pickles: list[dict[str, Any]]

    @property
    def feature(self) -> dict[str, Any] | None:
        return self.document.get("feature")

    def scenarios(self) -> Iterator[dict[str, Any]]:
        """Every Scenario and Scenario Outline, inside rules too, in file order."""
        feature = self.feature
        if feature is not None:
            yield from _scenarios(feature["children"])

    def steps(self) -> Iterator[UsedStep]:
        """Each step of each run (one per Examples row), bound as pytest-bdd binds it."""
        ast_steps = dict(self._ast_steps())
        rows = dict(self._examples_rows())
        for pickle in self.pickles:
            for step in pickle["steps"]:
                step_id, *row_id = step["astNodeIds"]
                keyword, binding, line, written = ast_steps[step_id]
                row = rows[row_id[0]] if row_id else None
                yield UsedStep(
                    keyword, binding, step["text"], self.file, line, pickle["name"], written, row
                )

    def tags(self) -> Iterator[TagUse]:
        """Every tag written in the feature (on the feature, rules, scenarios and examples)."""
        feature = self.feature
        if feature is None:
            return
        yield from _tags_of(feature)
        for node in _tagged_nodes(feature["children"]):
            yield from _tags_of(node)

    def _ast_steps(self) -> Iterator[tuple[str, tuple[str, str, int, str]]]:
        feature = self.feature
        if feature is None:
            return
        for steps in _step_lists(feature["children"]):
            binding = "given"
            for step in steps:
                binding = _BINDING.get(step["keywordType"], binding)
                keyword = step["keyword"].strip().title()
                yield step["id"], (keyword, binding, step["location"]["line"], step["text"])

    def _examples_rows(self) -> Iterator[tuple[str, ExamplesRow]]:
        for scenario in self.scenarios():
            for examples in scenario.get("examples", []):
                header = [
                    cell["value"] for cell in examples.get("tableHeader", {}).get("cells", [])
                ]
                for row in examples.get("tableBody", []):
                    values = tuple(
                        zip(header, (cell["value"] for cell in row["cells"]), strict=False)
                    )
                    yield row["id"], ExamplesRow(row["location"]["line"], values)


def parse_gherkin(
    text: str, uri: str, ids: IdGenerator
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """gherkin-official's GherkinDocument (with its uri) and pickles, numbered from `ids`.
    Raises FeatureUnreadable."""
    try:
        parsed = Parser(AstBuilder(ids)).parse(TokenScanner(text))
    except CompositeParserException as error:
        first = error.errors[0]
        raise FeatureUnreadable(_plain(first), _line_of(first), str(error)) from None
    except ParserException as error:
        raise FeatureUnreadable(_plain(error), _line_of(error), str(error)) from None
    document: dict[str, Any] = {**parsed, "uri": uri}
    pickles: list[dict[str, Any]] = [dict(p) for p in Compiler(ids).compile(document)]  # type: ignore[arg-type]
    return document, pickles


def read_feature(text: str, file: str) -> FeatureDocument:
    """Parse a feature's text (unsaved, as typed); `file` is how its location is shown.
    Raises FeatureUnreadable. A file on disk is read through a FeatureSources instead."""
    document, pickles = parse_gherkin(text, file, IdGenerator())
    return FeatureDocument(file, document, pickles)


def feature_files(features_dir: Path) -> list[Path]:
    return sorted(features_dir.rglob("*.feature"))


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


_TOKENS = {
    "#StepLine": "a step",
    "#TagLine": "tags",
    "#FeatureLine": "Feature:",
    "#RuleLine": "Rule:",
    "#BackgroundLine": "Background:",
    "#ScenarioLine": "Scenario:",
    "#ExamplesLine": "Examples:",
    "#TableRow": "a table row",
    "#DocStringSeparator": "a doc string",
}


def _plain(error: Exception) -> str:
    """gherkin's message in an author's words, without its leading '(line:column): '."""
    message = re.sub(r"^\(\d+:\d+\):\s*", "", str(error))
    unexpected = re.fullmatch(r"expected: (.*), got '(.*)'", message)
    if unexpected is None:
        return message
    wanted = [_TOKENS[t] for t in unexpected.group(1).split(", ") if t in _TOKENS]
    return (
        f"'{unexpected.group(2)}' cannot stand here; expected {', '.join(wanted)} "
        "(or a comment or an empty line)"
    )


def _line_of(error: Exception) -> int | None:
    location = getattr(error, "location", None)
    line = location.get("line") if isinstance(location, dict) else None
    return line if isinstance(line, int) else None


def _scenarios(children: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for child in children:
        if "scenario" in child:
            yield child["scenario"]
        elif "rule" in child:
            yield from _scenarios(child["rule"]["children"])


def _step_lists(children: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for child in children:
        if "background" in child:
            yield child["background"]["steps"]
        elif "scenario" in child:
            yield child["scenario"]["steps"]
        elif "rule" in child:
            yield from _step_lists(child["rule"]["children"])


def _tagged_nodes(children: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for child in children:
        if "rule" in child:
            yield child["rule"]
            yield from _tagged_nodes(child["rule"]["children"])
        elif "scenario" in child:
            yield child["scenario"]
            yield from child["scenario"].get("examples", [])


def _tags_of(node: dict[str, Any]) -> Iterator[TagUse]:
    for tag in node.get("tags", []):
        yield TagUse(tag["name"].lstrip("@"), tag["location"]["line"])
