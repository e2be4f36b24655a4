"""Evidence kinds: a project that lists its kinds has a misspelt kind refused where it is recorded."""

from __future__ import annotations

import pytest

from hq_spec.evidence import Evidence, EvidenceLog, UnknownEvidenceKind

pytest_plugins = ["pytester"]

STEPS = '''
"""Toy steps that record evidence."""
from pytest_bdd import given

from hq_spec.evidence import Evidence, evidence_log


@given("Volt calls HQ")
def _(request):
    """Volt calls HQ, and the call is kept as evidence."""
    evidence_log(request.node).record(Evidence("htp", "Volt", "GET / -> 200", {}))
'''
FEATURE = """Feature: Calls
  Scenario: Volt calls
    Given Volt calls HQ
"""


def test_a_kind_the_project_does_not_list_is_refused() -> None:
    log = EvidenceLog(kinds=("http", "feed"))
    with pytest.raises(UnknownEvidenceKind, match="'htp' is not one of hq_spec_evidence_kinds"):
        log.record(Evidence("htp", "Volt", "GET / -> 200", {}))
    assert log.history == []
    log.record(Evidence("http", "Volt", "GET / -> 200", {}))
    assert [e.kind for e in log.history] == ["http"]


def test_without_listed_kinds_any_kind_is_kept() -> None:
    log = EvidenceLog()
    log.record(Evidence("telepathy", None, "a thought", {}))
    assert [e.kind for e in log.history] == ["telepathy"]


def test_the_configured_kinds_apply_in_a_run(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["toy_steps"]\n')
    pytester.makepyfile(toy_steps=STEPS)
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "calls.feature").write_text(FEATURE)
    pytester.makeini(
        "[pytest]\nhq_spec_collect_features = true\nhq_spec_step_modules = toy_steps\n"
        "hq_spec_evidence_kinds =\n    http\n    feed\n"
    )
    result = pytester.runpytest("features")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*'htp' is not one of hq_spec_evidence_kinds (http, feed)*"])
