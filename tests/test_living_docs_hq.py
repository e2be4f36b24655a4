"""HQ's own living documentation, as `hq-spec report` writes it from a run with failures: HQ's
table steps fail with the table HQ gave (shown as a diff), every kind of HQ's evidence counts in
the API coverage, and HQ's badge never reaches the page."""

from __future__ import annotations

import base64
import gzip
import json
import re
import subprocess
import sys
from typing import Any

import pytest

from tests.spec_run import ROOT, make_stream


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Any]]:
    folder = tmp_path_factory.mktemp("hq-living-docs")
    messages, features = make_stream(folder)
    completed = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "hq_spec.cli", "--root", str(ROOT), "--features", str(features),
         "report", "--messages", str(messages), "--out", str(folder / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    html = (folder / "site" / "index.html").read_text(encoding="utf-8")
    packed = re.findall(r'<script type="application/gzip;base64"[^>]*>([^<]*)</script>', html)
    return html, [json.loads(gzip.decompress(base64.b64decode(text))) for text in packed]


def test_the_title_and_masking_come_from_hqs_configuration(page: tuple[str, list[Any]]) -> None:
    html, _ = page
    assert "<title>Hero HQ: living documentation</title>" in html  # pyproject.toml says so


def test_a_feed_that_differs_is_shown_as_a_table_diff(page: tuple[str, list[Any]]) -> None:
    _, (_, *chunks) = page
    steps = [step for chunk in chunks for run in chunk for step in run]
    (heard,) = [s for s in steps if s["text"] == "Volt hears these reports, in order:" and
                s["status"] == "failed"]  # fmt: skip
    changes = [row[0] for row in heard["diff"]]
    assert changes[:2] == ["same", "same"]  # the header, and the first sector as written
    assert "changed" in changes  # "all is well" against what HQ said
    assert "Python" not in heard["message"]
    assert "[(" not in heard["message"]  # no Python lists in HQ's words


def test_the_feed_and_comms_count_in_the_api_coverage(page: tuple[str, list[Any]]) -> None:
    html, _ = page
    coverage = html.split('id="coverage"', 1)[1]
    untouched = coverage.split('id="untouched-operations"', 1)[-1].split("</p>", 1)[0]
    assert "GET /missions/feed" not in untouched
    assert "WEBSOCKET /comms" not in untouched
    gaps = coverage.split('id="untouched-responses"', 1)[-1].split("</p>", 1)[0]
    assert "500" not in gaps


def test_the_badge_never_reaches_the_page(page: tuple[str, list[Any]]) -> None:
    html, data = page
    everything = html + json.dumps(data)
    assert not re.search(r"hq-badge-007(?!7)", everything)  # the forged "hq-badge-0077" is fine
