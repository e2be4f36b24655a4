"""Feature files as Cucumber Messages (source, gherkinDocument, pickles), and which pickle ran."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from gherkin import Compiler, Parser
from gherkin.ast_builder import AstBuilder
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
    step_lines: dict[str, int] = field(default_factory=dict)  # Gherkin step id -> line
    scenario_lines: dict[str, int] = field(default_factory=dict)  # Gherkin scenario id -> line

    def envelopes(self) -> Iterator[Message]:
        yield {"source": self.source}
        yield {"gherkinDocument": self.gherkin_document}
        for pickle in self.pickles:
            yield {"pickle": pickle}

    def pickle_for(self, line: int, example_index: int | None) -> Message | None:
        """The pickle of the scenario at this line; for an outline, of its n-th Examples row."""
        of_scenario = [
            pickle
            for pickle in self.pickles
            if self.scenario_lines[pickle["astNodeIds"][0]] == line
        ]
        position = example_index or 0
        return of_scenario[position] if position < len(of_scenario) else None

    def line_of(self, pickle_step: Message) -> int:
        return self.step_lines[pickle_step["astNodeIds"][0]]


def scenario_containers(feature: Message) -> Iterator[Message]:
    """The feature's children and its rules' children: each holds a background or a scenario."""
    for child in feature.get("children", []):
        if "rule" in child:
            yield from child["rule"].get("children", [])
        else:
            yield child


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
    for container in scenario_containers(document.get("feature", {})):
        node = container.get("scenario") or container.get("background") or {}
        if "scenario" in container:
            messages.scenario_lines[node["id"]] = node["location"]["line"]
        for step in node.get("steps", []):
            messages.step_lines[step["id"]] = step["location"]["line"]
    return messages
