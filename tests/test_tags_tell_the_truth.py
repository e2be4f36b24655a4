"""@beyond-tutorial marks exactly the scenarios the tutorial's original HQ does not satisfy."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from starlette.testclient import TestClient

from tests.spec_run import run_features
from tests.tutorial_hq import build_app

TUTORIAL = ("--hq-app", "tests.tutorial_hq:build_app")


def outcomes(report: Path) -> dict[str, str]:
    """Scenario test -> 'passed' or the first line of its failure."""
    found = {}
    for case in ElementTree.parse(report).iter("testcase"):  # noqa: S314 - our own run wrote it
        failure = case.find("failure")
        name = f"{case.get('classname')}::{case.get('name')}"
        found[name] = "passed" if failure is None else (failure.get("message") or "failed")
    return found


def test_the_tutorial_double_answers_as_the_reference_records() -> None:
    # Bodies and lengths verbatim from the reference (sections 2, 3, 5 and 7).
    with TestClient(build_app()) as client:
        refused = client.post(
            "/heroes/", json={"name": "Volt", "power": "lightning", "wattage": 9001}
        )
        assert refused.status_code == 403
        assert refused.headers["content-length"] == "135"
        badge = {"X-HQ-Badge": "hq-badge-007"}
        filed = client.post(
            "/heroes/", json={"name": "Volt", "power": "lightning", "wattage": 9001}, headers=badge
        )
        assert (filed.status_code, filed.content) == (
            201,
            b'{"id":1,"name":"Volt","power":"lightning","wattage":9001}',
        )
        assert client.post("/heroes", headers=badge, content=b"").headers["content-length"] == "98"
        assert client.get("/heroes/999").headers["content-length"] == "80"
        unread = client.get("/heroes/not-a-number")
        assert (unread.status_code, unread.headers["content-length"]) == (422, "121")
        assert client.get("/heroes/1_0").status_code == 404  # int() reads it as 10
        assert client.get("/unknown").headers["content-length"] == "90"
        dismissed = client.delete("/heroes/1")
        assert (dismissed.status_code, dismissed.headers["allow"]) == (405, "GET")
        assert dismissed.headers["content-length"] == "111"
        assert client.get("/me/").content == b'{"identified":false}'
        assert client.post("/me/login", json={"hero_id": 999}).headers["content-length"] == "96"
        welcome = client.post("/me/login", json={"hero_id": "1"})
        assert welcome.content == b'{"welcome":"Volt"}'
        assert welcome.headers["set-cookie"].endswith(
            "; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax"
        )
        assert client.post("/me/logout").headers["content-length"] == "17"
        assert client.post("/missions/dispatch").headers["content-length"] == "111"
        assert client.post("/missions/dispatch?hero=").json() == {"dispatched": ""}
        assert client.get("/status/").content == b'{"hq":"online","grid":true}'
        with client.websocket_connect("/comms") as comms:
            comms.send_text(json.dumps({"event": "chat", "text": 123}))
            assert comms.receive_text() == '{"chat":123}'


def test_exactly_the_beyond_tutorial_scenarios_fail_against_the_tutorial(tmp_path: Path) -> None:
    within, beyond = tmp_path / "within.xml", tmp_path / "beyond.xml"
    run_features(*TUTORIAL, "-m", "not beyond-tutorial", f"--junitxml={within}")
    run_features(*TUTORIAL, "-m", "beyond-tutorial", f"--junitxml={beyond}")
    kept = outcomes(within)
    went_beyond = outcomes(beyond)
    assert kept, "the run within the tutorial reported no scenarios"
    assert went_beyond, "the run beyond the tutorial reported no scenarios"
    untagged_failures = {name: why for name, why in kept.items() if why != "passed"}
    assert not untagged_failures, (
        "the tutorial's HQ fails these, so they need @beyond-tutorial:\n"
        + "\n".join(f"{name}: {why}" for name, why in untagged_failures.items())
    )
    tagged_passes = [name for name, why in went_beyond.items() if why == "passed"]
    assert not tagged_passes, (
        "the tutorial's HQ already does these, so they are not @beyond-tutorial:\n"
        + "\n".join(tagged_passes)
    )
