"""A scenario's run in Cucumber Messages' models: the one record the console, stream and page share.

The recorder fills it in on the process that runs the scenario; it travels on pytest's test report
(as the protocol's JSON only where pytest-xdist ships a report from a worker to the controller).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Literal

import cucumber_messages as cm

Phase = Literal["setup", "call", "teardown"]
# The protocol's step status (cucumber-messages ships no type information, so mypy sees Any).
Status = cm.TestStepResultStatus

# Worst first: a scenario takes the status of its worst step (Cucumber's ordering).
SEVERITY: tuple[Any, ...] = (
    Status.failed,
    Status.ambiguous,
    Status.undefined,
    Status.pending,
    Status.skipped,
    Status.passed,
    Status.unknown,
)
# The attribute on the teardown report of a scenario that carries its run.
REPORT_ATTRIBUTE = "hq_spec_run"
# The attribute on every report of a scenario, so reporters can tell a scenario's from a test's.
SCENARIO_FLAG = "hq_spec_scenario"

Decoder = Callable[[Any], Any]
Encoder = Callable[[Any], Any]
# message_json's encoder for each type it has met (a run meets a few dozen message types).
_ENCODERS: dict[type, Encoder] = {}


@cache
def json_name(name: str) -> str:
    """A field's name in the protocol's JSON: snake_case becomes camelCase."""
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


@cache
def json_names(message_type: Any) -> tuple[tuple[str, str], ...]:
    """A message type's fields, in the protocol's order: each model name with its JSON name."""
    return tuple((each.name, json_name(each.name)) for each in dataclasses.fields(message_type))


def _decoder(annotation: Any) -> Decoder:
    """How to read one field's JSON back into the models: nested messages, lists, enums."""
    arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(arguments[0])
        return lambda value: None if value is None else inner(value)
    if origin is list:
        item = _decoder(arguments[0])
        return lambda values: [item(value) for value in values]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    if dataclasses.is_dataclass(annotation):
        return lambda value: message_from_json(value, annotation)
    return lambda value: value


@cache
def _decoders(message_type: Any) -> tuple[tuple[str, str, Decoder], ...]:
    hints = typing.get_type_hints(message_type)
    return tuple((name, json, _decoder(hints[name])) for name, json in json_names(message_type))


def message_from_json(data: Any, message_type: Any) -> Any:
    """The model a message's JSON stands for (the inverse of message_json), or None for None."""
    if data is None:
        return None
    return message_type(
        **{
            name: decode(data[json])
            for name, json, decode in _decoders(message_type)
            if json in data
        }
    )


def message_json(value: Any) -> Any:
    """A message as the protocol's JSON (camelCase, enums as their strings, absent fields left
    out): what cucumber-messages' converter produces, at a fraction of its cost, which matters
    with thousands of messages per run."""
    encode = _ENCODERS.get(type(value))
    if encode is None:
        encode = _ENCODERS[type(value)] = _encoder(type(value))
    return encode(value)


def _encoder(kind: type) -> Encoder:
    """How message_json encodes a value of this type: worked out once per type, not per value."""
    if issubclass(kind, str | int | float):
        return _as_is
    if issubclass(kind, Enum):
        return _enum_value
    if dataclasses.is_dataclass(kind):
        return _message_encoder(kind)
    if issubclass(kind, list | tuple):
        return lambda value: [message_json(item) for item in value]
    return _as_is


# Values the JSON takes as they are: most of a message's fields, checked before any lookup.
_PLAIN_TYPES = frozenset({str, int, float, bool})


def _message_encoder(kind: type) -> Encoder:
    """A message type's encoder: its fields' JSON names worked out once, text and numbers taken
    as they are, anything else (a nested message, a list, an enum) encoded by its own type."""
    names = json_names(kind)

    def encode(value: Any) -> dict[str, Any]:
        encoded = {}
        for name, json in names:
            item = getattr(value, name)
            if item is None:
                continue
            encoded[json] = item if type(item) in _PLAIN_TYPES else message_json(item)
        return encoded

    return encode


def _as_is(value: Any) -> Any:
    return value


def _enum_value(value: Enum) -> Any:
    return value.value


def worst(statuses: list[Any]) -> Any:
    return next((status for status in SEVERITY if status in statuses), Status.passed)


def timestamp(epoch_ns: int) -> cm.Timestamp:
    return cm.Timestamp(seconds=epoch_ns // 1_000_000_000, nanos=epoch_ns % 1_000_000_000)


def epoch_ns(stamp: cm.Timestamp) -> int:
    return int(stamp.seconds) * 1_000_000_000 + int(stamp.nanos)


def duration(nanoseconds: int) -> cm.Duration:
    return cm.Duration(seconds=nanoseconds // 1_000_000_000, nanos=nanoseconds % 1_000_000_000)


def duration_ns(span: cm.Duration) -> int:
    return int(span.seconds) * 1_000_000_000 + int(span.nanos)


def not_run() -> cm.TestStepResult:
    """A step pytest never reached: Cucumber reports it skipped."""
    return cm.TestStepResult(duration=duration(0), status=Status.skipped)


@dataclass
class StepRun:
    """One Gherkin step of the scenario: which definition ran it, how it ended, what it observed."""

    line: int  # the step's line in the feature file: ties it to its pickle step
    result: cm.TestStepResult = field(default_factory=not_run)
    started: int | None = None  # nanoseconds since the epoch (the stream writes the Timestamp)
    # The definition pytest-bdd chose, its id left empty: the stream numbers definitions.
    definition: cm.StepDefinition | None = None
    arguments: cm.StepMatchArgumentsList | None = None  # where the parameters sit in the text
    # An ambiguous step's other equally close definitions, each with its arguments.
    rivals: list[tuple[cm.StepDefinition, cm.StepMatchArgumentsList]] = field(default_factory=list)
    attachments: list[cm.Attachment] = field(default_factory=list)


@dataclass
class HookRun:
    """pytest failed outside the steps: a fixture's setup or teardown, or the test body after."""

    phase: Phase
    result: cm.TestStepResult
    source: cm.SourceReference  # the code that failed


@dataclass
class ScenarioRun:
    """A scenario (or one Examples row of an outline) as pytest ran it."""

    nodeid: str
    uri: str  # the feature file, relative to pytest's rootdir, with forward slashes
    line: int  # the scenario's line
    example_index: int | None  # position among all Examples rows of the outline
    # Nanoseconds since the epoch: a number a step takes, each written as a Timestamp only once,
    # in the stream (thousands of scenarios' moments, kept until the run ends).
    started: int
    finished: int
    steps: list[StepRun] = field(default_factory=list)
    hooks: list[HookRun] = field(default_factory=list)
    attachments: list[cm.Attachment] = field(default_factory=list)  # observed outside any step
    skip_reason: str | None = None
    worker: str | None = None

    def steps_by_line(self) -> dict[int, StepRun]:
        """Each step's run by its line in the feature file (which ties it to its pickle step)."""
        by_line: dict[int, StepRun] = {}
        for step in self.steps:  # the first run of a line, should two steps share one
            by_line.setdefault(step.line, step)
        return by_line

    @property
    def status(self) -> Any:
        """The scenario's Cucumber status: its worst step, or failed when pytest failed around;
        skipped when it never reached its steps (pytest skipped it before they ran)."""
        if not self.steps and not self.hooks:
            return Status.skipped
        return worst(
            [step.result.status for step in self.steps] + [h.result.status for h in self.hooks]
        )

    def as_json(self) -> dict[str, Any]:
        """The run as plain JSON (the protocol's own shape for every message in it; moments as
        nanoseconds since the epoch)."""
        return {
            "nodeid": self.nodeid,
            "uri": self.uri,
            "line": self.line,
            "example_index": self.example_index,
            "started": self.started,
            "finished": self.finished,
            "steps": [
                {
                    "line": step.line,
                    "result": message_json(step.result),
                    "started": step.started,
                    "definition": message_json(step.definition),
                    "arguments": message_json(step.arguments),
                    "attachments": message_json(step.attachments),
                    "rivals": [
                        [message_json(definition), message_json(arguments)]
                        for definition, arguments in step.rivals
                    ],
                }
                for step in self.steps
            ],
            "hooks": [
                {
                    "phase": hook.phase,
                    "result": message_json(hook.result),
                    "source": message_json(hook.source),
                }
                for hook in self.hooks
            ],
            "attachments": message_json(self.attachments),
            "skip_reason": self.skip_reason,
            "worker": self.worker,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScenarioRun:
        return cls(
            nodeid=data["nodeid"],
            uri=data["uri"],
            line=data["line"],
            example_index=data["example_index"],
            started=int(data["started"]),
            finished=int(data["finished"]),
            steps=[
                StepRun(
                    line=step["line"],
                    result=message_from_json(step["result"], cm.TestStepResult),
                    started=None if step["started"] is None else int(step["started"]),
                    definition=message_from_json(step["definition"], cm.StepDefinition),
                    arguments=message_from_json(step["arguments"], cm.StepMatchArgumentsList),
                    attachments=_attachments(step["attachments"]),
                    rivals=[
                        (
                            message_from_json(definition, cm.StepDefinition),
                            message_from_json(arguments, cm.StepMatchArgumentsList),
                        )
                        for definition, arguments in step["rivals"]
                    ],
                )
                for step in data["steps"]
            ],
            hooks=[
                HookRun(
                    phase=hook["phase"],
                    result=message_from_json(hook["result"], cm.TestStepResult),
                    source=message_from_json(hook["source"], cm.SourceReference),
                )
                for hook in data["hooks"]
            ],
            attachments=_attachments(data["attachments"]),
            skip_reason=data["skip_reason"],
            worker=data["worker"],
        )


def _attachments(data: list[dict[str, Any]]) -> list[cm.Attachment]:
    return [message_from_json(item, cm.Attachment) for item in data]


def relative_uri(path: Path, rootpath: Path) -> str:
    """The path as Cucumber writes a uri: relative to the root, with forward slashes."""
    try:
        return path.relative_to(rootpath).as_posix()
    except ValueError:
        return path.as_posix()


def scenario_run_of(report: object) -> ScenarioRun | None:
    """The scenario run a report carries (only the teardown report of a scenario carries one)."""
    run = getattr(report, REPORT_ATTRIBUTE, None)
    return run if isinstance(run, ScenarioRun) else None
