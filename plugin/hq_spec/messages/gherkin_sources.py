"""Feature files as Cucumber Messages (source, gherkinDocument, pickles), and which pickle ran."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from gherkin import Compiler, Parser
from gherkin.ast_builder import AstBuilder
from gherkin.errors import ParserError
from gherkin.stream.id_generator import IdGenerator

GHERKIN_MEDIA_TYPE = "text/x.cucumber.gherkin+plain"

Message = dict[str, Any]


@dataclass
class FeatureMessages:
    """One feature file's messages, with the lookups that tie pytest-bdd's scenarios to pickles."""

    uri: str
    source: Message
    gherkin_document: Message
    pickles: list[Message]
    steps: dict[str, Message] = field(default_factory=dict)  # Gherkin step id -> step
    scenarios: dict[str, Message] = field(default_factory=dict)  # scenario id -> scenario
    rules: dict[str, Message] = field(default_factory=dict)  # scenario id -> its rule
    example_rows: dict[str, dict[str, str]] = field(default_factory=dict)  # row id -> values
    # scenario line -> its pickles in order, built on first use: one scan of the pickles for the
    # whole run, where a scan per scenario made a feature of N scenarios cost N^2.
    _by_line: dict[int, list[Message]] | None = field(default=None, repr=False, compare=False)

    def envelopes(self) -> Iterator[Message]:
        yield {"source": self.source}
        yield {"gherkinDocument": self.gherkin_document}
        for pickle in self.pickles:
            yield {"pickle": pickle}

    @property
    def feature(self) -> Message:
        return cast(Message, self.gherkin_document.get("feature") or {})

    def pickle_for(self, line: int, example_index: int | None) -> Message | None:
        """The pickle of the scenario at this line; for an outline, of its n-th Examples row."""
        if self._by_line is None:
            self._by_line = {}
            for pickle in self.pickles:
                at = self.scenarios[pickle["astNodeIds"][0]]["location"]["line"]
                self._by_line.setdefault(at, []).append(pickle)
        of_scenario = self._by_line.get(line, [])
        position = example_index or 0
        return of_scenario[position] if position < len(of_scenario) else None

    def line_of(self, pickle_step: Message) -> int:
        return int(self.steps[pickle_step["astNodeIds"][0]]["location"]["line"])

    def keyword_of(self, pickle_step: Message) -> str:
        """The step's keyword as written ("And", "But" included)."""
        return str(self.steps[pickle_step["astNodeIds"][0]]["keyword"]).strip()

    def scenario_of(self, pickle: Message) -> Message:
        return self.scenarios[pickle["astNodeIds"][0]]

    def rule_of(self, pickle: Message) -> Message | None:
        return self.rules.get(pickle["astNodeIds"][0])

    def example_of(self, pickle: Message) -> dict[str, str]:
        """The Examples row an outline's pickle was made from (empty for a plain scenario)."""
        ids = pickle["astNodeIds"]
        return self.example_rows.get(ids[1], {}) if len(ids) > 1 else {}

    def index(self, container: Message, rule: Message | None) -> None:
        node = container.get("scenario") or container.get("background") or {}
        if "scenario" in container:
            self.scenarios[node["id"]] = node
            if rule is not None:
                self.rules[node["id"]] = rule
            for examples in node.get("examples", []):
                header = [c["value"] for c in (examples.get("tableHeader") or {}).get("cells", [])]
                for row in examples.get("tableBody", []):
                    values = [cell["value"] for cell in row["cells"]]
                    self.example_rows[row["id"]] = dict(zip(header, values, strict=False))
        for step in node.get("steps", []):
            self.steps[step["id"]] = step


def parse_feature(path: Path, uri: str, ids: IdGenerator) -> FeatureMessages:
    """Parse a feature file as gherkin-official does, numbering its nodes from the shared ids."""
    data = path.read_text(encoding="utf-8")
    document = cast(Message, {**Parser(AstBuilder(ids)).parse(data), "uri": uri})
    pickles = cast(list[Message], Compiler(ids).compile(cast(Any, document)))
    messages = FeatureMessages(
        uri=uri,
        source={"uri": uri, "data": data, "mediaType": GHERKIN_MEDIA_TYPE},
        gherkin_document=document,
        pickles=pickles,
    )
    for child in messages.feature.get("children", []):
        if "rule" in child:
            for part in child["rule"].get("children", []):
                messages.index(part, child["rule"])
        else:
            messages.index(child, None)
    return messages


class FeatureCatalog:
    """The run's feature files, each parsed once when a scenario of it first reports, numbered
    from one id generator that the rest of the stream shares."""

    def __init__(self, rootpath: Path) -> None:
        self.rootpath = rootpath
        self.ids = IdGenerator()
        self.features: dict[str, FeatureMessages] = {}
        self.parse_errors: dict[str, Message] = {}

    def feature(self, uri: str) -> FeatureMessages | None:
        if uri not in self.features and uri not in self.parse_errors:
            path = Path(uri) if Path(uri).is_absolute() else self.rootpath / uri
            try:
                self.features[uri] = parse_feature(path, uri, self.ids)
            except (OSError, ParserError) as error:  # e.g. edited or removed while pytest ran
                self.parse_errors[uri] = {"source": {"uri": uri}, "message": str(error)}
        return self.features.get(uri)


CATALOG = pytest.StashKey[FeatureCatalog]()


def catalog_of(config: pytest.Config) -> FeatureCatalog:
    """The session's feature catalog, shared by the console and the stream."""
    catalog = config.stash.get(CATALOG, None)
    if catalog is None:
        catalog = config.stash[CATALOG] = FeatureCatalog(config.rootpath)
    return catalog
