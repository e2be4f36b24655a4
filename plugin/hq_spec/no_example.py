"""A scenario that is no outline's row renders with one empty example, set up once a session.

pytest-bdd's test of a scenario takes the Examples row it runs as a fixture; for a scenario that
is not an outline's, pytest-bdd's own fixture gives an empty dict, set up and torn down for every
scenario like any function-scoped fixture (its hooks, its finalizer): a measurable share of a
simple scenario's cost. This one is the same empty example, read-only, once for the session. An
outline's rows are still given to each of its tests by pytest-bdd's parametrization, which takes
precedence over any fixture of the name.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from types import MappingProxyType

import pytest

from hq_spec.bdd_internals import EXAMPLE_PARAMETER

PLUGIN_NAME = "hq_spec.no_example"


@pytest.fixture(scope="session", name=EXAMPLE_PARAMETER)
def no_example() -> Mapping[str, object]:
    """The empty example every scenario that is no outline's row renders with."""
    return MappingProxyType({})


def install(config: pytest.Config) -> None:
    """Give this session's scenarios the shared empty example: this module is registered as a
    plugin after pytest-bdd, so that its definition of the fixture is the one used."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(sys.modules[__name__], PLUGIN_NAME)
