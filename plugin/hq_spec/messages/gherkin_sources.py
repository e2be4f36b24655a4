"""Feature files as Cucumber Messages (source, gherkinDocument, pickles), and which pickle ran."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest

from hq_spec.feature_sources import FeatureSources, ParsedFeature, sources_of
from hq_spec.gherkin_reading import FeatureUnreadable

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


def feature_messages(parsed: ParsedFeature, uri: str) -> FeatureMessages:
    """A feature file's messages, from the run's one parse of it (its ids already the stream's)."""
    document, pickles = parsed.document, parsed.pickles
    if uri != parsed.uri:  # the same file named another way (a link): the stream says `uri`
        document = {**document, "uri": uri}
        pickles = [{**pickle, "uri": uri} for pickle in pickles]
    messages = FeatureMessages(
        uri=uri,
        source={"uri": uri, "data": parsed.text, "mediaType": GHERKIN_MEDIA_TYPE},
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
    """The run's feature files as messages, each taken when a scenario of it first reports, from
    the run's feature sources: parsed once for the checks, pytest-bdd and the stream, and numbered
    from the one id generator the rest of the stream goes on using."""

    def __init__(self, sources: FeatureSources) -> None:
        self.sources = sources
        self.ids = sources.ids
        self.features: dict[str, FeatureMessages] = {}
        self.parse_errors: dict[str, Message] = {}

    def feature(self, uri: str) -> FeatureMessages | None:
        if uri not in self.features and uri not in self.parse_errors:
            path = Path(uri) if Path(uri).is_absolute() else self.sources.root / uri
            try:
                self.features[uri] = feature_messages(self.sources.read(path), uri)
            except OSError as error:  # e.g. removed while pytest ran
                self.parse_errors[uri] = {"source": {"uri": uri}, "message": str(error)}
            except FeatureUnreadable as error:  # e.g. edited while pytest ran
                message = error.gherkin_message
                self.parse_errors[uri] = {"source": {"uri": uri}, "message": message}
        return self.features.get(uri)


CATALOG = pytest.StashKey[FeatureCatalog]()


def catalog_of(config: pytest.Config) -> FeatureCatalog:
    """The session's feature catalog, shared by the console and the stream."""
    catalog = config.stash.get(CATALOG, None)
    if catalog is None:
        catalog = config.stash[CATALOG] = FeatureCatalog(sources_of(config))
    return catalog
