"""A valid Cucumber Messages stream of any size, written in seconds, for the page's scale figures;
and the same run built directly as the page's model (`big_run`).

Each feature is written as Gherkin text together with the gherkinDocument and pickles a Gherkin
parser makes of it (same ids, lines and fields; gherkin-official itself is too slow for ten
thousand scenarios in a test). Every scenario passes but a few, which fail on a data table; each
When step attaches one HTTP exchange.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from hq_spec.evidence import EVIDENCE_MEDIA_TYPE
from hq_spec.report.model import (
    FeatureView,
    FolderView,
    RuleView,
    Run,
    RunView,
    ScenarioView,
    StepView,
)

STEP_NS = 1_500_000  # each step takes 1.5 ms
FAIL_EVERY = 97  # every 97th scenario fails, so the page has failures to show


def _at(line: int, column: int = 1) -> dict[str, int]:
    return {"line": line, "column": column}


class Feature:
    """One generated feature: its text, its gherkinDocument and its pickles, built side by side."""

    def __init__(self, ids: itertools.count[int], uri: str, folder: int, number: int) -> None:
        self.ids, self.uri = ids, uri
        self.lines = [
            f"@area-{folder}",
            f"Feature: Gadget handling {folder}.{number}",
            "  As a keeper I want gadgets tracked, so that none is lost.",
            "",
        ]
        self.feature_tag = {"location": _at(1), "name": f"@area-{folder}", "id": self.id()}
        self.children: list[dict[str, Any]] = []
        self.pickles: list[dict[str, Any]] = []
        self.name = f"Gadget handling {folder}.{number}"

    def id(self) -> str:
        return str(next(self.ids))

    def rule(self, name: str) -> None:
        self.lines += [f"  Rule: {name}", ""]
        line = len(self.lines) - 1
        rule = {
            "id": self.id(),
            "location": _at(line, 3),
            "tags": [],
            "keyword": "Rule",
            "name": name,
            "description": "",
            "children": [],
        }
        self.children.append({"rule": rule})

    def scenario(self, name: str, tag: str, gadget: int) -> None:
        start = len(self.lines) + 1
        steps_text = [
            ("Given ", "Context", f'a shelf labelled "S{gadget}"'),
            ("When ", "Action", f"the keeper stores gadget {gadget} there"),
            ("Then ", "Outcome", "the shelf lists these gadgets:"),
            ("And ", "Outcome", f"gadget {gadget} can be found"),
        ]
        table = [["gadget", "state"], [str(gadget), "stored"]]
        self.lines += [f"    {tag}", f"    Scenario: {name}"]
        steps, pickle_steps = [], []
        for keyword, kind, text in steps_text:
            self.lines.append(f"      {keyword}{text}")
            step: dict[str, Any] = {
                "id": "",
                "location": _at(len(self.lines), 7),
                "keyword": keyword,
                "keywordType": kind,
                "text": text,
            }
            pickle_step: dict[str, Any] = {"id": "", "text": text, "type": kind, "astNodeIds": []}
            if text.endswith(":"):
                rows = []
                for row in table:
                    self.lines.append("        | " + " | ".join(row) + " |")
                    cells = [{"location": _at(len(self.lines), 11), "value": v} for v in row]
                    rows.append(
                        {"id": self.id(), "location": _at(len(self.lines), 9), "cells": cells}
                    )
                step["dataTable"] = {"location": rows[0]["location"], "rows": rows}
                pickle_step["argument"] = {
                    "dataTable": {"rows": [{"cells": [{"value": v} for v in row]} for row in table]}
                }
            step["id"] = self.id()
            steps.append(step)
            pickle_steps.append(pickle_step)
        self.lines.append("")
        tag_node = {"location": _at(start, 5), "name": tag, "id": self.id()}
        scenario = {
            "id": self.id(),
            "location": _at(start + 1, 5),
            "tags": [tag_node],
            "keyword": "Scenario",
            "name": name,
            "description": "",
            "steps": steps,
            "examples": [],
        }
        self.children[-1]["rule"]["children"].append({"scenario": scenario})
        for step, pickle_step in zip(steps, pickle_steps, strict=True):
            pickle_step["id"] = self.id()
            pickle_step["astNodeIds"] = [step["id"]]
        self.pickles.append(
            {
                "id": self.id(),
                "uri": self.uri,
                "location": scenario["location"],
                "name": name,
                "language": "en",
                "steps": pickle_steps,
                "astNodeIds": [scenario["id"]],
                "tags": [
                    {"name": self.feature_tag["name"], "astNodeId": self.feature_tag["id"]},
                    {"name": tag, "astNodeId": tag_node["id"]},
                ],
            }
        )

    def envelopes(self) -> list[dict[str, Any]]:
        document = {
            "uri": self.uri,
            "comments": [],
            "feature": {
                "location": _at(2),
                "tags": [self.feature_tag],
                "language": "en",
                "keyword": "Feature",
                "name": self.name,
                "description": "  " + self.lines[2].strip(),
                "children": self.children,
            },
        }
        source = {
            "uri": self.uri,
            "data": "\n".join(self.lines),
            "mediaType": "text/x.cucumber.gherkin+plain",
        }
        return [
            {"source": source},
            {"gherkinDocument": document},
            *({"pickle": p} for p in self.pickles),
        ]


def _evidence(number: int) -> dict[str, Any]:
    path = f"/gadgets/{number}"
    return {
        "kind": "http",
        "actor": "the keeper",
        "summary": f"PUT {path} -> 201",
        "request": {
            "method": "PUT",
            "path": path,
            "headers": {"content-type": "application/json"},
            "body": json.dumps({"gadget": number, "shelf": f"S{number}"}),
        },
        "response": {
            "status": 201,
            "headers": {"content-type": "application/json"},
            "body": json.dumps({"stored": number}),
        },
    }


def write_stream(
    target: Path, scenarios: int, *, per_feature: int = 20, per_folder: int = 10
) -> Path:
    """Write a stream of `scenarios` scenarios, `per_feature` to a feature, to target."""
    ids = itertools.count()
    stamp = [1_700_000_000 * 1_000_000_000]

    def now() -> dict[str, int]:
        return {"seconds": stamp[0] // 1_000_000_000, "nanos": stamp[0] % 1_000_000_000}

    envelopes: list[dict[str, Any]] = [
        {
            "meta": {
                "protocolVersion": "27.0.0",
                "implementation": {"name": "big-stream"},
                "runtime": {"name": "python"},
                "os": {"name": "linux"},
                "cpu": {"name": "x64"},
            }
        }
    ]
    pickles = []
    for number in range(-(-scenarios // per_feature)):
        folder = number // per_folder
        feature = Feature(ids, f"features/area-{folder}/gadgets-{number}.feature", folder, number)
        count = min(per_feature, scenarios - number * per_feature)
        for index in range(count):
            if index % 10 == 0:
                feature.rule(f"Gadgets of batch {index // 10} are counted")
            gadget = number * per_feature + index
            tag = "@smoke" if index % 10 == 0 else "@regular"
            feature.scenario(f"Gadget {gadget} is stored and found again", tag, gadget)
        envelopes += feature.envelopes()
        pickles += feature.pickles
    run_id = str(next(ids))
    envelopes.append({"testRunStarted": {"id": run_id, "timestamp": now()}})
    cases = []
    for pickle in pickles:
        steps = [
            {
                "id": str(next(ids)),
                "pickleStepId": s["id"],
                "stepDefinitionIds": [],
                "stepMatchArgumentsLists": [],
            }
            for s in pickle["steps"]
        ]
        case = {
            "id": str(next(ids)),
            "pickleId": pickle["id"],
            "testSteps": steps,
            "testRunStartedId": run_id,
        }
        envelopes.append({"testCase": case})
        cases.append(case)
    for number, case in enumerate(cases):
        started = str(next(ids))
        envelopes.append(
            {
                "testCaseStarted": {
                    "id": started,
                    "testCaseId": case["id"],
                    "attempt": 0,
                    "timestamp": now(),
                }
            }
        )
        failing = number % FAIL_EVERY == FAIL_EVERY - 1
        for index, step in enumerate(case["testSteps"]):
            where = {"testCaseStartedId": started, "testStepId": step["id"]}
            envelopes.append({"testStepStarted": {**where, "timestamp": now()}})
            if index == 1:
                envelopes.append(
                    {
                        "attachment": {
                            **where,
                            "body": json.dumps(_evidence(number)),
                            "contentEncoding": "IDENTITY",
                            "mediaType": EVIDENCE_MEDIA_TYPE,
                            "timestamp": now(),
                        }
                    }
                )
            stamp[0] += STEP_NS
            result: dict[str, Any] = {
                "status": "PASSED",
                "duration": {"seconds": 0, "nanos": STEP_NS},
            }
            if failing and index == 2:
                message = (
                    "expected the shelf to list these gadgets, but it listed others\n"
                    f"Observed table:\n| gadget | state |\n| {number} | lost |"
                )
                result.update(
                    status="FAILED",
                    message=message,
                    exception={"type": "TableMismatch", "message": message},
                )
            elif failing and index > 2:
                result = {"status": "SKIPPED", "duration": {"seconds": 0, "nanos": 0}}
            envelopes.append(
                {"testStepFinished": {**where, "testStepResult": result, "timestamp": now()}}
            )
        envelopes.append(
            {
                "testCaseFinished": {
                    "testCaseStartedId": started,
                    "timestamp": now(),
                    "willBeRetried": False,
                }
            }
        )
    envelopes.append(
        {
            "testRunFinished": {
                "testRunStartedId": run_id,
                "success": scenarios < FAIL_EVERY,
                "timestamp": now(),
            }
        }
    )
    with target.open("w", encoding="utf-8") as out:
        for envelope in envelopes:
            out.write(json.dumps(envelope, separators=(",", ":")) + "\n")
    return target


def big_run(scenarios: int, *, per_feature: int = 20, per_folder: int = 10) -> Run:
    """The same run as `write_stream` writes, built directly as the page's model: for tests that
    measure the page, not the reading of a stream (make bench times that)."""
    folders: list[FolderView] = []
    for number in range(-(-scenarios // per_feature)):
        folder = number // per_folder
        if folder == len(folders):
            folders.append(FolderView(f"features/area-{folder}", f"Area {folder}", "", []))
        uri = f"features/area-{folder}/gadgets-{number}.feature"
        rules: list[RuleView] = []
        for index in range(min(per_feature, scenarios - number * per_feature)):
            if index % 10 == 0:
                rules.append(
                    RuleView(f"Gadgets of batch {index // 10} are counted", "", [], [], [])
                )
            gadget = number * per_feature + index
            failing = gadget % FAIL_EVERY == FAIL_EVERY - 1
            tag = "@smoke" if index % 10 == 0 else "@regular"
            name = f"Gadget {gadget} is stored and found again"
            line = 8 + 9 * index + 2 * (index // 10)
            rules[-1].scenarios.append(ScenarioView(
                "Scenario", name, "", line, [tag],
                [RunView(name, None, "failed" if failing else "passed", _steps(gadget, failing),
                         [f"@area-{folder}", tag], f"{uri}:{line}", 4 * STEP_NS)],
                anchor=f"{uri}:{line}",
            ))  # fmt: skip
        folders[-1].features.append(FeatureView(
            uri, f"Gadget handling {folder}.{number}",
            "As a keeper I want gadgets tracked, so that none is lost.", [f"@area-{folder}"], [],
            rules,
        ))  # fmt: skip
    return Run("2023-11-14 22:13:20 UTC", "", "", False, folders, scenarios * 4 * STEP_NS)


def _steps(gadget: int, failing: bool) -> list[StepView]:
    table = [["gadget", "state"], [str(gadget), "stored"]]
    message = (
        f"expected the shelf to list these gadgets, but it listed others\n"
        f"Observed table:\n| gadget | state |\n| {gadget} | lost |"
    )
    return [
        StepView("Given", f'a shelf labelled "S{gadget}"', "passed", duration_ns=STEP_NS),
        StepView("When", f"the keeper stores gadget {gadget} there", "passed",
                 evidence=[_evidence(gadget)], duration_ns=STEP_NS),
        StepView("Then", "the shelf lists these gadgets:", "failed" if failing else "passed",
                 message if failing else "", table=table, duration_ns=STEP_NS),
        StepView("And", f"gadget {gadget} can be found", "skipped" if failing else "passed",
                 duration_ns=0 if failing else STEP_NS),
    ]  # fmt: skip
