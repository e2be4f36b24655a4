"""Reading a Cucumber Messages stream into what the living documentation shows."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from hq_spec.evidence import evidence_in

STATUSES = ["passed", "failed", "undefined", "ambiguous", "pending", "skipped"]
# Worst first: a scenario's status is the worst of its steps'.
_SEVERITY = ["failed", "ambiguous", "undefined", "pending", "skipped", "passed", "unknown"]


@dataclass
class StepView:
    keyword: str
    text: str
    status: str
    message: str = ""
    table: list[list[str]] | None = None
    doc_string: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    hook: bool = False
    duration_ns: int = 0


@dataclass
class RunView:
    """One run of a scenario: the scenario itself, or one Examples row of an outline."""

    name: str
    example: dict[str, str] | None
    status: str
    steps: list[StepView]
    tags: list[str]
    anchor: str = ""  # uri:line of the scenario, or of its Examples row: stable across runs
    duration_ns: int = 0


@dataclass
class ScenarioView:
    keyword: str
    name: str
    description: str
    line: int
    tags: list[str]
    runs: list[RunView]
    outline: bool = False  # has Examples: each row is a run of its own
    anchor: str = ""

    @property
    def status(self) -> str:
        return worst(run.status for run in self.runs) if self.runs else "unknown"


@dataclass
class RuleView:
    name: str
    description: str
    tags: list[str]
    background: list[tuple[str, str]]
    scenarios: list[ScenarioView]


@dataclass
class FeatureView:
    uri: str
    name: str
    description: str
    tags: list[str]
    background: list[tuple[str, str]]
    rules: list[RuleView]  # scenarios outside any rule sit in a rule with no name

    @property
    def scenarios(self) -> list[ScenarioView]:
        return [scenario for rule in self.rules for scenario in rule.scenarios]

    @property
    def status(self) -> str:
        return worst(s.status for s in self.scenarios) if self.scenarios else "unknown"


@dataclass
class FolderView:
    path: str
    title: str
    introduction: str
    features: list[FeatureView]


@dataclass
class Run:
    started: str
    commit: str
    branch: str
    success: bool
    folders: list[FolderView]
    duration_ns: int = 0  # from the run's start to its end, as the stream timed it

    def runs(self) -> list[tuple[FeatureView, ScenarioView, RunView]]:
        return [
            (feature, scenario, run)
            for folder in self.folders
            for feature in folder.features
            for scenario in feature.scenarios
            for run in scenario.runs
        ]

    @property
    def counts(self) -> Counter[str]:
        """Scenarios by status, counted as Cucumber does: each Examples row once, as a scenario."""
        return Counter(run.status for _, _, run in self.runs())

    @property
    def step_counts(self) -> Counter[str]:
        return Counter(
            step.status for _, _, run in self.runs() for step in run.steps if not step.hook
        )

    @property
    def outline_rows(self) -> int:
        """How many of the counted scenarios are rows of a Scenario Outline's Examples."""
        return sum(1 for _, scenario, _ in self.runs() if scenario.outline)

    @property
    def outlines(self) -> int:
        return sum(
            1
            for folder in self.folders
            for feature in folder.features
            for scenario in feature.scenarios
            if scenario.outline
        )

    def evidence(self) -> list[tuple[str, dict[str, Any]]]:
        """(run anchor, evidence entry) for everything any scenario observed, of every kind."""
        return [
            (run.anchor, entry)
            for _, _, run in self.runs()
            for step in run.steps
            for entry in step.evidence
        ]


def worst(statuses: Any) -> str:
    return min(
        statuses, key=lambda s: _SEVERITY.index(s) if s in _SEVERITY else 0, default="unknown"
    )


def nanoseconds(stamp: dict[str, int] | None) -> int:
    """A message's Timestamp or Duration ({seconds, nanos}) in nanoseconds."""
    if not stamp:
        return 0
    return int(stamp.get("seconds", 0)) * 1_000_000_000 + int(stamp.get("nanos", 0))


def _timestamp(stamp: dict[str, int] | None) -> str:
    if not stamp:
        return ""
    moment = datetime.fromtimestamp(stamp.get("seconds", 0), tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _tags(node: dict[str, Any]) -> list[str]:
    return [tag["name"] for tag in node.get("tags", [])]


def _steps(node: dict[str, Any] | None) -> list[tuple[str, str]]:
    return [(s["keyword"].strip(), s["text"]) for s in (node or {}).get("steps", [])]


class _Stream:
    """The stream's messages indexed by id, as the view is assembled."""

    def __init__(self, envelopes: list[dict[str, Any]]) -> None:
        self.envelopes = envelopes
        self.pickles: dict[str, dict[str, Any]] = {}
        self.test_cases: dict[str, dict[str, Any]] = {}
        self.case_started: dict[str, str] = {}  # testCaseStarted id -> testCase id
        self.case_times: dict[str, list[int]] = {}  # testCaseStarted id -> [started, finished]
        self.results: dict[tuple[str, str], dict[str, Any]] = {}
        self.attachments: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.hooks: dict[str, str] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self.step_keywords: dict[str, str] = {}  # gherkin step id -> keyword as written
        for envelope in envelopes:
            self._index(envelope)

    def _index(self, envelope: dict[str, Any]) -> None:
        kind, body = next(iter(envelope.items()))
        if kind == "pickle":
            self.pickles[body["id"]] = body
        elif kind == "testCase":
            self.test_cases[body["id"]] = body
        elif kind == "testCaseStarted":
            self.case_started[body["id"]] = body["testCaseId"]
            started = nanoseconds(body.get("timestamp"))
            self.case_times[body["id"]] = [started, started]
        elif kind == "testCaseFinished":
            times = self.case_times.get(body["testCaseStartedId"])
            if times is not None:
                times[1] = max(times[0], nanoseconds(body.get("timestamp")))
        elif kind == "testStepFinished":
            key = (body["testCaseStartedId"], body["testStepId"])
            self.results[key] = body["testStepResult"]
        elif kind == "attachment":
            evidence = evidence_in(body.get("mediaType", ""), body.get("body", ""))
            if evidence is not None:
                key = (body.get("testCaseStartedId", ""), body.get("testStepId", ""))
                self.attachments.setdefault(key, []).append(evidence)
        elif kind == "hook":
            self.hooks[body["id"]] = body.get("name", "hook")
        elif kind == "gherkinDocument":
            self.documents[body["uri"]] = body
            self._index_steps(body.get("feature") or {})

    def _index_steps(self, node: dict[str, Any]) -> None:
        for child in node.get("children", []):
            for part in ("background", "scenario"):
                for step in (child.get(part) or {}).get("steps", []):
                    self.step_keywords[step["id"]] = step["keyword"].strip()
            if child.get("rule"):
                self._index_steps(child["rule"])

    def runs_by_pickle(self) -> dict[str, RunView]:
        """The latest run of each pickle, with every step's result and evidence."""
        views: dict[str, RunView] = {}
        for started_id, case_id in self.case_started.items():
            case = self.test_cases[case_id]
            pickle = self.pickles[case["pickleId"]]
            pickle_steps = {s["id"]: s for s in pickle["steps"]}
            steps = []
            for test_step in case["testSteps"]:
                result = self.results.get((started_id, test_step["id"]), {"status": "UNKNOWN"})
                status = result.get("status", "UNKNOWN").lower()
                exception = result.get("exception") or {}
                message = exception.get("message") or result.get("message", "")
                took = nanoseconds(result.get("duration"))
                evidence = self.attachments.get((started_id, test_step["id"]), [])
                if "hookId" in test_step:
                    if status in ("passed", "skipped", "unknown") and not evidence:
                        continue  # a quiet hook is plumbing, not part of the story
                    name = self.hooks.get(test_step["hookId"], "hook")
                    steps.append(
                        StepView(
                            "Hook", name, status, message,
                            evidence=evidence, hook=True, duration_ns=took,
                        )
                    )  # fmt: skip
                    continue
                pickle_step = pickle_steps[test_step["pickleStepId"]]
                argument = pickle_step.get("argument") or {}
                table = argument.get("dataTable")
                steps.append(
                    StepView(
                        keyword=self.step_keywords.get(pickle_step["astNodeIds"][0], "*"),
                        text=pickle_step["text"],
                        status=status,
                        message=message,
                        table=[[c["value"] for c in r["cells"]] for r in table["rows"]]
                        if table
                        else None,
                        doc_string=(argument.get("docString") or {}).get("content"),
                        evidence=evidence,
                        duration_ns=took,
                    )
                )
            started, finished = self.case_times[started_id]
            line = (pickle.get("location") or {}).get("line")
            views[pickle["id"]] = RunView(
                name=pickle["name"],
                example=None,
                status=worst(step.status for step in steps) if steps else "unknown",
                steps=steps,
                tags=[t["name"] for t in pickle.get("tags", [])],
                anchor=f"{pickle['uri']}:{line}" if line else pickle["id"],
                duration_ns=(finished - started) or sum(step.duration_ns for step in steps),
            )
        return views


def _examples_rows(scenario: dict[str, Any]) -> dict[str, dict[str, str]]:
    rows = {}
    for examples in scenario.get("examples", []):
        header = [cell["value"] for cell in (examples.get("tableHeader") or {}).get("cells", [])]
        for row in examples.get("tableBody", []):
            rows[row["id"]] = dict(zip(header, (c["value"] for c in row["cells"]), strict=False))
    return rows


def _scenario_view(
    uri: str, scenario: dict[str, Any], runs: dict[str, list[tuple[dict[str, Any], RunView]]]
) -> ScenarioView:
    rows = _examples_rows(scenario)
    views = []
    for pickle, run in runs.get(scenario["id"], []):
        row_id = pickle["astNodeIds"][1] if len(pickle["astNodeIds"]) > 1 else None
        run.example = rows.get(row_id) if row_id else None
        views.append(run)
    return ScenarioView(
        keyword=scenario["keyword"],
        name=scenario["name"],
        description=scenario.get("description", "").strip(),
        line=scenario["location"]["line"],
        tags=_tags(scenario),
        runs=views,
        outline=bool(scenario.get("examples")),
        anchor=f"{uri}:{scenario['location']['line']}",
    )


def _feature_view(
    uri: str, document: dict[str, Any], runs: dict[str, list[tuple[dict[str, Any], RunView]]]
) -> FeatureView | None:
    """One feature; `runs` holds the runs of every scenario, by the scenario's AST node id."""
    feature = document.get("feature")
    if not feature:
        return None
    loose = RuleView("", "", [], [], [])
    rules: list[RuleView] = [loose]
    background: list[tuple[str, str]] = []
    for child in feature.get("children", []):
        if child.get("background"):
            background = _steps(child["background"])
        elif child.get("scenario"):
            loose.scenarios.append(_scenario_view(uri, child["scenario"], runs))
        elif child.get("rule"):
            rule = child["rule"]
            rule_background: list[tuple[str, str]] = []
            scenarios = []
            for part in rule.get("children", []):
                if part.get("background"):
                    rule_background = _steps(part["background"])
                elif part.get("scenario"):
                    scenarios.append(_scenario_view(uri, part["scenario"], runs))
            description = rule.get("description", "").strip()
            rules.append(
                RuleView(rule["name"], description, _tags(rule), rule_background, scenarios)
            )
    return FeatureView(
        uri=uri,
        name=feature["name"],
        description="\n".join(line.strip() for line in feature.get("description", "").splitlines()),
        tags=_tags(feature),
        background=background,
        rules=[rule for rule in rules if rule.scenarios or rule.name],
    )


def _introduction(features_dir: Path, folder: str) -> tuple[str, str]:
    """A folder's README.md: its first heading as the title, the rest as the introduction.

    Feature URIs are relative to the project folder, which holds the features folder.
    """
    path = PurePosixPath(folder)
    at_top = str(path) in ("", ".") or path == PurePosixPath(features_dir.name)
    default = "The specification" if at_top else path.name.replace("-", " ").capitalize()
    readme = features_dir.parent / folder / "README.md"
    if not readme.is_file():
        return default, ""
    text = readme.read_text(encoding="utf-8").strip()
    first, _, rest = text.partition("\n")
    if first.startswith("#"):
        return first.lstrip("#").strip(), rest.strip()
    return default, text


# Envelopes the page never reads: skipped unparsed, since the sources alone are a third of a stream.
_UNREAD = re.compile(r'\{\s*"(?:source|testStepStarted|stepDefinition|parameterType)"\s*:')


def read_envelopes(messages: Path) -> list[dict[str, Any]]:
    lines = messages.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not _UNREAD.match(line)]


def read_run(messages: Path, features_dir: Path) -> Run:
    envelopes = read_envelopes(messages)
    stream = _Stream(envelopes)
    meta: dict[str, Any] = next((e["meta"] for e in envelopes if "meta" in e), {})
    started: dict[str, Any] = next(
        (e["testRunStarted"] for e in envelopes if "testRunStarted" in e), {}
    )
    finished: dict[str, Any] = next(
        (e["testRunFinished"] for e in envelopes if "testRunFinished" in e), {}
    )
    git = (meta.get("ci") or {}).get("git") or {}
    runs: dict[str, list[tuple[dict[str, Any], RunView]]] = {}
    for pickle_id, run in stream.runs_by_pickle().items():
        pickle = stream.pickles[pickle_id]
        runs.setdefault(pickle["astNodeIds"][0], []).append((pickle, run))
    folders: dict[str, list[FeatureView]] = {}
    for uri, document in sorted(stream.documents.items()):
        view = _feature_view(uri, document, runs)
        if view is not None:
            folders.setdefault(str(PurePosixPath(uri).parent), []).append(view)
    folder_views = []
    for folder, features in sorted(folders.items()):
        title, introduction = _introduction(features_dir, folder)
        folder_views.append(FolderView(folder, title, introduction, features))
    return Run(
        started=_timestamp(started.get("timestamp")),
        commit=str(git.get("revision", ""))[:12],
        branch=str(git.get("branch", "")),
        success=bool(finished.get("success", False)),
        folders=folder_views,
        duration_ns=max(
            0, nanoseconds(finished.get("timestamp")) - nanoseconds(started.get("timestamp"))
        ),
    )
