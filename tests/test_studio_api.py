"""The scenario studio's API: refusals first (origin, host, token, paths, sizes, stale files,
malformed features), then what a page asks of it (tree, suggestions, checks, runs, saving)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from starlette.applications import Starlette
from starlette.testclient import TestClient

from hq_spec.studio.app import MAX_BODY_BYTES, Studio, build_studio
from tests.spec_run import ROOT

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "test-token-for-this-launch"
COMMS = "comms/comms.feature"

NEW_SCENARIO = """
    Scenario: A greeting reaches the other hero
      Given Volt and Tide are on comms
      When Tide says "good morning"
      Then Volt hears "good morning"
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's features: whatever the studio writes lands here, never in ROOT."""
    features = tmp_path_factory.mktemp("studio") / "features"
    shutil.copytree(ROOT / "features", features)
    return features


@pytest.fixture(scope="module")
def studio(project: Path) -> tuple[Starlette, Studio]:
    return build_studio(ROOT, project, port=PORT, token=TOKEN, warm_runner=False)


@pytest.fixture(scope="module")
def client(studio: tuple[Starlette, Studio]) -> Iterator[TestClient]:
    with TestClient(studio[0], base_url=BASE, headers={"x-studio-token": TOKEN}) as test_client:
        yield test_client


def comms_text(project: Path) -> str:
    return (project / COMMS).read_text(encoding="utf-8")


def with_scenario(text: str, scenario: str = NEW_SCENARIO) -> str:
    """The comms feature with a scenario added to its first rule."""
    marker = "  Rule: A message HQ cannot understand"
    return text.replace(marker, scenario.lstrip("\n") + "\n" + marker, 1)


def refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


# -- refusals -----------------------------------------------------------------------------


def test_a_request_from_another_origin_is_refused(client: TestClient, project: Path) -> None:
    before = comms_text(project)
    response = client.post(
        "/api/save",
        json={"path": COMMS, "text": "Feature: hijacked\n", "version": None},
        headers={"origin": "http://evil.example"},
    )
    refused(response, 403, "other_origin")
    assert comms_text(project) == before


def test_a_page_reached_under_another_host_name_is_refused(client: TestClient) -> None:
    # A DNS-rebinding page reaches loopback under its own host name: the Host header tells.
    refused(client.get("/", headers={"host": f"evil.example:{PORT}"}), 403, "wrong_host")
    refused(client.get("/api/tree", headers={"host": f"evil.example:{PORT}"}), 403, "wrong_host")


def test_an_api_call_without_the_launch_token_is_refused(client: TestClient) -> None:
    refused(client.get("/api/tree", headers={"x-studio-token": ""}), 403, "no_token")
    refused(client.get("/api/tree", headers={"x-studio-token": "guess"}), 403, "no_token")


@pytest.mark.parametrize(
    "path",
    [
        "../conftest.py",
        "../../etc/passwd.feature",
        "/etc/passwd",
        "comms/../../pyproject.toml",
        "comms/README.md",
        "comms\\..\\..\\x.feature",
        "",
    ],
)
def test_paths_outside_the_features_are_refused(client: TestClient, path: str) -> None:
    refused(client.get("/api/feature", params={"path": path}), 403, "outside_features")
    body = {"path": path, "text": "Feature: x\n", "version": None}
    refused(client.post("/api/check", json=body), 403, "outside_features")
    refused(client.post("/api/save", json=body), 403, "outside_features")


def test_a_link_leading_out_of_the_features_is_refused(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.feature"
    outside.write_text("Feature: outside\n", encoding="utf-8")
    link = project / "comms" / "linked.feature"
    link.symlink_to(outside)
    try:
        refused(
            client.get("/api/feature", params={"path": "comms/linked.feature"}),
            403,
            "outside_features",
        )
        body = {"path": "comms/linked.feature", "text": "Feature: x\n", "version": None}
        refused(client.post("/api/save", json=body), 403, "outside_features")
        assert outside.read_text(encoding="utf-8") == "Feature: outside\n"
    finally:
        link.unlink()


def test_an_oversized_body_is_refused_announced_or_not(client: TestClient) -> None:
    big = b'{"path": "comms/comms.feature", "text": "' + b"x" * MAX_BODY_BYTES + b'"}'
    refused(client.post("/api/check", content=big), 413, "too_large")

    def unannounced() -> Iterator[bytes]:  # chunked: no length to read in advance
        yield big[: len(big) // 2]
        yield big[len(big) // 2 :]

    refused(client.post("/api/check", content=unannounced()), 413, "too_large")


def test_a_body_that_is_not_what_the_page_sends_is_refused(client: TestClient) -> None:
    refused(client.post("/api/check", content=b"{not json"), 400, "invalid_json")
    refused(client.post("/api/check", json=["a list"]), 400, "invalid_json")
    refused(client.post("/api/check", json={"path": COMMS, "text": 7}), 422, "invalid_field")
    refused(
        client.post("/api/suggest", json={"path": COMMS, "text": "x", "line": 9}),
        422,
        "invalid_field",
    )


def test_a_file_changed_on_disk_since_it_was_opened_is_not_overwritten(
    client: TestClient, project: Path
) -> None:
    opened = client.get("/api/feature", params={"path": COMMS}).json()
    someone_else = with_scenario(opened["text"], NEW_SCENARIO.replace("good morning", "hello"))
    (project / COMMS).write_text(someone_else, encoding="utf-8")
    try:
        mine = with_scenario(opened["text"])
        response = client.post(
            "/api/save", json={"path": COMMS, "text": mine, "version": opened["version"]}
        )
        refused(response, 409, "changed_on_disk")
        assert comms_text(project) == someone_else
    finally:
        (project / COMMS).write_text(opened["text"], encoding="utf-8")


def test_a_new_file_created_meanwhile_is_not_overwritten(client: TestClient, project: Path) -> None:
    created = project / "comms" / "extra.feature"
    created.write_text("Feature: written by someone else\n", encoding="utf-8")
    try:
        body = {"path": "comms/extra.feature", "text": "Feature: mine\n", "version": None}
        refused(client.post("/api/save", json=body), 409, "changed_on_disk")
        assert created.read_text(encoding="utf-8") == "Feature: written by someone else\n"
    finally:
        created.unlink()


def test_a_malformed_feature_gets_the_parsers_message_at_its_line(
    client: TestClient, project: Path
) -> None:
    text = "Feature: Broken\n  Scenario: One\n    Given Volt is on comms\n  Volt says hi\n"
    problems = client.post("/api/check", json={"path": COMMS, "text": text}).json()["problems"]
    assert [problem["line"] for problem in problems] == [4]
    assert problems[0]["message"].startswith("the feature cannot be read")
    assert "Volt says hi" in problems[0]["message"]
    before = comms_text(project)
    save = client.post("/api/save", json={"path": COMMS, "text": text, "version": None})
    refused(save, 422, "unreadable")
    assert save.json()["error"]["detail"]["problems"][0]["line"] == 4
    assert comms_text(project) == before
    refused(client.post("/api/run", json={"path": COMMS, "text": text}), 422, "not_runnable")


def test_only_phrases_of_the_vocabulary_run(client: TestClient, project: Path) -> None:
    text = with_scenario(comms_text(project), NEW_SCENARIO.replace("Tide says", "Tide shouts"))
    response = client.post("/api/run", json={"path": COMMS, "text": text, "line": 40})
    refused(response, 422, "not_runnable")
    assert "Tide shouts" in response.json()["error"]["detail"]["problems"][0]["message"]


# -- what the page asks ------------------------------------------------------------------------


def test_the_tree_lists_folders_with_their_introductions_features_rules_and_scenarios(
    client: TestClient,
) -> None:
    folders = {folder["path"]: folder for folder in client.get("/api/tree").json()["folders"]}
    comms = folders["comms"]
    assert "every hero hears" in comms["introduction"]
    feature = comms["features"][0]
    assert (feature["path"], feature["name"]) == (COMMS, "The comms channel")
    rules = [rule["name"] for rule in feature["rules"]]
    assert rules[0] == "Every hero on comms hears every message, the sender included"
    assert feature["rules"][0]["scenarios"][0] == {
        "name": "A call to assemble reaches everyone", "keyword": "Scenario", "line": 9,
        "tags": ["@smoke"],
    }  # fmt: skip


def suggest(client: TestClient, text: str, line: int) -> dict[str, Any]:
    response = client.post("/api/suggest", json={"path": COMMS, "text": text, "line": line})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_suggestions_continue_what_was_typed_with_meaning_example_and_fill_ins(
    client: TestClient,
) -> None:
    answer = suggest(client, "Feature: x\n  Scenario: y\n    Given Volt and T", 3)
    assert answer["type"] == "given"
    first = answer["suggestions"][0]
    assert first["insert"] == "Volt and Tide are on comms"
    assert first["meaning"] == "These heroes have each connected to the comms channel."
    assert first["example"].startswith("Given ")

    says = suggest(client, "Feature: x\n  Scenario: y\n    When ", 3)["suggestions"]
    chat = next(s for s in says if s["phrase"] == '<actor> says "<text>"')
    assert chat["insert"] == '<actor> says "<text>"'
    actors = next(slot for slot in chat["slots"] if slot["name"] == "actor")["options"]
    assert {"Volt", "Tide", "the quartermaster", "an anonymous visitor"} <= set(actors)
    bad = suggest(client, "Feature: x\n  Scenario: y\n    When Volt sends ", 3)["suggestions"][0]
    assert "a garbled message" in bad["slots"][0]["options"]  # the kinds of message, all listed


def test_and_is_offered_the_phrases_of_the_keyword_it_continues(client: TestClient) -> None:
    text = 'Feature: x\n  Scenario: y\n    Given Volt is on comms\n    Then Volt hears "a"\n    And Tide hea'
    answer = suggest(client, text, 5)
    assert (answer["keyword"], answer["type"]) == ("And", "then")
    inserts = [suggestion["insert"] for suggestion in answer["suggestions"]]
    assert 'Tide hears "<text>"' in inserts
    assert all(suggestion["keyword"] in ("Then", "Step") for suggestion in answer["suggestions"])


def test_a_keyword_being_typed_is_completed_in_the_order_a_scenario_uses_them(
    client: TestClient,
) -> None:
    def offered(text: str, line: int) -> list[str]:
        return [choice["keyword"] for choice in suggest(client, text, line)["keywords"]]

    assert offered("Feature: x\n  Scenario: y\n    gi", 3) == ["Given"]
    assert offered("Feature: x\n  Scenario: y\n    Given Volt is on comms\n    ", 4) == []
    after_given = (
        "Feature: x\n  Scenario: y\n    Given Volt is on comms\n    And Tide is on comms\n"
    )
    assert offered(after_given + "    W", 5) == ["When"]
    assert offered(after_given + "    A", 5) == ["And"]
    assert offered('Feature: x\n  Scenario: y\n    When Volt says "a"\n    T', 4) == ["Then"]
    first = suggest(client, "Feature: x\n  Scenario: y\n    T", 3)["keywords"][0]
    assert first == {"keyword": "Then", "meaning": "what must then be true"}
    # Outside a scenario's steps a word is just a word: a description, a doc string.
    assert offered("Feature: x\n  As", 2) == []
    doc_string = 'Feature: x\n  Scenario: y\n    Given a note:\n      """\n      Th'
    assert offered(doc_string, 5) == []
    # Once the keyword is whole, the phrases that may follow it are what is offered.
    whole = suggest(client, "Feature: x\n  Scenario: y\n    Given ", 3)
    assert whole["keywords"] == []
    assert whole["suggestions"]


def test_a_step_already_written_in_full_is_recognised_as_the_phrase(client: TestClient) -> None:
    answer = suggest(client, 'Feature: x\n  Scenario: y\n    Then Volt hears "hi"', 3)
    assert answer["suggestions"][0]["exact"] is True
    assert answer["suggestions"][0]["phrase"] == '<actor> hears "<text>"'


def test_problems_come_at_their_line_in_the_words_of_hq_spec_check(
    client: TestClient, project: Path
) -> None:
    text = with_scenario(
        comms_text(project), NEW_SCENARIO.replace("Then Volt hears", "Then Volt hers")
    )
    text = text.replace("@smoke", "@smok", 1)
    text = text.replace('When Volt says "one"', 'Then Volt says "one"')
    text = text.replace(
        "Scenario: A hero alone on comms",
        "Scenario: A call to assemble reaches everyone\n    # was: A hero alone on comms",
    )
    problems = client.post("/api/check", json={"path": COMMS, "text": text}).json()["problems"]
    lines = text.split("\n")
    by_text = {lines[problem["line"] - 1].strip(): problem["message"] for problem in problems}
    assert "@smok is not a known tag" in by_text["@smok"]
    assert "two scenarios are named" in by_text["Scenario: A call to assemble reaches everyone"]
    assert "is defined as a When step" in by_text['Then Volt says "one"']
    assert "not as a Then step" in by_text['Then Volt says "one"']
    typo = by_text['Then Volt hers "good morning"']
    assert typo.startswith('"Then Volt hers "good morning"" is not a known step.\nDid you mean:')
    assert 'Then <actor> hears "<text>"' in typo.split("Or, if")[0]


def test_a_misspelt_outline_step_is_one_problem_at_its_line_for_all_its_rows(
    client: TestClient, project: Path
) -> None:
    written = "When the quartermaster files Volt's paperwork with the wattage <wattage>"
    text = (project / "paperwork" / "paperwork.feature").read_text(encoding="utf-8")
    typo = text.replace(written, written.replace("wattage <", "wattaje <"))
    answer = client.post("/api/check", json={"path": "paperwork/paperwork.feature", "text": typo})
    problems = answer.json()["problems"]
    line = text.split("\n").index(f"      {written}") + 1
    assert [problem["line"] for problem in problems] == [line]  # not one per Examples row
    assert problems[0]["message"].splitlines()[:2] == [
        f'"{written.replace("wattage <", "wattaje <")}" is not a known step in any of its 6 '
        "Examples rows.",
        "Did you mean:",
    ]
    assert (
        problems[0]["message"].splitlines()[2].startswith(f"    {written}    (steps/paperwork.py:")
    )


def test_a_scenario_runs_green_and_a_broken_one_says_why_in_plain_words(
    client: TestClient, project: Path
) -> None:
    text = with_scenario(comms_text(project))
    line = text.split("\n").index("    Scenario: A greeting reaches the other hero") + 1
    passed = client.post("/api/run", json={"path": COMMS, "text": text, "line": line}).json()
    runs = passed["runs"]
    assert [(run["name"], run["status"], run["line"]) for run in runs] == [
        ("A greeting reaches the other hero", "passed", line)
    ]
    assert [step["status"] for step in runs[0]["steps"]] == ["passed"] * 3
    assert any(
        item["kind"] == "comms" for step in runs[0]["steps"] for item in step.get("evidence", [])
    )

    broken = text.replace('Then Volt hears "good morning"', 'Then Volt hears "good night"')
    failed = client.post("/api/run", json={"path": COMMS, "text": broken, "line": line}).json()
    steps = [step for run in failed["runs"] for step in run["steps"]]
    assert [step["status"] for step in steps] == ["passed", "passed", "failed"]
    assert "good night" in steps[2]["message"]
    assert "good morning" in steps[2]["message"]
    assert "Traceback" not in steps[2]["message"]


def test_saving_writes_the_feature_laid_out_as_the_others_and_a_new_version(
    client: TestClient, project: Path
) -> None:
    opened = client.get("/api/feature", params={"path": COMMS}).json()
    sloppy = with_scenario(
        opened["text"],
        'Scenario: A greeting reaches the other hero\nGiven Volt and Tide are on comms\n      When Tide says "good morning"\nThen Volt hears "good morning"\n',
    )
    preview = client.post("/api/preview", json={"path": COMMS, "text": sloppy}).json()
    assert "+    Scenario: A greeting reaches the other hero" in preview["diff"]
    assert "+      Given Volt and Tide are on comms" in preview["diff"]
    saved = client.post(
        "/api/save", json={"path": COMMS, "text": sloppy, "version": opened["version"]}
    )
    assert saved.status_code == 200, saved.text
    try:
        assert comms_text(project) == with_scenario(opened["text"]) == saved.json()["text"]
        assert saved.json()["version"] != opened["version"]
        again = client.post(
            "/api/save", json={"path": COMMS, "text": opened["text"], "version": opened["version"]}
        )
        refused(again, 409, "changed_on_disk")  # the version saved is now the one to compare with
    finally:
        (project / COMMS).write_text(opened["text"], encoding="utf-8")


def test_the_page_carries_the_launch_token_and_forbids_other_scripts(client: TestClient) -> None:
    page = client.get("/", headers={"x-studio-token": ""})
    assert page.status_code == 200
    assert f'content="{TOKEN}"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert os.path.basename(client.get("/static/studio.js").url.path) == "studio.js"


def test_a_feature_gherkin_cannot_read_is_listed_with_gherkins_message(
    client: TestClient, project: Path
) -> None:
    broken = project / "comms" / "broken.feature"
    broken.write_text(
        "Feature: Broken\n  Scenario: One\n    Given Volt is on comms\n  Volt says hi\n",
        encoding="utf-8",
    )
    try:
        folders = client.get("/api/tree").json()["folders"]
        comms = next(folder for folder in folders if folder["path"] == "comms")
        listed = next(f for f in comms["features"] if f["path"] == "comms/broken.feature")
        assert "(4:3)" in listed["problem"]
        assert listed["rules"] == []
    finally:
        broken.unlink()


def test_a_whole_feature_runs_and_a_runner_that_died_is_started_again(
    client: TestClient, project: Path, studio: tuple[Starlette, Studio]
) -> None:
    runner = studio[1].runner
    text = comms_text(project)
    first = client.post("/api/run", json={"path": COMMS, "text": text}).json()
    runs = first["runs"]
    # every scenario, each Examples row a run of its own (as Gherkin's own compiler counts them)
    document = Parser().parse(text)
    document["uri"] = COMMS
    assert len(runs) == len(Compiler().compile(document))
    assert {run["status"] for run in runs} == {"passed"}
    assert first["exit"] == 0

    worker = runner._worker
    assert worker is not None
    worker.kill()  # as if the machine had ended it
    worker.wait()
    line = text.split("\n").index("    Scenario: A call to assemble reaches everyone") + 1
    again = client.post("/api/run", json={"path": COMMS, "text": text, "line": line})
    assert again.status_code == 200, again.text
    assert runner._worker is not worker


def test_the_page_borrows_only_the_living_documentations_step_rendering(
    client: TestClient,
) -> None:
    script = client.get("/static/living/steps.js")
    assert script.status_code == 200
    assert "LivingSteps" in script.text
    assert client.get("/static/living/scenario.css").status_code == 200
    for other in ("living_docs.html.j2", "..%2Fcli.py", "living_docs.js"):
        assert client.get(f"/static/living/{other}").status_code == 404
