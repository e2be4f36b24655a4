"""`python -m tests.hardening.reliability`: run the hardening suite and write docs/RELIABILITY.md."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "RELIABILITY.md"
# What each family of tests shows, in a sentence: only what its tests check.
FAMILIES = {
    "test_contract_fuzz": "schemathesis drives every operation of HQ's own OpenAPI document "
    "in-process: no 5xx, responses conform, every error is the envelope",
    "test_session_properties": "forged, truncated, re-signed, oversized, duplicated and mis-cased "
    "cookies are anonymous; logins and logouts in any order never cross identities",
    "test_comms_hostile": "hostile comms frames (garbage, oversized, binary, deep nesting, huge "
    "numbers, lone surrogates) get an error frame, the sender stays connected, others are "
    "untouched, the log stays quiet; abrupt disconnects leave no ghosts",
    "test_hostile_input": "over raw sockets: no answer to any number of trailing slashes is a "
    "redirect or built from Host; badges with surrounding whitespace count; invisible, control, "
    "format and bidi names are refused in words",
    "test_load": "concurrent recruits, broadcasts and logins over loopback: nothing lost or mixed",
    "test_limits": "the roster, mission log, sessions, body size and comms clients stay within "
    "their limits and refuse clearly past them",
    "test_front_door": "hero-hq serve: safe uvicorn settings, compression declined, a huge "
    "message refused from its header, 24 unfinished huge messages hold no memory; the command "
    "line refuses what it cannot honour",
    "test_stalled_clients": "a listener dropped as stalled loses its socket and send queue; a "
    "close the client never answers is cut short; "
    "SIGTERM exits within 5 s despite a comms client or a 5 MB roster reader that never reads",
    "test_fast_talkers": "a talker flooding comms is held to its chat rate, and listeners "
    "reading at twice that rate hear every chat broadcast, none dropped",
    "test_shutdown": "SIGTERM with feed and comms clients connected ends cleanly within 5 s",
    "test_production_settings": "a bad environment stops hero-hq serve in one line; production "
    "refuses dev defaults, the published badge and short secrets, and marks its cookie Secure",
    "test_floods": "against hero-hq serve: of 200 logins from one client only the documented 30 a minute get "
    "through, logging nobody out; 50 racing logins with one pass rotate it once; of 200 "
    "dispatches only the documented 60 a minute get through",
    "test_wheel": "the built wheel, installed alone in a fresh venv, serves /docs",
}
# What these families found (each a failure of the test written for it), and how it was fixed.
FINDINGS = [
    "Contract fuzzing: the document described the feed as a plain string; each event is now "
    "documented as an object with `event` and `data`.",
    "Contract fuzzing: a dispatch naming a control character (\\x1f) was refused though the "
    "document allowed it; the hero is now checked like a name, and the document publishes the rule "
    "as the field's pattern.",
    "Contract fuzzing: JSON Schema counts 9001.0 as an integer, HQ deliberately does not; the "
    "document now says so in the field's description, and the fuzzer sends whole numbers.",
    "Hostile comms: a burst of more than 256 frames from one client got that client dropped as "
    "stalled; the sender now waits for its own error frames, and delivery runs between frames.",
]
# Round two (issue 14): an attack over loopback found these; each test failed before its fix.
ROUND_TWO = [
    "`test_front_door`: a 16 MiB message of one letter crossed the wire as ~16 KB (per-message "
    "deflate) and uvicorn held all of it (its 16 MiB cap) before HQ's 64 KiB check; 24 clients "
    "doing it grew HQ from 45 to 856 MiB. Now `hero-hq serve` declines compression and refuses "
    "a message over 128 KiB from its header (close 1009).",
    "`test_stalled_clients`: a comms client that never reads, or a never-read `GET /heroes/` of "
    "5 MB, kept HQ running 20 s after SIGTERM; a listener closed with 1008 kept its socket and "
    "~2.8 MB of send queue. Now a 3 s graceful-shutdown bound, and a WebSocket that stops reading "
    "for 2 s, or does not finish closing in 1 s, is reset (its queue freed at once).",
    "`test_comms_hostile`: `[` x 60000, a chat 5000 levels deep, a 5000-digit number and lone "
    "surrogates ended the sender's connection (1006) with a traceback each. Now pydantic's bounded "
    "parser answers each with an error frame; a frame HQ fails on costs one log line.",
    "`test_floods` (and `tests/test_hero_hq.py`): 10,000 logins from one client evicted everybody's "
    "passes, and one pass started any number of sessions. Now logins are held to "
    "`HQ_LOGINS_PER_MINUTE` per client (429 with Retry-After); rotating a live pass is free and "
    "only one racing login can rotate it.",
    "`test_fast_talkers`: one client's 3000 chats got five listeners reading 200 a second dropped "
    "(1008), ~1,100 messages lost each. Now `HQ_CHATS_PER_SECOND` per connection, and a sender "
    "is not read while its own backlog is half full.",
    "`test_production_settings`, `tests/test_settings.py`: `HQ_ENV=prod` ran in development, "
    "`HQ_COOKIE_SECURE=ture` meant off. Now every value is parsed by pydantic-settings and refused "
    "in one line; production refuses the published badge and secrets under 32 bytes.",
    "`test_hostile_input`: `GET /status//` with `Host: evil.example` answered 307 to "
    "`http://evil.example/status`. Now every trailing slash is folded and Starlette's slash "
    "redirect is off.",
    "`test_hostile_input`: names made of U+200B, U+2060, U+FEFF, U+2800, U+180E, NUL or U+202E "
    "were recruited. Now 422 `must not be blank` or `must not contain control, format or "
    "bidirectional characters (found U+...)`.",
    "`test_floods` (and `tests/test_hero_hq.py`, which counts serialisations): 10,000 dispatches with 100-emoji names rebuilt a 4 MB body per "
    "read. Now dispatches are held to `HQ_DISPATCHES_PER_MINUTE` per client and the log is "
    "serialised once per change (per read with a shared Redis store).",
    "`test_hostile_input`: a badge with a leading space was accepted and a trailing one refused. "
    "Now whitespace around a badge is stripped on both sides, as for `HQ_BADGES`.",
    "`test_wheel`: the wheel packaged a `static/` that does not exist and not `templates/`, so "
    "an installed HQ answered `/docs` with 500. Now it ships its template.",
]
_EXAMPLES = re.compile(r"(\d+) passing, (\d+) failing")


@dataclass
class Family:
    tests: int = 0
    failures: int = 0
    cases: int = 0
    measured: list[str] = field(default_factory=list)


class Counter:
    """A pytest plugin that counts, per test module, the tests, cases tried and failures."""

    def __init__(self) -> None:
        self.families: dict[str, Family] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        family = self.families.setdefault(item.path.stem, Family())
        if report.when == "call" or (report.when == "setup" and report.failed):
            family.tests += 1
            family.failures += int(report.failed)
        elif report.when == "teardown":
            # hypothesis notes its statistics on the item by the time the test is torn down
            statistics = getattr(item, "hypothesis_statistics", "")
            examples = sum(int(p) + int(f) for p, f in _EXAMPLES.findall(statistics))
            recorded = sum(int(v) for k, v in item.user_properties if k == "cases")
            family.measured += [str(v) for k, v in item.user_properties if k == "measured"]
            family.cases += examples or recorded or 1
        return report


def render(families: dict[str, Family], exit_code: int) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Reliability evidence",
        "",
        f"Written by `python -m tests.hardening.reliability` on {stamp} (pytest exit code {exit_code}).",
        "Each family is a module of `tests/hardening/`; it also runs in every `make test`.",
        "Cases tried counts hypothesis and schemathesis examples, or the operations a load test",
        "performed, or 1 per plain test.",
        "",
        "| family | what it shows | tests | cases tried | failures in this run |",
        "|---|---|---|---|---|",
    ]
    for name, family in sorted(families.items()):
        lines.append(
            f"| `{name}` | {FAMILIES.get(name, '')} | {family.tests} | {family.cases} | {family.failures} |"
        )
    lines += ["", "## Measured in this run", ""]
    lines += [
        f"- `{name}`: {measure}"
        for name, family in sorted(families.items())
        for measure in family.measured
    ]
    lines += ["", "## Found and fixed while writing these tests", ""]
    lines += [f"- {finding}" for finding in FINDINGS]
    lines += ["", "## Round two: the attacks that got through (issue 14), each now a test", ""]
    lines += [f"- {finding}" for finding in ROUND_TWO]
    return "\n".join(lines) + "\n"


def main() -> int:
    counter = Counter()
    exit_code = pytest.main(
        [str(ROOT / "tests" / "hardening"), "-q", "-p", "no:xdist", "-p", "no:cacheprovider"],
        plugins=[counter],
    )
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(render(counter.families, int(exit_code)), encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return int(exit_code)


if __name__ == "__main__":
    sys.exit(main())
