"""The living documentation page: every feature and scenario, honest statuses, evidence, coverage."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hq_spec.cli import glossary_for, openapi_document
from hq_spec.report import write_report
from hq_spec.report.render import masked
from tests.spec_run import ROOT, make_stream


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("living-docs")
    messages, features = make_stream(folder)
    index = write_report(
        messages,
        folder / "site",
        features_dir=features,
        glossary=glossary_for(ROOT, ROOT / "features"),
        openapi=openapi_document(),
    )
    return index.read_text(encoding="utf-8"), messages


def scenario_names(messages: Path) -> list[str]:
    names = []
    for line in messages.read_text(encoding="utf-8").splitlines():
        envelope = json.loads(line)
        if "gherkinDocument" in envelope:
            text = json.dumps(envelope)
            names += re.findall(r'"keyword": "Scenario(?: Outline)?", "name": "([^"]+)"', text)
    return names


def test_every_scenario_appears_once(page: tuple[str, Path]) -> None:
    html, messages = page
    names = scenario_names(messages)
    assert len(names) > 20
    assert html.count('<details class="scenario ') == len(names)
    for name in names:
        assert name.replace("'", "&#39;").replace('"', "&#34;") in html


def test_the_verdict_counts_each_status(page: tuple[str, Path]) -> None:
    html, _ = page
    verdict = html.split('id="verdict"', 1)[1].split("</div>", 1)[0]
    counts = dict(re.findall(r"</span> (\w+)</span>: (\d+)", verdict))
    assert int(counts["failed"]) == 2  # the failing expectation and one outline row
    assert int(counts["undefined"]) == 2
    assert int(counts["passed"]) > 20
    assert "some scenarios do not hold" in html


def test_outline_rows_each_have_their_own_status(page: tuple[str, Path]) -> None:
    html, _ = page
    outline = html.split("Rows of mixed fortune", 1)[1].split('<details class="scenario', 1)[0]
    rows = re.findall(r'<details class="run" data-status="(\w+)"', outline)
    assert rows == ["passed", "failed"]
    assert "Example: n = “3”" in outline


def test_tables_doc_strings_and_reasons_are_shown_as_written(page: tuple[str, Path]) -> None:
    html, _ = page
    assert "<td>Gale</td><td>wind</td><td>4200</td>" in html
    assert '<pre class="doc-string">Volt is our fastest hero.</pre>' in html
    assert (
        "Expected: Volt to be hero number 2" in html or "expected Volt to be hero number 2" in html
    )


def test_evidence_sits_under_the_step_that_produced_it(page: tuple[str, Path]) -> None:
    html, _ = page
    villain = html.split("A villain without a badge is turned away", 1)[1].split(
        "</details>\n</li>", 2
    )
    assert "POST /heroes/ -&gt; 403" in "".join(villain[:2])
    assert "halt! that is not a valid HQ badge" in html


def test_secrets_never_reach_the_page(page: tuple[str, Path]) -> None:
    html, _ = page
    assert not re.search(r"hq-badge-007(?!7)", html)  # the outline's forged "hq-badge-0077" is fine
    assert masked({"X-HQ-Badge": "hq-badge-007", "cookie": "lauren_session=abc"}) == {
        "X-HQ-Badge": "…(masked)",
        "cookie": "…(masked)",
    }


def test_api_coverage_lists_what_no_scenario_touches(page: tuple[str, Path]) -> None:
    html, _ = page
    coverage = html.split('id="coverage"', 1)[1]
    untouched = coverage.split("No scenario touches:", 1)[1].split("</p>", 1)[0]
    assert "GET /docs" in untouched
    assert "POST /me/login" in untouched  # identity features are not in this scratch run
    assert "GET /heroes/{id}" not in untouched


def test_folders_are_introduced_by_their_readme(page: tuple[str, Path]) -> None:
    html, _ = page
    assert "<h2>The guard</h2>" in html
    assert "HQ&#39;s door is guarded" in html or "HQ's door is guarded" in html
