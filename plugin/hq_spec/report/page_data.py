"""The run as the JSON the page's script reads: a light tree to open with, the steps apart.

The tree (folders, features, rules, scenarios, runs) is all the page needs to open, count, filter
by status and tag, and link; each run's steps and evidence sit in a second array the script reads
when a scenario is first shown or searched. `run_steps` is the data of one run's steps, as
`templates/steps.js` renders them: a tool that shows a scenario elsewhere reuses both.
"""

from __future__ import annotations

from typing import Any

from hq_spec.masking import Masking
from hq_spec.report.coverage import Coverage
from hq_spec.report.formatting import duration, markdown
from hq_spec.report.model import FeatureView, Run, RunView, ScenarioView, StepView
from hq_spec.report.table_diff import table_diff, without_observed_table


def _masked_evidence(entry: dict[str, Any], masking: Masking) -> dict[str, Any]:
    shown = dict(entry)
    for side in ("request", "response"):
        part = entry.get(side)
        if isinstance(part, dict):
            headers = part.get("headers")
            if not isinstance(headers, dict | list):
                headers = {}
            # masked again: the stream should be masked already, the page does not count on it
            shown[side] = {**part, "headers": list(masking.headers_shown(headers).items())}
    return shown


def _step(step: StepView, masking: Masking) -> dict[str, Any]:
    data: dict[str, Any] = {
        "keyword": step.keyword,
        "text": step.text,
        "status": step.status,
        "took": duration(step.duration_ns),
    }
    if step.table:
        diff = table_diff(step.table, step.message) if step.status == "failed" else None
        if diff:
            data["diff"] = [
                [row.change, row.cells, row.observed,
                 [i for i in range(row.width) if row.cell_changed(i)]]
                for row in diff
            ]  # fmt: skip
        else:
            data["table"] = step.table
    if step.doc_string:
        data["doc"] = step.doc_string
    if step.message and step.status != "passed":
        # with a diff on the page, the observed table in the message would only repeat it
        data["message"] = without_observed_table(step.message) if "diff" in data else step.message
    if step.evidence:
        data["evidence"] = [_masked_evidence(entry, masking) for entry in step.evidence]
    return data


def run_steps(run: RunView, masking: Masking) -> list[dict[str, Any]]:
    """One run's steps: status, duration, table (or its diff), doc string, reason, evidence."""
    return [_step(step, masking) for step in run.steps]


def _line(anchor: str) -> int:
    """The line of a run's anchor (uri:line): the script joins it to its feature's uri again."""
    return int(anchor.rpartition(":")[2])


class _Tree:
    """Builds the tree, numbering each run by its place in the steps array."""

    def __init__(self, masking: Masking) -> None:
        self.masking = masking
        self.steps: list[list[dict[str, Any]]] = []

    def run(self, run: RunView, inherited: set[str], outline: bool) -> dict[str, Any]:
        """A run; what it shares with its scenario (id, name, tags) is left for the script."""
        self.steps.append(run_steps(run, self.masking))
        data: dict[str, Any] = {
            "at": len(self.steps) - 1,
            "status": run.status,
            "took": duration(run.duration_ns),
            "size": len(run.steps) + sum(len(step.evidence) for step in run.steps),
        }
        if outline:
            data["line"] = _line(run.anchor)
            data["example"] = list((run.example or {}).items())
        if set(run.tags) != inherited:
            data["tags"] = run.tags
        return data

    def scenario(self, scenario: ScenarioView, inherited: list[str]) -> dict[str, Any]:
        tags = {*inherited, *scenario.tags}
        data: dict[str, Any] = {
            "line": scenario.line,
            "name": scenario.name,
            "status": scenario.status,
            "runs": [self.run(run, tags, scenario.outline) for run in scenario.runs],
        }
        if scenario.keyword != "Scenario":
            data["keyword"] = scenario.keyword
        for key, value in [("description", scenario.description), ("tags", scenario.tags),
                           ("outline", scenario.outline)]:  # fmt: skip
            if value:
                data[key] = value  # left out when empty, as the script assumes
        return data

    def feature(self, feature: FeatureView) -> dict[str, Any]:
        return {
            "uri": feature.uri,
            "name": feature.name,
            "description": feature.description,
            "tags": feature.tags,
            "status": feature.status,
            "background": [list(step) for step in feature.background],
            "rules": [
                {
                    "name": rule.name,
                    "description": rule.description,
                    "tags": rule.tags,
                    "background": [list(step) for step in rule.background],
                    "scenarios": [
                        self.scenario(scenario, [*feature.tags, *rule.tags])
                        for scenario in rule.scenarios
                    ],
                }
                for rule in feature.rules
            ],
        }


def page_data(
    run: Run, coverage: Coverage | None, masking: Masking
) -> tuple[dict[str, Any], list[list[dict[str, Any]]]]:
    """(the tree, every run's steps); coverage names runs by their anchors (uri:line).

    Scenario and Examples-row ids are `uri:line`, written in the tree as `line` alone."""
    tree = _Tree(masking)
    tags = sorted({tag for feature, _, each in run.runs() for tag in (*feature.tags, *each.tags)})
    data = {
        "folders": [
            {
                "id": f"folder:{folder.path}",
                "title": folder.title,
                "intro": str(markdown(folder.introduction)) if folder.introduction else "",
                "features": [tree.feature(feature) for feature in folder.features],
            }
            for folder in run.folders
        ],
        "tags": tags,
        "coverage": [list(op.scenarios) for op in (coverage.operations if coverage else [])],
    }
    return data, tree.steps
