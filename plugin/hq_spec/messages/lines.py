"""The stream's lines of JSON, the commonest written as text exactly as the encoder writes them.

A run writes tens of thousands of these lines. Building each message as a tree of dicts only for the
encoder to walk it cost more than everything else the stream does.
"""

from __future__ import annotations

from json.encoder import encode_basestring

import cucumber_messages as cm

from hq_spec import json_text
from hq_spec.step_results import json_names, message_json

# One encoder for every other line (json.dumps would build a new one per call), writing compact
# JSON as Cucumber's own tools do (JSON.stringify). Messages are plain trees: no cycles to look for.
ENCODE = json_text.encoder(separators=(",", ":"))
# Text as ENCODE quotes it (with ensure_ascii off, the encoder quotes strings with this function).
quoted = encode_basestring
# An attachment's fields in the protocol's order: the model's name and the JSON's.
ATTACHMENT_FIELDS = json_names(cm.Attachment)


# Each step status as the protocol writes it (an enum's value is a slow read, at every step).
STATUSES = {status: str(status.value) for status in cm.TestStepResultStatus}


def stamp(epoch_ns: int) -> str:
    """A moment as the protocol's Timestamp."""
    return f'{{"nanos":{epoch_ns % 1_000_000_000},"seconds":{epoch_ns // 1_000_000_000}}}'


def result(outcome: cm.TestStepResult) -> str:
    """A step's TestStepResult; the usual one (a duration and a status, nothing to explain) is
    written directly."""
    taken = outcome.duration
    if outcome.exception is None and outcome.message is None:
        return (
            f'{{"duration":{{"nanos":{taken.nanos},"seconds":{taken.seconds}}},'
            f'"status":"{STATUSES[outcome.status]}"}}'
        )
    return ENCODE(message_json(outcome))


def test_case_started(started_id: str, case_id: str, moment: int, worker: str | None) -> str:
    """A test case begins (on a pytest-xdist worker, if it names one)."""
    on_worker = "" if worker is None else f',"workerId":{quoted(worker)}'
    return (
        f'{{"testCaseStarted":{{"attempt":0,"id":{quoted(started_id)},'
        f'"testCaseId":{quoted(case_id)},"timestamp":{stamp(moment)}{on_worker}}}}}'
    )


def test_step_started(started_id: str, step_id: str, moment: int) -> str:
    """A test case's step begins."""
    return (
        f'{{"testStepStarted":{{"testCaseStartedId":{quoted(started_id)},'
        f'"testStepId":{quoted(step_id)},"timestamp":{stamp(moment)}}}}}'
    )


def test_step_finished(
    started_id: str, step_id: str, outcome: cm.TestStepResult, moment: int
) -> str:
    """A test case's step ends, with its result."""
    return (
        f'{{"testStepFinished":{{"testCaseStartedId":{quoted(started_id)},'
        f'"testStepId":{quoted(step_id)},"testStepResult":{result(outcome)},'
        f'"timestamp":{stamp(moment)}}}}}'
    )


def test_case_finished(started_id: str, moment: int) -> str:
    """A test case ends (never retried: pytest runs a scenario once)."""
    return (
        f'{{"testCaseFinished":{{"testCaseStartedId":{quoted(started_id)},'
        f'"timestamp":{stamp(moment)},"willBeRetried":false}}}}'
    )


# Each way of encoding an attachment's body, as the protocol writes it.
ENCODINGS = {encoding: str(encoding.value) for encoding in cm.AttachmentContentEncoding}


def attachment(observed: cm.Attachment, started_id: str, step_id: str | None, moment: int) -> str:
    """An attachment as observed, placed in its test case (and step); a stamped one is stamped
    again at the moment it takes in the stream."""
    if (
        # The usual one, evidence as the recorder attaches it: its fields written directly.
        observed.source is None
        and observed.url is None
        and observed.test_run_started_id is None
        and observed.test_run_hook_started_id is None
        and observed.timestamp is not None
        and type(observed.body) is str
        and type(observed.media_type) is str
        and type(observed.file_name) is str
        and observed.content_encoding in ENCODINGS
    ):
        in_step = "" if step_id is None else f',"testStepId":{quoted(step_id)}'
        return (
            f'{{"attachment":{{"body":{quoted(observed.body)},'
            f'"contentEncoding":"{ENCODINGS[observed.content_encoding]}",'
            f'"mediaType":{quoted(observed.media_type)},"fileName":{quoted(observed.file_name)},'
            f'"testCaseStartedId":{quoted(started_id)}{in_step},"timestamp":{stamp(moment)}}}}}'
        )
    fields = []
    for name, key in ATTACHMENT_FIELDS:
        if key == "testCaseStartedId":
            value = quoted(started_id)
        elif key == "testStepId":
            if step_id is None:
                continue
            value = quoted(step_id)
        elif (given := getattr(observed, name)) is None:
            continue
        elif key == "timestamp":
            value = stamp(moment)
        elif type(given) is str:
            value = quoted(given)
        else:
            value = ENCODE(message_json(given))
        fields.append(f'"{key}":{value}')
    return '{"attachment":{' + ",".join(fields) + "}}"


def hook_step(step_id: str, hook_id: str) -> str:
    """A test case's step that stands for a pytest phase (a hook, in Cucumber's words)."""
    return f'{{"id":{quoted(step_id)},"hookId":{quoted(hook_id)}}}'


def pickle_step(
    step_id: str, pickle_step_id: str | None, definition_ids: list[str], arguments: list[str]
) -> str:
    """A test case's step that runs a pickle step: its definitions and, for each, its arguments
    (each already JSON)."""
    of_pickle = "" if pickle_step_id is None else f',"pickleStepId":{quoted(pickle_step_id)}'
    ids = ",".join(quoted(each) for each in definition_ids)
    return (
        f'{{"id":{quoted(step_id)}{of_pickle},"stepDefinitionIds":[{ids}],'
        f'"stepMatchArgumentsLists":[{",".join(arguments)}]}}'
    )


def test_case(case_id: str, pickle_id: str, steps: list[str], run_id: str) -> str:
    """A test case: the pickle it runs and its steps (each already JSON), in the run."""
    return (
        f'{{"testCase":{{"id":{quoted(case_id)},"pickleId":{quoted(pickle_id)},'
        f'"testSteps":[{",".join(steps)}],"testRunStartedId":{quoted(run_id)}}}}}'
    )
