"""The scenario studio walked as a product owner would, in Chromium: write, check, run, save."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hq_spec import SPEC_ONLY_ARGS
from plugin.tests.cucumber_tools import chromium, needs_chromium
from tests.spec_run import ROOT

START_SECONDS = 60.0
SCREENSHOT = ROOT / "reports" / "studio.png"
COMMS = Path("features/comms/comms.feature")
FIRST_RULE = "Every hero on comms hears every message, the sender included"

pytestmark = needs_chromium


def copy_of_project(folder: Path) -> Path:
    """What a product owner's checkout holds for the studio: configuration and features."""
    for name in ("pyproject.toml", "conftest.py"):
        shutil.copyfile(ROOT / name, folder / name)
    shutil.copytree(ROOT / "features", folder / "features")
    return folder


def project_env() -> dict[str, str]:
    """The step vocabulary and HQ come from this checkout; everything written goes to the copy."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`hq-spec studio --port 0` on a copy of the project; its printed address and the copy."""
    project = copy_of_project(tmp_path_factory.mktemp("project"))
    command = [sys.executable, "-m", "hq_spec.cli", "--root", str(project), "--features",
               str(project / "features"), "studio", "--port", "0"]  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 - our own command
        command, cwd=project, env=project_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        yield read_address(server), project
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        assert server.stdout is not None
        server.stdout.close()


def read_address(server: subprocess.Popen[str]) -> str:
    assert server.stdout is not None
    deadline = time.monotonic() + START_SECONDS
    seen = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([server.stdout], [], [], max(0.0, deadline - time.monotonic()))
        line = server.stdout.readline() if ready else ""
        if not line:
            break
        seen += line
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found:
            return found.group(0)
    raise AssertionError(f"the studio printed no address:\n{seen}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def open_page(browser: Any, address: str) -> Any:
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.set_default_timeout(15_000)  # a missing element fails in seconds; runs take about one
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    page.goto(address)
    return page


def start_a_scenario_under_the_first_comms_rule(page: Any, name: str) -> None:
    page.locator("details.folder[data-folder='comms'] > summary").click()
    page.get_by_role("button", name="+ new scenario").first.click()
    page.locator("#file-name").filter(has_text="features/comms/comms.feature").wait_for()
    page.keyboard.type(name)
    page.keyboard.press("Enter")


def accept(page: Any, suggestion: str) -> None:
    """Pick a suggestion from the list that opened beside the line being typed."""
    page.locator("#popup li", has_text=suggestion).first.click()


def line_text(page: Any, number: int) -> str:
    text: str = page.locator("#source").input_value()
    return text.split("\n")[number - 1]


def caret_line(page: Any) -> int:
    line: int = page.evaluate(
        "document.activeElement.value.slice(0, document.activeElement.selectionStart)"
        ".split('\\n').length"
    )
    return line


def problems(page: Any) -> str:
    text: str = page.locator("#problems").inner_text()
    return text


def run_features(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "pytest", str(project / COMMS), *SPEC_ONLY_ARGS, "-q", *args],
        cwd=project, env=project_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_a_product_owner_writes_checks_runs_and_saves_a_scenario(
    studio: tuple[str, Path], browser: Any
) -> None:
    address, project = studio
    before = (project / COMMS).read_text(encoding="utf-8")
    page = open_page(browser, address)

    start_a_scenario_under_the_first_comms_rule(page, "A greeting reaches the other hero")
    page.keyboard.type("Gi")  # the start of a keyword: the keywords it begins are offered
    page.locator("#popup li", has_text="Given").wait_for()
    page.locator("#phrase", has_text="what is already true before anything happens").wait_for()
    page.keyboard.press("Enter")
    page.locator("#phrase h2", has_text="Phrase").wait_for()  # then the phrases that may follow
    assert line_text(page, caret_line(page)).strip() == "Given"
    page.keyboard.type("Volt and T")
    accept(page, "Volt and Tide are on comms")
    page.locator(
        "#phrase", has_text="These heroes have each connected to the comms channel."
    ).wait_for()
    page.keyboard.press("Enter")

    page.keyboard.type("When ")
    accept(page, 'says "<text>"')  # the phrase, with two words to fill in
    fill_ins = page.locator("#popup li")
    fill_ins.filter(has_text=re.compile(r"^Tide$")).wait_for()
    assert (
        page.evaluate(
            "getSelection().toString() || document.activeElement.value.slice(document.activeElement.selectionStart, document.activeElement.selectionEnd)"
        )
        == "<actor>"
    )
    fill_ins.filter(has_text=re.compile(r"^Tide$")).click()  # a hero's name, from the cast
    page.keyboard.type("good morning")  # replaces the selected <text>
    page.keyboard.press("Enter")

    page.keyboard.type('Then Volt hers "good morning"')
    typo = page.locator(".problem", has_text='"Then Volt hers "good morning"" is not a known step.')
    typo.wait_for()
    assert 'Then <actor> hears "<text>"' in typo.inner_text()
    line = int(typo.get_attribute("data-line"))
    assert line_text(page, line).strip() == 'Then Volt hers "good morning"'
    assert page.locator("#gutter .problem-mark").filter(has_text=str(line)).count() == 1

    for _ in range(len('hers "good morning"')):
        page.keyboard.press("Backspace")
    page.keyboard.type('hears "good morning"')
    page.locator(".all-good").wait_for()  # no problem left anywhere in the feature

    page.get_by_role("button", name="▶ Run scenario").click()
    verdict = page.locator("#results .verdict")
    verdict.filter(has_text="it holds").wait_for()
    steps = page.locator("#results .run-result li.step")
    assert steps.locator(".keyword").all_inner_texts() == ["Given", "When", "Then"]
    assert steps.locator(".text").all_inner_texts() == [
        "Volt and Tide are on comms",
        'Tide says "good morning"',
        'Volt hears "good morning"',
    ]
    assert page.locator("#results li.step-passed .status").all_inner_texts() == ["✔ passed"] * 3
    page.locator("#results .evidence summary").first.click()
    page.locator("#results .evidence-comms").first.wait_for()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    page.get_by_role("button", name="Save…").click()
    diff = page.locator("#diff")
    diff.locator(".diff-added", has_text="Scenario: A greeting reaches the other hero").wait_for()
    assert diff.locator(".diff-added", has_text='Then Volt hears "good morning"').count() == 1
    assert diff.locator(".diff-removed").count() == 0
    page.locator("#diff-save").click()
    page.locator("#file-state.clean", has_text="saved").wait_for()
    assert page.errors == []

    saved = (project / COMMS).read_text(encoding="utf-8")
    assert saved != before
    assert (
        "    Scenario: A greeting reaches the other hero\n"
        "      Given Volt and Tide are on comms\n"
        '      When Tide says "good morning"\n'
        '      Then Volt hears "good morning"\n'
    ) in saved
    checked = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "hq_spec.cli", "--root", str(project), "--features",
         str(project / "features"), "check"],
        cwd=project, env=project_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    specified = run_features(project)
    assert specified.returncode == 0, specified.stdout[-3000:]
    assert " failed" not in specified.stdout
    ours = run_features(project, "-k", "a_greeting_reaches_the_other_hero")
    assert ours.returncode == 0, ours.stdout[-3000:]
    assert "1 passed" in ours.stdout


def test_a_scenario_that_fails_says_why_in_plain_words_on_the_page(
    studio: tuple[str, Path], browser: Any
) -> None:
    address, project = studio
    before = (project / COMMS).read_text(encoding="utf-8")
    page = open_page(browser, address)
    start_a_scenario_under_the_first_comms_rule(page, "A greeting that is misheard")
    page.keyboard.type("Given Volt and T")
    accept(page, "Volt and Tide are on comms")
    line = page.evaluate(
        "document.getElementById('source').value.slice(0, document.getElementById('source').selectionStart).split('\\n').length"
    )
    assert line_text(page, line).strip() == "Given Volt and Tide are on comms"
    page.keyboard.press("Control+z")  # an accepted suggestion is undone like any edit
    assert line_text(page, line).strip() == "Given Volt and T"
    page.keyboard.press("Control+Shift+z")
    assert line_text(page, line).strip() == "Given Volt and Tide are on comms"
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    for line_typed in ('When Tide says "good morning"', 'Then Volt hears "good night"'):
        page.keyboard.type(line_typed)
        page.keyboard.press("Escape")  # no suggestion wanted: the line is typed in full
        page.keyboard.press("Enter")
    page.locator(".all-good").wait_for()

    page.get_by_role("button", name="▶ Run scenario").click()
    page.locator("#results .verdict", has_text="1 of 1 did not pass").wait_for()
    failed = page.locator("#results .step-failed")
    assert failed.locator(".text").inner_text() == 'Volt hears "good night"'
    reason = failed.locator(".reason").inner_text()
    assert "good night" in reason
    assert "good morning" in reason
    for python in ("Traceback", "{'", "[('", "AssertionError"):
        assert python not in reason
    assert page.locator("#results .step-passed").count() == 2
    assert page.errors == []
    assert (project / COMMS).read_text(encoding="utf-8") == before  # running never writes
    # What was typed survives a reload of the page: it is kept in the browser until saved.
    page.reload()
    page.locator("details.folder[data-folder='comms'] > summary").click()
    page.get_by_role("button", name="The comms channel").click()
    page.locator("#notice", has_text="Restored what you typed").wait_for()
    assert 'Then Volt hears "good night"' in page.locator("#source").input_value()
