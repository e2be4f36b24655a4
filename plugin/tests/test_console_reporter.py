"""The Gherkin console reporter: a mark per step, tables and doc strings, the same under xdist."""

from __future__ import annotations

import re

import pytest

pytest_plugins = ["pytester"]

FEATURE = '''\
Feature: Roster
  Background:
    Given HQ is open

  Scenario: Volt enlists
    When Volt enlists with
      | name | power |
      | Volt | 7     |
    Then the roster lists Volt

  Scenario: Typo
    When Volt enlistz
    Then the roster lists Volt

  @skip
  Scenario: Benched
    Then the roster lists Volt

  Rule: Only badges open the gate
    Scenario Outline: Badge check
      When <name> shows a badge
      Then the gate says
        """
        welcome <name>
        """

      Examples:
        | name |
        | Tide |
        | Bolt |
'''

STEPS = '''\
from pytest_bdd import given, parsers, scenarios, then, when

from hq_spec.pending import pending

scenarios("roster.feature")


@given("HQ is open")
def _():
    """HQ opens its doors."""


@when("Volt enlists with")
def _(datatable):
    """Volt fills in the enlistment form."""


@then("the roster lists Volt")
def _():
    """The roster names Volt."""


@when(parsers.parse("{name} shows a badge"))
def _(name):
    """A hero shows a badge at the gate."""
    assert name != "Bolt", "Bolt has no badge"


@then("the gate says")
def _(docstring):
    """The gate greets the hero."""
    pending("the gate cannot speak yet")
'''

GHERKIN_SECTION = [
    "Feature: Roster  (roster.feature)",
    "",
    "  ✔ Scenario: Volt enlists",
    "      ✔ Given HQ is open",
    "      ✔ When Volt enlists with",
    "          | name | power |",
    "          | Volt | 7     |",
    "      ✔ Then the roster lists Volt",
    "",
    "  ? Scenario: Typo",
    "      ✔ Given HQ is open",
    "      ? When Volt enlistz",
    '          undefined: Step definition is not found: When "Volt enlistz"*',
    "      ↷ Then the roster lists Volt",
    "",
    "  ↷ Scenario: Benched  (skipped: *)",
    "      ↷ Given HQ is open",
    "      ↷ Then the roster lists Volt",
    "",
    "  Rule: Only badges open the gate",
    "",
    "    … Scenario Outline: Badge check  (example: name=Tide)",
    "        ✔ Given HQ is open",
    "        ✔ When Tide shows a badge",
    "        … Then the gate says",
    '            """',
    "            welcome Tide",
    '            """',
    "            pending: the gate cannot speak yet",
    "",
    "    ✘ Scenario Outline: Badge check  (example: name=Bolt)",
    "        ✔ Given HQ is open",
    "        ✘ When Bolt shows a badge",
    "            failed: Bolt has no badge",
    "            assert 'Bolt' != 'Bolt'",
    "        ↷ Then the gate says",
    '            """',
    "            welcome Bolt",
    '            """',
]
SUMMARY = "4 scenarios, 5 runs: 1 passed, 1 failed, 1 undefined, 1 pending, 1 skipped"


@pytest.fixture
def toy_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".feature", roster=FEATURE)
    pytester.makepyfile(test_roster=STEPS)
    return pytester


def run_console(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # The console alone: the authoring plugin (loaded with hq-spec) would explain undefined steps.
    result = pytester.runpytest(
        "-p",
        "hq_spec.console",
        "-p",
        "no:hq_spec.authoring_plugin",
        "--gherkin-terminal-reporter",
        "-W",
        "error",
        *args,
    )
    result.assert_outcomes(passed=1, failed=3, skipped=1)
    return result


def scenario_blocks(result: pytest.RunResult) -> list[list[str]]:
    """Each scenario's lines (its title and steps, up to the blank line that ends them)."""
    blocks: list[list[str]] = []
    inside = False
    for line in result.stdout.lines:
        if re.match(r"^ +\S Scenario", line):
            blocks.append([line.strip()])
            inside = True
        elif inside and line.strip():
            blocks[-1].append(line.strip())
        else:
            inside = False
    return blocks


def test_every_step_gets_its_mark_without_verbose(toy_project: pytest.Pytester) -> None:
    result = run_console(toy_project)
    result.stdout.fnmatch_lines(GHERKIN_SECTION, consecutive=True)


# pytest's progress line: the file, then a letter per test, e.g. "test_roster.py .F.sF  [100%]".
PROGRESS = re.compile(r"(test_roster\.py)? *[.sFEx]+ *(\[ *\d+%\])?")


def test_no_wall_of_progress_marks_comes_first(toy_project: pytest.Pytester) -> None:
    lines = run_console(toy_project).stdout.lines
    assert not [line for line in lines if PROGRESS.fullmatch(line)]
    first_scenario = next(i for i, line in enumerate(lines) if "Scenario:" in line)
    assert lines[first_scenario - 2] == "Feature: Roster  (roster.feature)"


def test_the_run_ends_with_a_summary_in_words(toy_project: pytest.Pytester) -> None:
    result = run_console(toy_project)
    result.stdout.fnmatch_lines([SUMMARY, "*= short test summary info =*"], consecutive=True)
    result.stdout.fnmatch_lines(["FAILED test_roster.py::test_typo - *"])  # pytest's word stays
    assert "3 failed, 1 passed, 1 skipped" in result.stdout.lines[-1]


STARTING_CONFTEST = """
def pytest_runtest_logstart(nodeid):
    import sys
    sys.stdout.write(f"starting {nodeid}\\n")
"""


@pytest.mark.parametrize("workers", [[], ["-n", "1"]], ids=["in-process", "xdist"])
def test_each_scenario_prints_as_soon_as_it_finishes(
    toy_project: pytest.Pytester, workers: list[str]
) -> None:
    toy_project.makeconftest(STARTING_CONFTEST)
    lines = run_console(toy_project, "-s", *workers).stdout.lines
    starts = [i for i, line in enumerate(lines) if line.startswith("starting ")]
    titles = [i for i, line in enumerate(lines) if re.match(r"^ +\S Scenario", line)]
    assert len(starts) == len(titles) == 5
    # Scenario n is printed after it started and before scenario n + 1 starts.
    for started, title, next_start in zip(starts, titles, [*starts[1:], len(lines)], strict=True):
        assert started < title < next_start


# Counts the writes reaching the terminal (TerminalWriter keeps its file in `_file`).
WRITES_CONFTEST = """
import pytest

class CountingFile:
    def __init__(self, file):
        self.file, self.writes = file, []
    def write(self, text):
        self.writes.append(text)
        return self.file.write(text)
    def __getattr__(self, name):
        return getattr(self.file, name)

@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    writer = session.config.get_terminal_writer()
    writer._file = CountingFile(writer._file)

def pytest_unconfigure(config):
    writes = config.get_terminal_writer()._file.writes
    whole = [text for text in writes if "Scenario" in text and "Given HQ is open" in text]
    print("\\nWHOLE SCENARIOS WRITTEN AT ONCE", len(whole))
"""


def test_each_scenario_reaches_the_terminal_in_one_write(toy_project: pytest.Pytester) -> None:
    # Where output is unbuffered (PYTHONUNBUFFERED, common in CI), every write is a system call.
    toy_project.makeconftest(WRITES_CONFTEST)
    result = run_console(toy_project)
    result.stdout.fnmatch_lines(GHERKIN_SECTION, consecutive=True)
    result.stdout.fnmatch_lines(["WHOLE SCENARIOS WRITTEN AT ONCE 5"])


def test_each_step_takes_its_outcomes_colour(toy_project: pytest.Pytester) -> None:
    lines = run_console(toy_project, "--color=yes").stdout.lines
    green, red, yellow, plain = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[0m"
    assert f"{green}      ✔ Given HQ is open{plain}" in lines
    assert f"{red}        ✘ When Bolt shows a badge{plain}" in lines
    assert f"{yellow}      ? When Volt enlistz{plain}" in lines
    assert "Feature: Roster  (roster.feature)" in lines  # headings stay plain


def test_the_account_is_the_same_under_xdist(toy_project: pytest.Pytester) -> None:
    serial = run_console(toy_project)
    distributed = run_console(toy_project, "-n", "2")
    assert sorted(scenario_blocks(distributed)) == sorted(scenario_blocks(serial))
    assert len(scenario_blocks(serial)) == 5
    distributed.stdout.fnmatch_lines([SUMMARY])


def test_verbose_lists_the_evidence_under_its_step(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", hq="Feature: HQ\n  Scenario: Knock\n    When Volt knocks\n")
    pytester.makepyfile(
        test_hq='''
        from pytest_bdd import scenarios, when

        from hq_spec.evidence import Evidence, evidence_log

        scenarios("hq.feature")

        @when("Volt knocks")
        def _(request):
            """Volt knocks on HQ's door."""
            evidence_log(request.node).record(Evidence("http", "Volt", "GET / -> 200", {}))
        '''
    )
    result = pytester.runpytest("-p", "hq_spec.console", "--gherkin-terminal-reporter", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["  ✔ Scenario: Knock", "      ✔ When Volt knocks", "          · GET / -> 200"],
        consecutive=True,
    )


def test_without_the_option_pytest_output_is_untouched(toy_project: pytest.Pytester) -> None:
    result = toy_project.runpytest("-p", "hq_spec.console", "-W", "error")
    result.assert_outcomes(passed=1, failed=3, skipped=1)
    assert any(PROGRESS.fullmatch(line) for line in result.stdout.lines)
    assert not any("Scenario: Volt enlists" in line for line in result.stdout.lines)
