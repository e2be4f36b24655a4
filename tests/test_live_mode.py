"""`--hq-server`: the specification against a server started from a command, and its failures."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

from hq_spec.evidence import EVIDENCE_MEDIA_TYPE
from tests.spec_run import run_features

PYTHON = shlex.quote(sys.executable)
UVICORN = f"{PYTHON} -m uvicorn hero_hq.main:app --port {{port}}"
FIRST_RECRUIT = "the_first_recruit_becomes_hero_number_1"


def run_spec(server: str, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """One specification run against `server`; its result and how long it took."""
    started = time.monotonic()
    completed = run_features("--hq-server", server, *args)
    return completed, time.monotonic() - started


def test_a_command_without_a_port_is_refused_before_anything_runs() -> None:
    completed, _ = run_spec(f"{PYTHON} -m uvicorn hero_hq.main:app", "-q")
    assert completed.returncode == 4  # pytest's usage error
    assert "--hq-server needs a command containing {port}" in completed.stderr


def test_a_server_that_exits_at_once_fails_the_run_with_its_own_words() -> None:
    server = f"{PYTHON} -c \"raise SystemExit('cannot bind port {{port}}: it is taken')\""
    completed, _ = run_spec(server, "-q", "-m", "smoke")
    assert completed.returncode == 1
    assert "exited with code 1 before accepting connections" in completed.stdout
    assert "cannot bind port" in completed.stdout
    # every later scenario fails at once with the same explanation, none waits again
    assert "HQ's server never started for an earlier scenario" in completed.stdout


def test_a_server_that_never_listens_on_its_port_fails_fast() -> None:
    # Listens nowhere, as a server on the wrong port would: nothing accepts on {port}.
    server = f'{PYTHON} -c "import time; time.sleep(60)" {{port}}'
    completed, seconds = run_spec(server, "-q", "-m", "smoke", "--hq-server-wait", "1")
    assert completed.returncode == 1
    assert "did not accept connections on 127.0.0.1:" in completed.stdout
    assert "within 1 s (does it listen on {port}?)" in completed.stdout
    assert "HQ's server never started for an earlier scenario" in completed.stdout
    assert seconds < 30, "one startup deadline for the whole run, not one per scenario"


def test_the_specification_passes_against_a_server_started_from_a_command() -> None:
    completed, _ = run_spec(UVICORN, "-q", "-m", "smoke")
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert " passed" in completed.stdout.splitlines()[-1]
    assert "failed" not in completed.stdout.splitlines()[-1]


def test_a_failing_scenario_shows_the_servers_output() -> None:
    # An HQ that accepts other badges than the quartermaster's turns the first recruit away.
    server = f"env HQ_BADGES=another-badge {UVICORN} --log-level info"
    completed, _ = run_spec(server, "-q", "-k", FIRST_RECRUIT)
    assert completed.returncode == 1
    assert "HQ server output" in completed.stdout
    assert '"POST /heroes/ HTTP/1.1" 403' in completed.stdout


def _evidence(messages: Path) -> list[tuple[str, str | None, str]]:
    """(kind, actor, summary) of every evidence attachment in a Cucumber Messages stream."""
    found = []
    for line in messages.read_text().splitlines():
        attachment = json.loads(line).get("attachment")
        if attachment and attachment["mediaType"] == EVIDENCE_MEDIA_TYPE:
            body = json.loads(attachment["body"])
            found.append((body["kind"], body.get("actor"), body["summary"]))
    return found


def test_live_evidence_is_recorded_exactly_as_in_process(tmp_path: Path) -> None:
    scenarios = "logging_out_revokes_the_pass or each_hear_a_message_exactly_once"
    runs = {}
    for mode, server in (("in-process", None), ("live", UVICORN)):
        messages = tmp_path / f"{mode}.ndjson"
        args = ("-q", "-k", scenarios, f"--cucumber-messages={messages}")
        completed = run_features(*args) if server is None else run_spec(server, *args)[0]
        assert completed.returncode == 0, completed.stdout[-3000:]
        runs[mode] = _evidence(messages)
    kinds = {kind for kind, _, _ in runs["live"]}
    assert {"http", "comms"} <= kinds, kinds
    assert runs["live"] == runs["in-process"]
