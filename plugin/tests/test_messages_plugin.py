"""The Cucumber Messages stream: honest statuses, links that hold, evidence, and pytest-xdist."""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from cucumber_messages import Envelope, message_converter

from hq_spec.messages.meta import meta

pytest_plugins = ["pytester"]

FEATURE = '''\
@roster
Feature: Roster
  Heroes enlist at HQ.

  Background:
    Given HQ is open

  Scenario: Volt enlists
    When Volt enlists with
      | name | power |
      | Volt | 7     |
    Then the roster lists Volt

  Scenario: Typo in the middle
    When Volt enlistz
    Then the roster lists Volt

  @skip
  Scenario: Benched
    When Volt enlists with
      | name | power |
      | Volt | 7     |

  Scenario: Gate under construction
    Then the gate says
      """
      welcome
      """

  Scenario: Volt leaves mid-way
    When Volt walks out
    Then the roster lists Volt

  Rule: Only badges open the gate

    Background:
      Given the gate is shut

    Scenario Outline: Badge check for <name>
      When <name> shows a badge
      Then the roster lists <name>

      Examples:
        | name |
        | Tide |
        | Bolt |
'''

FIRST_STEP_UNDEFINED = """\
Feature: Paperwork
  Scenario: Nobody wrote this yet
    Given a form nobody has defined
    Then the roster lists Volt
"""

STEPS = '''\
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from hq_spec.evidence import Evidence, evidence_log
from hq_spec.pending import pending

scenarios("roster.feature", "paperwork.feature")


@given("HQ is open")
def _():
    """HQ opens its doors."""


@given("the gate is shut")
def _():
    """The gate starts shut."""


@when("Volt enlists with")
def _(datatable, request):
    """Volt fills in the enlistment form."""
    assert datatable == [["name", "power"], ["Volt", "7"]]
    evidence_log(request.node).record(
        Evidence("http", "Volt", "POST /heroes/ -> 201", {"request": {"method": "POST"}})
    )


@when("Volt walks out")
def _():
    """Volt leaves before the roster is read."""
    pytest.skip("Volt left")


@when(parsers.parse("{name} shows a badge"))
def _(name):
    """A hero shows a badge at the gate."""
    assert name != "Bolt", "Bolt has no badge"


@then(parsers.parse("the roster lists {name}"))
def _(name):
    """The roster names the hero."""


@then("the gate says")
def _(docstring):
    """The gate greets the hero."""
    pending("the gate cannot speak yet")
'''

INI = """\
[pytest]
markers =
    roster: toy tag
"""

# pytest's verdicts for the toy project above.
OUTCOMES = {"passed": 2, "failed": 4, "skipped": 2}


@pytest.fixture
def toy_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INI)
    pytester.makefile(".feature", roster=FEATURE, paperwork=FIRST_STEP_UNDEFINED)
    pytester.makepyfile(test_roster=STEPS)
    return pytester


def run_messages(pytester: pytest.Pytester, *args: str) -> list[Envelope]:
    """Run the toy project and read every line back through the official typed models."""
    result = pytester.runpytest(
        "-p",
        "hq_spec.messages_plugin",
        "--cucumber-messages=out/messages.ndjson",
        "-W",
        "error",
        *args,
    )
    result.assert_outcomes(**OUTCOMES)
    lines = (pytester.path / "out" / "messages.ndjson").read_text(encoding="utf-8").splitlines()
    return [message_converter.from_dict(json.loads(line), Envelope) for line in lines]


def of_kind(envelopes: list[Envelope], kind: str) -> list[Any]:
    return [getattr(e, kind) for e in envelopes if getattr(e, kind) is not None]


def step_statuses(envelopes: list[Envelope]) -> dict[str, list[tuple[str, str]]]:
    """Each pickle's name -> its steps' text and status, following the stream's links."""
    pickles = {pickle.id: pickle for pickle in of_kind(envelopes, "pickle")}
    cases = {case.id: case for case in of_kind(envelopes, "test_case")}
    started = {s.id: cases[s.test_case_id] for s in of_kind(envelopes, "test_case_started")}
    finished = {
        (f.test_case_started_id, f.test_step_id): f.test_step_result.status.value
        for f in of_kind(envelopes, "test_step_finished")
    }
    statuses: dict[str, list[tuple[str, str]]] = {}
    for started_id, case in started.items():
        pickle = pickles[case.pickle_id]
        texts = {step.id: step.text for step in pickle.steps}
        statuses[pickle.name] = [
            (texts.get(step.pickle_step_id, "(hook)"), finished[started_id, step.id])
            for step in case.test_steps
        ]
    return statuses


def test_every_line_is_a_single_cucumber_message_in_protocol_order(
    toy_project: pytest.Pytester,
) -> None:
    envelopes = run_messages(toy_project)
    kinds = [
        [name for name, value in vars(envelope).items() if value is not None]
        for envelope in envelopes
    ]
    assert all(len(kind) == 1 for kind in kinds)
    order = [kind[0] for kind in kinds]
    assert order[0] == "meta"
    assert order[-1] == "test_run_finished"
    assert order.index("test_run_started") < order.index("test_case")
    assert order.index("pickle") < order.index("test_case")
    assert order.count("source") == order.count("gherkin_document") == 2
    assert envelopes[-1].test_run_finished.success is False


# The messages the run writes in their JSON shape directly (not through the models).
RUN_MESSAGES = frozenset(
    {"testCase", "testCaseStarted", "testStepStarted", "attachment", "testStepFinished",
     "testCaseFinished"}
)  # fmt: skip


def test_every_run_message_is_written_exactly_as_the_official_models_write_it(
    toy_project: pytest.Pytester,
) -> None:
    run_messages(toy_project)
    lines = (toy_project.path / "out" / "messages.ndjson").read_text(encoding="utf-8")
    seen = set()
    for line in lines.splitlines():
        data = json.loads(line)
        official = message_converter.to_dict(message_converter.from_dict(data, Envelope))
        assert data == official  # no field misnamed, missing or extra
        [kind] = data
        if kind in RUN_MESSAGES:
            seen.add(kind)
            # The models' field order too, written compactly as Cucumber's own tools write it.
            assert line == json.dumps(official, ensure_ascii=False, separators=(",", ":"))
    assert seen == RUN_MESSAGES


def test_statuses_are_honest_step_by_step(toy_project: pytest.Pytester) -> None:
    statuses = step_statuses(run_messages(toy_project))
    assert statuses == {
        "Volt enlists": [
            ("HQ is open", "PASSED"),
            ("Volt enlists with", "PASSED"),
            ("the roster lists Volt", "PASSED"),
        ],
        "Typo in the middle": [
            ("HQ is open", "PASSED"),
            ("Volt enlistz", "UNDEFINED"),
            ("the roster lists Volt", "SKIPPED"),
        ],
        "Benched": [("HQ is open", "SKIPPED"), ("Volt enlists with", "SKIPPED")],
        "Gate under construction": [("HQ is open", "PASSED"), ("the gate says", "PENDING")],
        "Volt leaves mid-way": [
            ("HQ is open", "PASSED"),
            ("Volt walks out", "SKIPPED"),
            ("the roster lists Volt", "SKIPPED"),
        ],
        "Badge check for Tide": [
            ("HQ is open", "PASSED"),
            ("the gate is shut", "PASSED"),
            ("Tide shows a badge", "PASSED"),
            ("the roster lists Tide", "PASSED"),
        ],
        "Badge check for Bolt": [
            ("HQ is open", "PASSED"),
            ("the gate is shut", "PASSED"),
            ("Bolt shows a badge", "FAILED"),
            ("the roster lists Bolt", "SKIPPED"),
        ],
        "Nobody wrote this yet": [
            ("a form nobody has defined", "UNDEFINED"),
            ("the roster lists Volt", "SKIPPED"),
        ],
    }


def test_failures_carry_their_reason(toy_project: pytest.Pytester) -> None:
    envelopes = run_messages(toy_project)
    results = [f.test_step_result for f in of_kind(envelopes, "test_step_finished")]
    reasons = {(r.status.value, r.exception.message) for r in results if r.exception}
    assert ("FAILED", "Bolt has no badge\nassert 'Bolt' != 'Bolt'") in reasons
    assert ("PENDING", "the gate cannot speak yet") in reasons
    undefined = [message for status, message in reasons if status == "UNDEFINED"]
    assert any('"a form nobody has defined"' in message for message in undefined)


def test_every_link_points_at_a_message_of_the_stream(toy_project: pytest.Pytester) -> None:
    envelopes = run_messages(toy_project)
    pickles = {pickle.id: pickle for pickle in of_kind(envelopes, "pickle")}
    cases = {case.id: case for case in of_kind(envelopes, "test_case")}
    run_id = of_kind(envelopes, "test_run_started")[0].id
    for case in cases.values():
        assert case.test_run_started_id == run_id
        pickle_steps = {step.id for step in pickles[case.pickle_id].steps}
        assert [step.pickle_step_id for step in case.test_steps] == [
            step.id for step in pickles[case.pickle_id].steps
        ]
        assert all(step.pickle_step_id in pickle_steps for step in case.test_steps)
    started = {s.id: s for s in of_kind(envelopes, "test_case_started")}
    assert sorted(s.test_case_id for s in started.values()) == sorted(cases)
    finished_steps: defaultdict[str, list[str]] = defaultdict(list)
    for finished in of_kind(envelopes, "test_step_finished"):
        finished_steps[finished.test_case_started_id].append(finished.test_step_id)
    for started_id, started_case in started.items():
        expected = [step.id for step in cases[started_case.test_case_id].test_steps]
        assert finished_steps[started_id] == expected
    assert sorted(f.test_case_started_id for f in of_kind(envelopes, "test_case_finished")) == (
        sorted(started)
    )


def test_rules_backgrounds_outline_rows_tables_and_doc_strings_come_through(
    toy_project: pytest.Pytester,
) -> None:
    envelopes = run_messages(toy_project)
    document = next(d for d in of_kind(envelopes, "gherkin_document") if d.uri == "roster.feature")
    rules = [child.rule for child in document.feature.children if child.rule]
    assert [rule.name for rule in rules] == ["Only badges open the gate"]
    assert rules[0].children[0].background is not None
    pickles = {pickle.name: pickle for pickle in of_kind(envelopes, "pickle")}
    assert {"Badge check for Tide", "Badge check for Bolt"} <= set(pickles)
    assert len(pickles["Badge check for Bolt"].ast_node_ids) == 2  # scenario and example row
    table = pickles["Volt enlists"].steps[1].argument.data_table
    assert [[cell.value for cell in row.cells] for row in table.rows] == [
        ["name", "power"],
        ["Volt", "7"],
    ]
    assert pickles["Gate under construction"].steps[1].argument.doc_string.content == "welcome"
    assert [tag.name for tag in pickles["Benched"].tags] == ["@roster", "@skip"]


def test_evidence_is_attached_to_the_step_that_observed_it(toy_project: pytest.Pytester) -> None:
    envelopes = run_messages(toy_project)
    pickles = {pickle.id: pickle for pickle in of_kind(envelopes, "pickle")}
    cases = {case.id: case for case in of_kind(envelopes, "test_case")}
    started = {s.id: cases[s.test_case_id] for s in of_kind(envelopes, "test_case_started")}
    attachments = of_kind(envelopes, "attachment")
    # "Volt enlists" runs the enlisting step; "Benched" is skipped before it can.
    assert len(attachments) == 1
    attachment = attachments[0]
    assert attachment.media_type == "application/json"  # Cucumber's report shows it as JSON
    assert attachment.file_name == "POST /heroes/ -> 201"  # ... under this title
    assert attachment.content_encoding.value == "IDENTITY"
    assert json.loads(attachment.body) == {
        "kind": "http",
        "actor": "Volt",
        "summary": "POST /heroes/ -> 201",
        "request": {"method": "POST"},
    }
    case = started[attachment.test_case_started_id]
    step = next(step for step in case.test_steps if step.id == attachment.test_step_id)
    pickle = pickles[case.pickle_id]
    assert pickle.name == "Volt enlists"
    assert next(s.text for s in pickle.steps if s.id == step.pickle_step_id) == "Volt enlists with"


def test_the_stream_is_the_same_under_xdist(toy_project: pytest.Pytester) -> None:
    serial = step_statuses(run_messages(toy_project))
    distributed_envelopes = run_messages(toy_project, "-n", "2")
    assert step_statuses(distributed_envelopes) == serial
    workers = {s.worker_id for s in of_kind(distributed_envelopes, "test_case_started")}
    assert workers <= {"gw0", "gw1"}
    assert workers


def test_a_failing_fixture_is_a_failed_hook_and_its_steps_are_skipped(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".feature", broken=FIRST_STEP_UNDEFINED)
    pytester.makepyfile(
        test_broken="""
        import pytest
        from pytest_bdd import scenarios

        scenarios("broken.feature")

        @pytest.fixture(autouse=True)
        def headquarters():
            raise RuntimeError("HQ is on fire")
        """
    )
    result = pytester.runpytest(
        "-p", "hq_spec.messages_plugin", "--cucumber-messages=messages.ndjson", "-W", "error"
    )
    result.assert_outcomes(errors=1)
    lines = (pytester.path / "messages.ndjson").read_text(encoding="utf-8").splitlines()
    envelopes = [message_converter.from_dict(json.loads(line), Envelope) for line in lines]
    assert step_statuses(envelopes)["Nobody wrote this yet"] == [
        ("(hook)", "FAILED"),
        ("a form nobody has defined", "SKIPPED"),
        ("the roster lists Volt", "SKIPPED"),
    ]
    hook_result = of_kind(envelopes, "test_step_finished")[0].test_step_result
    assert hook_result.exception.message == "HQ is on fire"


def test_writing_beyond_latin_1_comes_through_in_utf_8(pytester: pytest.Pytester) -> None:
    # One such line among plain ones: the stream is written a line at a time, each in UTF-8.
    pytester.makefile(
        ".feature",
        wide="Feature: Wide\n  Scenario: Ñandú waves 👋\n    Given Ñandú says “hola…”\n\n"
        "  Scenario: Plain\n    Given Ñandú says “hola…”\n",
    )
    pytester.makepyfile(
        test_wide="""
        from pytest_bdd import given, scenarios

        scenarios("wide.feature")

        @given("Ñandú says “hola…”")
        def _():
            '''Greets.'''
        """
    )
    pytester.runpytest(
        "-p", "hq_spec.messages_plugin", "--cucumber-messages=messages.ndjson", "-W", "error"
    )
    raw = (pytester.path / "messages.ndjson").read_bytes()
    envelopes = [
        message_converter.from_dict(json.loads(line), Envelope)
        for line in raw.decode("utf-8").splitlines()
    ]
    assert step_statuses(envelopes) == {
        "Ñandú waves 👋": [("Ñandú says “hola…”", "PASSED")],
        "Plain": [("Ñandú says “hola…”", "PASSED")],
    }
    assert "Ñandú waves 👋".encode() in raw


def test_two_definitions_for_one_step_are_ambiguous(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".feature",
        twins="Feature: Twins\n  Scenario: Echo\n    Given Volt has 3 badges\n",
    )
    pytester.makepyfile(
        test_twins="""
        from pytest_bdd import given, parsers, scenarios

        scenarios("twins.feature")

        @given("Volt has 3 badges")
        def _():
            '''Exactly three.'''

        @given(parsers.parse("Volt has {count:d} badges"))
        def _(count):
            '''Any number.'''
        """
    )
    pytester.runpytest(
        "-p", "hq_spec.messages_plugin", "--cucumber-messages=messages.ndjson", "-W", "error"
    )
    lines = (pytester.path / "messages.ndjson").read_text(encoding="utf-8").splitlines()
    envelopes = [message_converter.from_dict(json.loads(line), Envelope) for line in lines]
    assert step_statuses(envelopes) == {"Echo": [("Volt has 3 badges", "AMBIGUOUS")]}
    message = of_kind(envelopes, "test_step_finished")[0].test_step_result.exception.message
    assert message.startswith("2 step definitions match this step: test_twins.py:")
    # As Cucumber states an ambiguous step: every definition it matches, each with its arguments.
    [test_step] = of_kind(envelopes, "test_case")[0].test_steps
    definitions = {d.id: d for d in of_kind(envelopes, "step_definition")}
    assert sorted(definitions[i].pattern.source for i in test_step.step_definition_ids) == [
        "Volt has 3 badges",
        "Volt has {count:d} badges",
    ]
    arguments = [
        [a.group.value for a in each.step_match_arguments]
        for each in test_step.step_match_arguments_lists
    ]
    assert sorted(arguments) == [[], ["3"]]


def git_checkout(path: Path, remote: str | None) -> str:
    """A fresh git repository with one commit (and a remote, if given); returns the commit."""

    def git(*args: str) -> str:
        done = subprocess.run(  # noqa: S603 - fixed arguments in a test
            ["git", "-C", str(path), *args],  # noqa: S607 - git from PATH, as CI has it
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    git("init", "-q", "-b", "main")
    (path / "README.md").write_text("HQ\n", encoding="utf-8")
    git("add", "README.md")
    git("-c", "user.name=Volt", "-c", "user.email=volt@hq.test", "commit", "-q", "-m", "start")
    if remote is not None:
        git("remote", "add", "origin", remote)
    return git("rev-parse", "HEAD")


def parsed_meta(path: Path) -> Any:
    envelope = message_converter.to_dict(Envelope(meta=meta(path)))
    return message_converter.from_dict(envelope, Envelope).meta


CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "GITHUB_SERVER_URL", "CI_JOB_URL")


@pytest.fixture
def no_ci(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for variable in CI_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def test_a_local_run_states_no_ci_even_in_a_git_checkout(
    tmp_path: Path, no_ci: pytest.MonkeyPatch
) -> None:
    git_checkout(tmp_path, "https://git.example/hq.git")
    assert parsed_meta(tmp_path).ci is None


def test_on_ci_a_local_path_remote_is_left_out_not_written_as_a_url(
    tmp_path: Path, no_ci: pytest.MonkeyPatch
) -> None:
    no_ci.setenv("CI", "true")
    git_checkout(tmp_path, str(tmp_path / "elsewhere"))
    ci = parsed_meta(tmp_path).ci
    assert ci.name == "CI"
    assert ci.git is None


@pytest.mark.parametrize(
    ("remote", "shown"),
    [
        ("https://git.example/hq.git", "https://git.example/hq.git"),
        ("git@git.example:heroes/hq.git", "ssh://git@git.example/heroes/hq.git"),
    ],
)
def test_on_ci_meta_names_the_commit_and_a_url_remote(
    tmp_path: Path, no_ci: pytest.MonkeyPatch, remote: str, shown: str
) -> None:
    no_ci.setenv("GITHUB_ACTIONS", "true")
    revision = git_checkout(tmp_path, remote)
    ci = parsed_meta(tmp_path).ci
    assert ci.name == "GitHub Actions"
    assert (ci.git.remote, ci.git.revision, ci.git.branch) == (shown, revision, "main")


def test_meta_names_the_plugin_and_its_own_version(tmp_path: Path) -> None:
    implementation = parsed_meta(tmp_path).implementation
    assert (implementation.name, implementation.version) == ("hq-spec", version("hq-spec"))


def test_a_feature_file_gone_by_the_end_is_a_parse_error_not_a_crash(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(
        ".feature", vanishing="Feature: Gone\n  Scenario: Poof\n    When it vanishes\n"
    )
    pytester.makepyfile(
        test_vanishing="""
        from pathlib import Path

        from pytest_bdd import scenarios, when

        scenarios("vanishing.feature")

        @when("it vanishes")
        def _():
            '''The feature file is removed while it runs.'''
            Path(__file__).with_name("vanishing.feature").unlink()
        """
    )
    result = pytester.runpytest(
        "-p", "hq_spec.messages_plugin", "--cucumber-messages=messages.ndjson", "-W", "error"
    )
    result.assert_outcomes(passed=1)
    lines = (pytester.path / "messages.ndjson").read_text(encoding="utf-8").splitlines()
    envelopes = [message_converter.from_dict(json.loads(line), Envelope) for line in lines]
    [parse_error] = of_kind(envelopes, "parse_error")
    assert parse_error.source.uri == "vanishing.feature"
    assert of_kind(envelopes, "test_case") == []
