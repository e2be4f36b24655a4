"""The stream's lines written as text are, character for character, what the official models give."""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import json
from pathlib import Path
from typing import Any

import cucumber_messages as cm
import pytest
from cucumber_messages import Envelope, message_converter

from hq_spec.feature_sources import FeatureSources
from hq_spec.messages import lines
from hq_spec.messages.gherkin_sources import FeatureCatalog
from hq_spec.messages.meta import meta
from hq_spec.messages.run_envelopes import in_time_order, run_lines
from hq_spec.step_results import Status, duration, message_json, timestamp

MOMENT = 1_764_000_000_123_456_789
# Text that must be escaped, and text that must not be (the stream keeps Unicode as it is).
AWKWARD = 'Tide said "ready"\n\tback\\slash ☂ ü \u2028'


def official(**message: Any) -> str:
    """The line the official models write for this message (compact, in the protocol's order)."""
    data = message_converter.to_dict(Envelope(**message))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("worker", [None, "gw1"])
def test_a_test_case_starting_on_any_worker(worker: str | None) -> None:
    started = cm.TestCaseStarted(
        attempt=0, id="12", test_case_id="11", timestamp=timestamp(MOMENT), worker_id=worker
    )
    assert lines.test_case_started("12", "11", MOMENT, worker) == official(
        test_case_started=started
    )


def test_a_step_starting_and_a_test_case_finishing() -> None:
    step = cm.TestStepStarted(
        test_case_started_id="12", test_step_id="7", timestamp=timestamp(MOMENT)
    )
    assert lines.test_step_started("12", "7", MOMENT) == official(test_step_started=step)
    finished = cm.TestCaseFinished(
        test_case_started_id="12", timestamp=timestamp(MOMENT), will_be_retried=False
    )
    assert lines.test_case_finished("12", MOMENT) == official(test_case_finished=finished)


@pytest.mark.parametrize("status", list(Status))
def test_a_step_finishing_with_any_result(status: Any) -> None:
    plain = cm.TestStepResult(duration=duration(2_000_000_123), status=status)
    explained = cm.TestStepResult(
        duration=duration(5),
        status=status,
        message=AWKWARD,
        exception=cm.Exception(type="Mismatch", message=AWKWARD, stack_trace="at line 3"),
    )
    for outcome in (plain, explained):
        finished = cm.TestStepFinished(
            test_case_started_id="12",
            test_step_id="7",
            test_step_result=outcome,
            timestamp=timestamp(MOMENT),
        )
        expected = official(test_step_finished=finished)
        assert lines.test_step_finished("12", "7", outcome, MOMENT) == expected
        # The result alone, as the general encoder writes it (the usual one is written directly).
        assert lines.result(outcome) == lines.ENCODE(message_json(outcome))


SOURCE = cm.Source(uri="features/a.feature", data="x", media_type="text/plain")


@pytest.mark.parametrize("step_id", [None, "7"])
@pytest.mark.parametrize(
    ("source", "encoding"),
    [
        (None, cm.AttachmentContentEncoding.identity),  # evidence, as the recorder attaches it
        (None, cm.AttachmentContentEncoding.base64),
        (SOURCE, cm.AttachmentContentEncoding.identity),
    ],
)
def test_an_attachment_of_the_case_or_of_a_step(
    step_id: str | None, source: cm.Source | None, encoding: cm.AttachmentContentEncoding
) -> None:
    observed = cm.Attachment(
        body=AWKWARD,
        content_encoding=encoding,
        media_type="application/json",
        file_name=f"Volt recruits Tide {AWKWARD}",
        source=source,
        timestamp=timestamp(1),  # the stream stamps it at its place in the run instead
    )
    placed = cm.Attachment(
        body=observed.body,
        content_encoding=observed.content_encoding,
        media_type=observed.media_type,
        file_name=observed.file_name,
        source=observed.source,
        test_case_started_id="12",
        test_step_id=step_id,
        timestamp=timestamp(MOMENT),
    )
    assert lines.attachment(observed, "12", step_id, MOMENT) == official(attachment=placed)
    unstamped = dataclasses.replace(observed, timestamp=None)  # stays unstamped in the stream
    expected = official(attachment=dataclasses.replace(placed, timestamp=None))
    assert lines.attachment(unstamped, "12", step_id, MOMENT) == expected


def test_a_test_case_with_hooks_undefined_steps_and_rival_definitions() -> None:
    arguments = cm.StepMatchArgumentsList(
        step_match_arguments=[
            cm.StepMatchArgument(
                group=cm.Group(children=[], start=0, value="Volt"), parameter_type_name="Actor"
            )
        ]
    )
    nothing = cm.StepMatchArgumentsList(step_match_arguments=[])
    case = cm.TestCase(
        id="20",
        pickle_id="3",
        test_run_started_id="1",
        test_steps=[
            cm.TestStep(id="21", hook_id="9"),
            cm.TestStep(
                id="22",
                pickle_step_id="4",
                step_definition_ids=["5", "6"],
                step_match_arguments_lists=[arguments, nothing],
            ),
            cm.TestStep(
                id="23", pickle_step_id="8", step_definition_ids=[], step_match_arguments_lists=[]
            ),
        ],
    )
    encoded = [lines.ENCODE(message_converter.to_dict(each)) for each in (arguments, nothing)]
    steps = [
        lines.hook_step("21", "9"),
        lines.pickle_step("22", "4", ["5", "6"], encoded),
        lines.pickle_step("23", "8", [], []),
    ]
    assert lines.test_case("20", "3", steps, "1") == official(test_case=case)


def timed(*moments: int) -> list[tuple[int, str]]:
    return [(moment, f"line at {moment}") for moment in moments]


@pytest.mark.parametrize(
    "executions",
    [
        [timed(1, 2, 3), timed(3, 4), timed(5, 5, 6)],  # one after another, touching
        [timed(1, 4, 6), timed(2, 3, 7), timed(5)],  # side by side, as under pytest-xdist
        [timed(1, 1), timed(1, 1)],  # ties keep the earlier case first
        [],
    ],
)
def test_lines_come_in_the_order_they_happened(executions: list[list[tuple[int, str]]]) -> None:
    merged = list(heapq.merge(*executions, key=lambda each: each[0]))
    assert list(in_time_order(executions)) == merged
    assert sorted(merged, key=lambda each: each[0]) == merged
    assert len(merged) == len(list(itertools.chain(*executions)))


def test_a_run_never_finishes_before_it_started_even_when_the_clock_steps_back(
    tmp_path: Path,
) -> None:
    catalog = FeatureCatalog(FeatureSources(tmp_path))
    lines_of_run = run_lines(
        meta(tmp_path), catalog, [], started_ns=MOMENT, finished_ns=MOMENT - 5, success=True
    )
    envelopes = [json.loads(line) for line in lines_of_run]
    started = envelopes[1]["testRunStarted"]["timestamp"]
    finished = envelopes[-1]["testRunFinished"]["timestamp"]
    assert (finished["seconds"], finished["nanos"]) >= (started["seconds"], started["nanos"])
