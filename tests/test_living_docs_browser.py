"""The living documentation in a real browser: search, filter by tag and status, open evidence."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from hq_spec.cli import glossary_for, openapi_document
from hq_spec.report import write_report
from tests.spec_run import ROOT, make_stream

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOT = ROOT / "reports" / "living-docs.png"

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="needs Debian's chromium (.ci/run installs it: apt-get install chromium)",
)


@pytest.fixture(scope="module")
def report_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("browser")
    messages, features = make_stream(folder)
    index = write_report(
        messages, folder / "site", features_dir=features,
        glossary=glossary_for(ROOT, ROOT / "features"), openapi=openapi_document(),
    )  # fmt: skip
    return index.as_uri()


@pytest.fixture(scope="module")
def page(report_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.set_default_timeout(5000)  # a missing element fails in seconds, not minutes
            tab.goto(report_url)
            yield tab
        finally:
            browser.close()


def visible_scenarios(page: object) -> list[str]:
    return page.locator("details.scenario:not(.hidden) > summary").all_inner_texts()  # type: ignore[attr-defined, no-any-return]


def test_search_filter_and_evidence_in_a_real_browser(page: object) -> None:
    everything = visible_scenarios(page)
    assert len(everything) > 20

    page.fill("#search", "villain")  # type: ignore[attr-defined]
    found = visible_scenarios(page)
    assert 0 < len(found) < len(everything)
    assert all(
        "villain" in text.lower()  # in a step, or in the evidence HQ's answers left
        for text in page.locator("details.scenario:not(.hidden)").all_text_contents()  # type: ignore[attr-defined]
    )
    page.fill("#search", "")  # type: ignore[attr-defined]

    page.select_option("#tag-filter", "@smoke")  # type: ignore[attr-defined]
    smoke = visible_scenarios(page)
    assert 0 < len(smoke) < len(everything)
    assert any("A villain without a badge is turned away" in text for text in smoke)
    page.select_option("#tag-filter", "")  # type: ignore[attr-defined]

    page.click("button.chip[data-status=failed]")  # type: ignore[attr-defined]
    failed = visible_scenarios(page)
    assert [text for text in failed if "A failing expectation" in text]
    assert all("failed" in text for text in failed)
    page.click("button.chip[data-status=failed]")  # type: ignore[attr-defined]

    villain = page.locator("details.scenario", has_text="A villain without a badge is turned away")  # type: ignore[attr-defined]
    villain.evaluate("scenario => { scenario.open = true; }")
    evidence = villain.locator("details.evidence").first
    assert not evidence.locator(".evidence-item").first.is_visible()
    evidence.locator("summary").click()
    item = evidence.locator(".evidence-item").first
    assert item.is_visible()
    assert "403" in item.inner_text()

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)  # type: ignore[attr-defined]
    assert SCREENSHOT.stat().st_size > 10_000
