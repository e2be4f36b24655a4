"""@beyond-tutorial marks exactly the scenarios the tutorial's original HQ does not satisfy.

The double of the tutorial's HQ answers as the reference records, and `hq-spec check` runs the
features against it (hq_spec_baseline_args in pyproject.toml).
"""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from hq_spec.baseline import baseline_problems
from hq_spec.settings import Settings
from tests.spec_run import ROOT
from tests.tutorial_hq import build_app


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


def test_hq_spec_check_holds_beyond_tutorial_to_the_tutorials_hq() -> None:
    # hq-spec check (first in make spec and make test) runs this baseline, so an author learns of
    # a missing or needless @beyond-tutorial at the scenario's line, before anything else runs.
    settings = Settings.from_project(ROOT)
    assert settings.baseline_tag == "beyond-tutorial"
    assert "tests.tutorial_hq:build_app" in settings.baseline_args
    assert [str(problem) for problem in baseline_problems(settings)] == []
