"""A toy pytest-bdd project, a gadget warehouse, that gives the living documentation everything
to show: two capability folders, rules, an outline with a failing row, a table that does not match,
a doc string, an undefined step, durations, and evidence of three kinds with secrets in it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hq_spec.masking import Masking
from hq_spec.report import write_report

SHELVES = '''\
@warehouse
Feature: Keeping gadgets on shelves
  As a keeper
  I want every gadget on a labelled shelf
  So that nothing is lost

  Rule: A stored gadget can be found again

    @smoke
    Scenario: A gadget is stored and found
      Given a shelf labelled "A1"
      When the keeper stores a sprocket on "A1"
      Then the shelf "A1" holds:
        | gadget   | count |
        | sprocket | 1     |

    Scenario: The inventory does not add up
      Given a shelf labelled "B2"
      When the keeper stores a sprocket on "B2"
      Then the shelf "B2" holds:
        | gadget   | count |
        | sprocket | 1     |
        | widget   | 2     |

  Rule: Shelves take a limited load

    Scenario Outline: Loading <count> gadgets
      Given a shelf labelled "C3"
      Then a shelf takes <count> gadgets

      Examples:
        | count |
        | 1     |
        | 99    |

    Scenario: A note for the night shift
      Given a shelf labelled "D4"
      And the keeper leaves a note:
        """
        Mind the loose plank.
        """
'''

ALARMS = """\
Feature: Alarms
  Scenario: The alarm feed reports a break-in
    Given the alarm feed is on
    Then the radio says "all clear"

  Scenario: A step nobody wrote
    Given the alarm feed is on
    When the keeper juggles
    Then the radio says "too late"
"""

STEPS = '''\
import time

from pytest_bdd import given, parsers, scenarios, then, when

from hq_spec.evidence import Evidence, evidence_log
from hq_spec.mismatch import TableMismatch

scenarios("features")
STOCK = {
    "A1": [["gadget", "count"], ["sprocket", "1"]],
    "B2": [["gadget", "count"], ["sprocket", "1"], ["widget", "3"]],
}
SECRET_HEADERS = {
    "X-Gadget-Key": "key-RAW-1", "x-gadget-key": "key-RAW-2", "AUTHORIZATION": "Bearer tok-RAW-3",
}


def record(request, kind, summary, payload):
    evidence_log(request.node).record(Evidence(kind, "the keeper", summary, payload))


@given(parsers.parse('a shelf labelled "{label}"'))
def _(label, request):
    """A shelf with this label exists."""
    time.sleep(0.002)
    record(request, "http", f"GET /shelves/{label} -> 200", {
        "request": {
            "method": "GET", "path": f"/shelves/{label}", "headers": SECRET_HEADERS, "body": "",
        },
        "response": {
            "status": 200,
            "headers": {"Set-Cookie": "Keeper_Session=sess-RAW-4; HttpOnly"},
            "body": f'{{"label": "{label}", "note": "</script><b>bold</b>"}}',
        },
    })


@when(parsers.parse('the keeper stores a sprocket on "{label}"'))
def _(label, request):
    """The keeper puts a sprocket on the shelf."""
    record(request, "http", "POST /gadgets -> 503", {
        "request": {
            "method": "POST", "path": "/gadgets", "body": "{}",
            "headers": [["Cookie", "keeper_session=sess-RAW-5; theme=dark"]],
        },
        "response": {"status": 503, "headers": {}, "body": "busy"},
    })


@then(parsers.parse('the shelf "{label}" holds:'))
def _(label, datatable):
    """The shelf holds exactly these gadgets (gadget, count)."""
    if datatable != STOCK[label]:
        raise TableMismatch("the shelf to hold the gadgets listed", "it held others", STOCK[label])


@then(parsers.parse("a shelf takes {count:d} gadgets"))
def _(count):
    """A shelf takes this many gadgets at most."""
    assert count <= 10, f"a shelf takes 10 gadgets, not {count}"


@given("the keeper leaves a note:")
def _(docstring):
    """The keeper writes a note."""


@given("the alarm feed is on")
def _(request):
    """The keeper listens to the alarm feed."""
    record(request, "feed", "2 events from the alarm feed", {
        "method": "GET", "path": "/alarms/feed", "status": 200,
        "events": [
            {"event": "alarm", "data": "break-in at B2"}, {"event": "end", "data": "stood down"},
        ],
    })


@then(parsers.parse('the radio says "{words}"'))
def _(words, request):
    """The radio channel carries these words."""
    record(request, "comms", f"the keeper heard {words}",
           {"path": "/radio", "direction": "received", "frame": words})
'''

README_GADGETS = "# Gadget keeping\n\nThe warehouse keeps **gadgets** on shelves.\n"
OPENAPI: dict[str, Any] = {
    "paths": {
        "/shelves/{label}": {"get": {"summary": "Read a shelf", "responses": {
            "200": {"description": "the shelf"}, "404": {"description": "no such shelf"},
            "500": {"description": "server fault"}}}},
        "/gadgets": {"post": {"summary": "Store a gadget", "responses": {
            "201": {"description": "stored"}, "503": {"description": "busy"}}}},
        "/alarms/feed": {"get": {"summary": "The alarm feed", "responses": {
            "200": {"description": "events"}, "500": {"description": "server fault"}}}},
        "/audits": {"delete": {"summary": "Forget audits", "responses": {
            "204": {"description": "gone"}}}},
    },
    "x-websockets": {"/radio": {"description": "The radio channel. Everyone hears everything."}},
}  # fmt: skip
GLOSSARY = [
    {"keyword": "Given", "phrase": 'a shelf labelled "{label}"', "description": "A shelf exists.",
     "example": 'Given a shelf labelled "A1"',
     "example_location": "features/gadgets/shelves.feature:11",
     "uses": 5, "choices": {}},
    {"keyword": "Given", "phrase": "the alarm feed is on", "description": "Listening to alarms.",
     "example": "Given the alarm feed is on",
     "example_location": "features/alarms/alarms.feature:3",
     "uses": 2, "choices": {}},
    {"keyword": "When", "phrase": "the keeper sweeps", "description": "Nobody sweeps yet.",
     "example": None, "example_location": None, "uses": 0, "choices": {}},
]  # fmt: skip
MASKING = Masking.of(["Authorization", "X-GADGET-KEY"], ["KEEPER_SESSION"])
RAW_SECRETS = ["key-RAW-1", "key-RAW-2", "tok-RAW-3", "sess-RAW-4", "sess-RAW-5"]


def make_warehouse(project: Path) -> Path:
    """Lay out the toy project in this folder; returns its features folder."""
    features = project / "features"
    (features / "gadgets").mkdir(parents=True)
    (features / "alarms").mkdir()
    (features / "gadgets" / "shelves.feature").write_text(SHELVES, encoding="utf-8")
    (features / "gadgets" / "README.md").write_text(README_GADGETS, encoding="utf-8")
    (features / "alarms" / "alarms.feature").write_text(ALARMS, encoding="utf-8")
    (project / "test_warehouse.py").write_text(STEPS, encoding="utf-8")
    (project / "pytest.ini").write_text("[pytest]\nmarkers =\n    warehouse: toy\n    smoke: toy\n")
    return features


def run_warehouse(project: Path, *args: str) -> Path:
    """Run the toy project in a process of its own, with the messages plugin; returns the stream."""
    stream = project / "out" / "messages.ndjson"
    completed = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "pytest", "-p", "hq_spec.messages_plugin", "-p", "no:cacheprovider",
         "-p", "no:xdist", "-p", "no:schemathesis", "-p", "no:hypothesispytest",
         f"--cucumber-messages={stream}", *args],
        cwd=project, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert stream.exists(), f"the toy run wrote no stream:\n{completed.stdout[-3000:]}"
    return stream


def warehouse_page(project: Path, *args: str, title: str = "Warehouse <docs>") -> Path:
    """The toy project's living documentation, built in this folder."""
    features = make_warehouse(project)
    stream = run_warehouse(project, *args)
    return write_report(
        stream, project / "site", features_dir=features, glossary=GLOSSARY,
        openapi=OPENAPI, title=title, masking=MASKING,
    )  # fmt: skip


def unpacked(html: str) -> list[Any]:
    """The page's embedded data, unpacked as its script does: the tree, then each chunk of steps."""
    import base64
    import gzip
    import re

    packed = re.findall(r'<script type="application/gzip;base64"[^>]*>([^<]*)</script>', html)
    return [json.loads(gzip.decompress(base64.b64decode(text))) for text in packed]
