"""pytest plugin: pytest-bdd's own scenario reports, built only when its reporters read them."""

from __future__ import annotations

import pytest

from hq_spec.bdd_internals import (
    REPORTING_MODULE,
    SCENARIO_REPORT_BUILDERS,
    replace_for_session,
)


def _not_built(*_args: object, **_kwargs: object) -> None:
    """Stands in for one of pytest-bdd's report builders while nothing reads their reports."""


def scenario_reports_read(config: pytest.Config) -> bool:
    """Whether pytest-bdd's cucumber JSON or its own terminal reporter is on: the only readers of
    the scenario reports pytest-bdd builds (hq_spec's console takes the terminal option over)."""
    return bool(config.getoption("cucumber_json_path", None)) or bool(
        config.getoption("gherkin_terminal_reporter", False)
    )


# Last, so that hq_spec.console has already taken --gherkin-terminal-reporter over if it does.
@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # pytest-bdd builds a report of every scenario for its own reporters, step by step, and
    # serialises it after each of the test's three phases, whether or not anything reads it: at
    # thousands of scenarios that is a tenth of the specification's own cost, and every report
    # stays alive until the session ends. The recorder keeps hq_spec's own account of each step.
    if scenario_reports_read(config):
        return
    for name in SCENARIO_REPORT_BUILDERS:
        replace_for_session(config, REPORTING_MODULE, name, _not_built)
