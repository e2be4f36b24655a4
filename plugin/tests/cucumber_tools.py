"""Cucumber's own tools (npm packages pinned in interop/) and Chromium, driven from the tests."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

INTEROP = Path(__file__).resolve().parent / "interop"
NODE_MODULES = INTEROP / "node_modules"
SCHEMA = NODE_MODULES / "@cucumber" / "messages" / "messages.schema.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
# Browser tests skip, saying why, on a machine without Debian's Chromium (CI installs it).
needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="needs Debian's chromium (.ci/run installs it: apt-get install chromium)",
)
STEP_KEYWORDS = ("Given ", "When ", "Then ", "And ", "But ", "* ")


def node() -> str:
    found = shutil.which("node")
    if found is None:
        raise RuntimeError("these tests need Node.js 20 or later on PATH (CI's image has it)")
    return found


def install_tools() -> None:
    """`npm ci` into interop/node_modules unless make setup did it (once, even under xdist)."""
    with (INTEROP / ".npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        installed = NODE_MODULES / ".package-lock.json"
        if installed.exists() and SCHEMA.exists():
            return
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("these tests need npm on PATH to install Cucumber's tools")
        subprocess.run(  # noqa: S603 - npm with fixed arguments
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=INTEROP, check=True, capture_output=True, timeout=300,
        )  # fmt: skip


def run_node(script: str, *args: str) -> str:
    completed = subprocess.run(  # noqa: S603 - our own scripts and files
        [node(), str(INTEROP / script), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise AssertionError(f"node {script} failed:\n{completed.stderr[-3000:]}")
    return completed.stdout


def schema_errors(messages: Path) -> list[str]:
    """Every way the stream departs from the official messages.schema.json, line by line."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = []
    for number, line in enumerate(messages.read_text(encoding="utf-8").splitlines(), 1):
        for error in validator.iter_errors(json.loads(line)):
            errors.append(f"line {number}: {error.message} at {list(error.absolute_path)}")
    return errors


def passed_steps_and_definitions(messages: Path) -> list[dict[str, Any]]:
    """@cucumber/query's answer: each passed step, and the step definitions it finds for it."""
    answer: list[dict[str, Any]] = json.loads(run_node("step_definitions.mjs", str(messages)))
    return answer


def official_report(messages: Path, html: Path) -> Path:
    run_node("render_html.mjs", str(messages), str(html))
    return html


@dataclass
class RenderedReport:
    """What Cucumber's report showed in Chromium once every feature was opened."""

    status_line: str  # e.g. "62% (5 / 8) passed"
    text: str
    styled_spans: list[str]  # the text of each styled <span>: highlighted parameters among them
    console_errors: list[str] = field(default_factory=list)

    @property
    def step_lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.startswith(STEP_KEYWORDS)]


def settled_text(page: Any) -> str:
    """The report's text once React has finished drawing the opened features (bounded wait)."""
    text: str = page.locator("#report").inner_text()
    for _ in range(50):
        page.wait_for_timeout(100)
        again: str = page.locator("#report").inner_text()
        if again == text:
            return text
        text = again
    return text


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, with the switches a shared machine without a GPU needs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_in_chromium(html: Path) -> RenderedReport:
    errors: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)  # generous: CI machines are shared
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(html.as_uri())
        status = page.locator("[data-testid='cucumber.summary.status']").inner_text()
        closed = page.locator("#report button[aria-expanded='false']")
        for _ in range(closed.count()):  # each click opens one feature (bounded by the count)
            closed.first.click()
        page.wait_for_function("!document.querySelector(\"#report button[aria-expanded='false']\")")
        text = settled_text(page)
        spans = page.eval_on_selector_all(
            "#report span[class]", "spans => spans.map(span => span.textContent)"
        )
    return RenderedReport(status.strip(), text, list(spans), errors)
