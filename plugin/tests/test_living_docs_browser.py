"""The living documentation in Chromium: search, filters, deep links, layout at 800 px, and the
10,000-scenario figures (opens in under a second, a search keystroke answers in under 100 ms)."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from big_stream import big_run
from cucumber_tools import chromium, needs_chromium
from hq_spec.report.coverage import api_coverage
from hq_spec.report.render import render_page
from toy_warehouse import warehouse_page

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def toy_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return warehouse_page(tmp_path_factory.mktemp("warehouse")).as_uri()


@pytest.fixture
def page(browser: Any, toy_url: str) -> Iterator[Any]:
    """The toy project's page, open and drawn, failing on any script error."""
    tab = browser.new_page(viewport={"width": 1200, "height": 700})
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    tab.set_default_timeout(15_000)  # a missing element fails in seconds, not minutes
    tab.goto(toy_url)
    wait_until_drawn(tab)
    yield tab
    tab.close()
    assert errors == []


def wait_until_drawn(tab: Any) -> None:
    tab.wait_for_function("() => performance.getEntriesByName('living-docs-searchable').length")


def names(tab: Any, selector: str) -> list[str]:
    """The names of the rows drawn, of one kind: scenario, feature, folder or rule."""
    kinds = {"scenario": "details.scenario > summary", "feature": ".feature-head",
             "folder": "section.folder h2", "rule": "h4.rule"}  # fmt: skip
    return page_names(tab, f"#rows {kinds[selector]} .name, #rows {kinds[selector]}.name")


def page_names(tab: Any, selector: str) -> list[str]:
    return [text.strip() for text in tab.locator(selector).all_inner_texts()]


def next_frame(tab: Any) -> None:
    tab.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")


def type_search(tab: Any, text: str) -> None:
    tab.fill("#search", text)
    next_frame(tab)


def test_search_narrows_the_scenarios_and_says_when_nothing_matches(page: Any) -> None:
    assert page.inner_text("#shown") == "7 of 7 scenarios shown"
    assert page.is_hidden("#nothing")
    type_search(page, "BREAK-IN")  # a name, and the feed's evidence in the other scenario
    assert names(page, "scenario") == ["The alarm feed reports a break-in", "A step nobody wrote"]
    assert page.inner_text("#shown") == "2 of 7 scenarios shown"
    type_search(page, "99")  # an Examples row, by its value: the other row of the outline hides
    assert names(page, "scenario") == ["Loading <count> gadgets"]
    assert page.locator("details.run").count() == 1
    type_search(page, "no such gadget")
    assert names(page, "scenario") == []
    assert page.is_visible("#nothing")
    assert "Nothing matches “no such gadget”" in page.inner_text("#nothing")
    page.click("#clear-filters")
    assert page.input_value("#search") == ""
    assert page.inner_text("#shown") == "7 of 7 scenarios shown"
    assert page.is_hidden("#nothing")


def test_filters_hide_empty_rules_folders_and_outline_rows(page: Any) -> None:
    page.click("button.chip[data-status=failed]")
    next_frame(page)
    assert names(page, "folder") == ["Gadget keeping"]  # the alarms failed nothing
    assert names(page, "scenario") == ["The inventory does not add up", "Loading <count> gadgets"]
    outline = page.locator("details.scenario", has_text="Loading <count> gadgets")
    assert outline.locator("details.run > summary").all_inner_texts()[0].count("“99”") == 1
    assert outline.locator("details.run").count() == 1  # the row that passed is hidden
    assert "1 of 2 Examples rows match" in outline.inner_text()
    page.click("button.chip[data-status=failed]")
    page.select_option("#tag-filter", "@smoke")
    next_frame(page)
    assert names(page, "scenario") == ["A gadget is stored and found"]
    assert names(page, "rule") == ["A stored gadget can be found again"]  # the other rule is empty
    assert names(page, "folder") == ["Gadget keeping"]
    assert page.inner_text("#shown") == "1 of 7 scenarios shown"
    # the contents on the left follow a moment later
    page.wait_for_selector("nav li[data-folder='folder:features/alarms']", state="hidden")
    assert page.is_visible("nav li[data-folder='folder:features/gadgets']")


def lands_below_the_search_bar(tab: Any, element_id: str) -> bool:
    """The element's top is just below the sticky search bar: not hidden under it, not far off."""
    return 6 <= top_of(tab, element_id) - sticky_bottom(tab) <= 10


def sticky_bottom(tab: Any) -> float:
    return float(
        tab.evaluate("() => document.getElementById('controls').getBoundingClientRect().bottom")
    )


def top_of(tab: Any, element_id: str) -> float:
    return float(
        tab.evaluate("id => document.getElementById(id).getBoundingClientRect().top", element_id)
    )


def test_links_land_below_the_sticky_search_bar(page: Any) -> None:
    page.click("nav a[href='#features/gadgets/shelves.feature']")
    next_frame(page)
    assert page.evaluate("() => location.hash") == "#features%2Fgadgets%2Fshelves.feature"
    assert page.evaluate("() => window.scrollY") > 0
    assert lands_below_the_search_bar(page, "features/gadgets/shelves.feature")
    page.click("nav a[href='#glossary']")
    next_frame(page)
    assert lands_below_the_search_bar(page, "glossary")


def test_a_deep_link_opens_an_examples_row_below_the_search_bar(browser: Any, toy_url: str) -> None:
    from toy_warehouse import SHELVES

    line = next(i for i, text in enumerate(SHELVES.splitlines(), 1) if text.strip() == "| 1     |")
    target = f"features/gadgets/shelves.feature:{line}"
    tab = browser.new_page(viewport={"width": 1200, "height": 500})
    try:
        tab.goto(f"{toy_url}#{target}")
        wait_until_drawn(tab)
        next_frame(tab)
        row = tab.locator(f"details.run[id='{target}']")
        assert row.evaluate("row => row.open")  # a passing row, opened because it was linked
        assert "1 of" not in row.inner_text()
        assert lands_below_the_search_bar(tab, target)
    finally:
        tab.close()


def test_evidence_a_table_diff_and_coverage_in_place(page: Any) -> None:
    failed = page.locator("details.scenario", has_text="The inventory does not add up")
    minus = "\N{MINUS SIGN}"
    assert failed.locator("tr.diff-missing").inner_text().split() == [minus, "widget", "2"]
    assert failed.locator("tr.diff-unexpected").inner_text().split() == ["+", "widget", "3"]
    assert failed.locator("td.cell-changed").count() == 2
    stored = page.locator("details.scenario", has_text="A gadget is stored and found")
    stored.locator("summary").first.click()  # it passed, so it starts closed
    evidence = stored.locator("details.evidence").first
    assert not evidence.locator(".evidence-item").first.is_visible()
    evidence.locator("summary").click()
    body = evidence.locator("pre.body").last
    assert '"note": "</script><b>bold</b>"' in body.inner_text()  # shown as text, pretty-printed
    assert evidence.locator("pre.body b").count() == 0
    shelves = page.locator("details.op-scenarios[data-op='0']")
    shelves.locator("summary").click()
    links = shelves.locator("li a")
    links.nth(4).wait_for()  # the list is drawn in the next frame after opening, not at once
    assert links.count() == 5  # every scenario run that read a shelf, by name
    links.first.click()
    next_frame(page)
    assert page.evaluate("() => decodeURIComponent(location.hash)").startswith(
        "#features/gadgets/shelves.feature:"
    )


def test_nothing_overflows_sideways_at_800_px(browser: Any, toy_url: str) -> None:
    tab = browser.new_page(viewport={"width": 800, "height": 900})
    try:
        tab.goto(toy_url)
        wait_until_drawn(tab)
        opened, overflows = tab.evaluate("""async () => {
          const frame = () => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
          const root = document.documentElement, opened = new Set(), overflows = [];
          for (let y = 0; y < root.scrollHeight; y += 400) {  // every row and evidence open
            window.scrollTo(0, y);
            for (let round = 0; round < 3; round++) {
              await frame();
              for (const d of document.querySelectorAll("details")) {
                if (!d.open) d.open = true;
                const where = d.closest("[id]").id;
                if (d.classList.contains("evidence")) opened.add(where + d.textContent);
              }
            }
            if (root.scrollWidth > root.clientWidth) overflows.push([y, root.scrollWidth]);
          }
          return [opened.size, overflows];
        }""")
        assert opened >= 10  # the evidence of every scenario, at least
        assert overflows == []
    finally:
        tab.close()


# Typing a word, narrowing to a handful, backing out, a word found only in failures, clearing.
KEYSTROKES = ["g", "ga", "gad", "gadget", "gadget 9", "gadget 99", "gadget 999", "gadget 99",
              "lost", "l", ""]  # fmt: skip
SEARCH_KEYSTROKE = """async (text) => {
  const input = document.getElementById("search");
  const started = performance.now();
  input.value = text;
  input.dispatchEvent(new Event("input"));
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));  // drawn
  return performance.now() - started;
}"""


TRIALS = 3
READY = "() => performance.getEntriesByName('living-docs-ready')[0].startTime"


def test_ten_thousand_scenarios_open_in_a_second_and_answer_a_keystroke_in_100_ms(
    browser: Any, tmp_path: Path
) -> None:
    run = big_run(10_000)  # the page's model, as read from a stream (make bench times reading one)
    gadgets = {"paths": {"/gadgets/{number}": {"put": {"responses": {"201": {}}}}}}
    index = tmp_path / "index.html"
    index.write_text(render_page(run, [], api_coverage(gadgets, run.evidence())), encoding="utf-8")
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    # The machine is shared (eight engineers, two cores; CI runs tests side by side): each figure
    # is the least disturbed of several trials, as timeit takes the minimum, which is the page's
    # own cost; the median of the trials is held to a looser bound, so a slow page cannot hide.
    try:
        opened = []
        for _ in range(TRIALS):
            tab.goto(index.as_uri())
            tab.wait_for_function("() => performance.getEntriesByName('living-docs-ready').length")
            # from the start of navigation until the rows on screen are drawn
            opened.append(tab.evaluate(READY))
        assert tab.inner_text("#shown") == "10000 of 10000 scenarios shown"
        assert tab.evaluate("() => document.querySelectorAll('*').length") < 5000  # not 10,000 rows
        assert min(opened) < 1000, opened
        assert statistics.median(opened) < 3000, opened
        wait_until_drawn(tab)
        rounds = [
            [tab.evaluate(SEARCH_KEYSTROKE, text) for text in KEYSTROKES] for _ in range(TRIALS)
        ]
        assert tab.inner_text("#shown") == "10000 of 10000 scenarios shown"
        keystrokes = [min(trials) for trials in zip(*rounds, strict=True)]
        assert max(keystrokes) < 100, rounds  # every keystroke, at its least disturbed
        assert statistics.median(value for trial in rounds for value in trial) < 300, rounds
    finally:
        tab.close()
