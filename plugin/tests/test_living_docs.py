"""The living documentation page, from a toy project's stream: counts, verdict, durations, API
coverage, table diffs, masking, glossary, configuration; nothing of any particular project."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import hq_spec
from big_stream import write_stream
from hq_spec.masking import MASK, Masking
from hq_spec.report.coverage import api_coverage, touch_of
from hq_spec.report.formatting import duration
from hq_spec.report.model import read_run
from hq_spec.report.render import masked, render_page
from hq_spec.report.table_diff import observed_table, table_diff, without_observed_table
from toy_warehouse import OPENAPI, RAW_SECRETS, unpacked, warehouse_page


@pytest.fixture(scope="module")
def page(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """The page's HTML, its tree and every run's steps (in the tree's order)."""
    html = warehouse_page(tmp_path_factory.mktemp("warehouse")).read_text(encoding="utf-8")
    tree, *chunks = unpacked(html)
    return html, tree, [steps for chunk in chunks for steps in chunk]


def header(html: str) -> str:
    return html.split("<header>", 1)[1].split("</header>", 1)[0]


def all_runs(tree: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [
        (scenario, run)
        for folder in tree["folders"]
        for feature in folder["features"]
        for rule in feature["rules"]
        for scenario in rule["scenarios"]
        for run in scenario["runs"]
    ]


def test_a_failing_run_is_announced_by_a_red_banner(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, _, _ = page
    assert 'class="verdict verdict-failed"' in html
    assert "The run failed: 3 of 7 scenarios do not hold" in header(html)


def test_a_passing_run_gets_a_green_banner(tmp_path: Path) -> None:
    html = warehouse_page(tmp_path, "-k", "stored_and_found").read_text(encoding="utf-8")
    assert 'class="verdict verdict-passed"' in html
    assert "Every scenario holds" in header(html)
    assert 'class="verdict verdict-failed"' not in html


def test_a_run_that_failed_outside_its_scenarios_is_not_called_green(tmp_path: Path) -> None:
    stream = write_stream(tmp_path / "messages.ndjson", 3)
    lines = stream.read_text(encoding="utf-8").splitlines()
    stream.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # no testRunFinished
    html = render_page(read_run(stream, tmp_path / "features"), [], None)
    assert 'class="verdict verdict-failed"' in html
    assert "The run failed, outside its scenarios" in header(html)
    assert "<b>3</b> scenarios" in header(html)
    assert "run-duration" not in html  # an unfinished run has no duration to give


def test_scenarios_are_counted_once_each_outline_row_as_one(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, tree, _ = page
    counts = html.split('id="scenario-counts"', 1)[1].split("</div>", 1)[0]
    # 6 scenarios in the files, one of them an outline of 2 rows: 7, as Cucumber counts them
    assert "<b>7</b> scenarios" in counts
    assert dict(re.findall(r"</span> (\w+)</span>: (\d+)", counts)) == {
        "passed": "4", "failed": "2", "undefined": "1",
    }  # fmt: skip
    assert "Each of the 2 Examples rows of 1 scenario outline counts as one scenario" in html
    assert len(all_runs(tree)) == 7
    assert 'id="shown"' in html  # the script counts in the same unit: "x of 7 scenarios shown"


def test_steps_are_totalled_by_status(page: tuple[str, dict[str, Any], list[Any]]) -> None:
    html, _, steps = page
    totals = html.split('id="step-counts"', 1)[1].split("</div>", 1)[0]
    statuses = [step["status"] for run in steps for step in run]
    assert f"<b>{len(statuses)}</b> steps" in totals
    assert {"passed", "failed", "undefined", "skipped"} <= set(statuses)
    for status in set(statuses):
        assert f"</span> {status}</span>: {statuses.count(status)}" in totals


def test_durations_for_each_step_scenario_and_the_run(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, tree, steps = page
    shelf_steps = [
        step for run in steps for step in run if step["text"].startswith("a shelf labelled")
    ]
    assert shelf_steps
    assert all(re.fullmatch(r"\d+(\.\d)? ms", s["took"]) for s in shelf_steps)
    assert all(float(s["took"].split()[0]) >= 2 for s in shelf_steps), shelf_steps  # sleeps 2 ms
    assert all(re.fullmatch(r"\d+(\.\d+)? m?s", run["took"]) for _, run in all_runs(tree))
    assert re.search(r'id="run-duration">\d+(\.\d+)? m?s<', html)


def test_durations_read_as_people_write_them() -> None:
    assert duration(400_000) == "0.4 ms"
    assert duration(12_400_000) == "12 ms"
    assert duration(1_254_000_000) == "1.25 s"
    assert duration(125_000_000_000) == "2 min 05 s"


def test_api_coverage_counts_every_kind_of_evidence(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, _, _ = page
    coverage = html.split('id="coverage"', 1)[1]
    # HTTP (GET /shelves, POST /gadgets), the feed (top-level method and path), the radio (path
    # alone, a WebSocket channel): four of five operations; DELETE /audits alone is untouched
    assert "4 of 5 documented operations" in coverage
    untouched = coverage.split('id="untouched-operations"', 1)[1].split("</p>", 1)[0]
    assert "DELETE /audits" in untouched
    assert "/alarms/feed" not in untouched
    assert "/radio" not in untouched


def test_server_faults_are_not_listed_as_gaps(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, _, _ = page
    coverage = html.split('id="coverage"', 1)[1]
    gaps = coverage.split('id="untouched-responses"', 1)[1].split("</p>", 1)[0]
    assert "404 from GET /shelves/{label}" in gaps
    assert "204 from DELETE /audits" in gaps
    assert "500" not in gaps
    assert "503" not in gaps  # seen, and a server fault anyway
    # 200, 404 / 201 / 200 / 204 count, and of those the shelf's 200 and the feed's 200 were seen;
    # 500, 503, 500 do not count
    assert "2 of 5 documented responses" in coverage
    assert "500: server fault, not a gap" in coverage


def test_coverage_reads_the_operation_from_any_evidence_entry() -> None:
    assert touch_of({"kind": "feed", "method": "get", "path": "/f?x=1", "status": 200}) is not None
    assert touch_of({"kind": "note", "summary": "no path named"}) is None
    coverage = api_coverage(OPENAPI, [
        ("s1", {"kind": "comms", "path": "/radio/"}),
        ("s2", {"kind": "mystery", "request": {"method": "GET", "path": "/shelves/Z9"},
                "response": {"status": 404}}),
    ])  # fmt: skip
    by_name = {f"{op.method} {op.path}": op for op in coverage.operations}
    assert list(by_name["WEBSOCKET /radio"].scenarios) == ["s1"]
    shelves = by_name["GET /shelves/{label}"]
    assert [r.status for r in shelves.responses if r.scenarios] == ["404"]


def test_a_table_that_does_not_match_is_shown_as_a_diff(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    _, _, steps = page
    (failed,) = [
        s for run in steps for s in run if s["status"] == "failed" and "holds" in s["text"]
    ]
    assert "table" not in failed
    assert failed["message"] == "expected the shelf to hold the gadgets listed, but it held others"
    assert failed["diff"] == [
        ["same", ["gadget", "count"], None, []],
        ["same", ["sprocket", "1"], None, []],
        ["changed", ["widget", "2"], ["widget", "3"], [1]],
    ]


def test_table_diff_pairs_rows_and_reports_missing_and_unexpected_ones() -> None:
    message = "expected x, but y\nObserved table:\n| a | b |\n| 1 | 2 \\| 3 |\n| 9 | 9 |\nafter"
    assert observed_table(message) == [["a", "b"], ["1", "2 | 3"], ["9", "9"]]
    assert table_diff([["a", "b"]], "no table here") is None
    assert without_observed_table(message) == "expected x, but y\nafter"
    assert without_observed_table("no table here") == "no table here"
    rows = table_diff([["a", "b"], ["1", "2 | 3"], ["5", "5"], ["6", "6"]], message)
    assert rows is not None
    assert [(row.change, row.cells, row.observed) for row in rows] == [
        ("same", ["a", "b"], None),
        ("same", ["1", "2 | 3"], None),
        ("changed", ["5", "5"], ["9", "9"]),
        ("missing", ["6", "6"], None),
    ]


def test_no_secret_reaches_the_page_under_any_spelling(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, tree, steps = page
    everything = html + repr(tree) + repr(steps)
    for raw in RAW_SECRETS:
        assert raw not in everything
    evidence = [e for run in steps for s in run for e in s.get("evidence", [])]
    headers = [(name.lower(), value) for e in evidence for side in ("request", "response")
               for name, value in e.get(side, {}).get("headers", [])]  # fmt: skip
    assert ("x-gadget-key", MASK) in headers
    assert ("authorization", MASK) in headers
    cookies = [value for name, value in headers if name in ("cookie", "set-cookie")]
    assert cookies
    assert all(re.search(r"(?i)keeper_session=[0-9a-f]{8}…\(masked\)", c) for c in cookies)
    assert any("theme=dark" in c for c in cookies)  # a cookie not named secret stays readable


def test_the_page_masks_again_what_reaches_it_unmasked() -> None:
    masking = Masking.of(["X-Api-Key"], ["sid"])
    assert masked({"x-API-key": "k", "Authorization": "t"}, masking) == {
        "x-api-key": MASK, "authorization": "t",
    }  # fmt: skip
    assert masked([("Cookie", "SID=abcdef; theme=dark")], masking)["cookie"].endswith(
        "…(masked); theme=dark"
    )
    assert masked({"authorization": "Bearer t"}) == {"authorization": MASK}  # by default


def test_the_title_comes_from_configuration_escaped(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, _, _ = page
    assert "<title>Warehouse &lt;docs&gt;</title>" in html
    assert "<h1>Warehouse &lt;docs&gt;</h1>" in html


def test_embedded_data_cannot_break_out_of_its_script(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, _, steps = page
    bodies = [e["response"]["body"] for run in steps for s in run for e in s.get("evidence", [])
              if "response" in e]  # fmt: skip
    assert any("</script><b>bold</b>" in body for body in bodies)  # carried, as data
    assert "<b>bold</b>" not in html


def test_the_glossary_is_grouped_by_capability_folder(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    html, _, _ = page
    glossary = html.split('id="glossary"', 1)[1].split("</section>", 1)[0]
    groups = re.findall(r"<h3>([^<]+)</h3>", glossary)
    assert groups == ["Alarms", "Gadget keeping", "Not used by any scenario yet"]
    assert "steps." not in glossary  # no Python module anywhere


def test_folders_are_introduced_by_their_readme(
    page: tuple[str, dict[str, Any], list[Any]],
) -> None:
    _, tree, _ = page
    folders = {folder["title"]: folder["intro"] for folder in tree["folders"]}
    assert (
        folders["Gadget keeping"]
        == "<p>The warehouse keeps <strong>gadgets</strong> on shelves.</p>\n"
    )
    assert folders["Alarms"] == ""


def test_the_plugin_names_no_project() -> None:
    """Everything project-specific comes from configuration: no Hero HQ in the plugin's files."""
    package = Path(hq_spec.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for pattern in ("report/*", "templates/*")
        for path in package.glob(pattern)
        if path.is_file()
        and re.search(r"hero hq|x-hq-badge", path.read_text(encoding="utf-8"), re.I)
    ]
    assert offenders == []
