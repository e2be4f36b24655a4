"""Which module binds a scenario, found without working out where in its code the call is."""

from __future__ import annotations

import inspect
import sys

import pytest

from hq_spec.bdd_internals import CALLER_MODULE_PATH, SCENARIO_MODULE, replace_for_session


def caller_module_path(depth: int = 2) -> str:
    """pytest-bdd's get_caller_module_path, same answer: the file of the frame `depth` up.

    pytest-bdd asks inspect.getframeinfo, which also works out the call's position in its code
    (walking the code's position table) only to drop it: once for every scenario bound, a fifth
    of collecting a large feature. The file is what getframeinfo takes it to be.
    """
    frame = sys._getframe(depth)
    return inspect.getsourcefile(frame) or inspect.getfile(frame)


def install(config: pytest.Config) -> None:
    """Have pytest-bdd find the binding module this way, for this session."""
    replace_for_session(config, SCENARIO_MODULE, CALLER_MODULE_PATH, caller_module_path)
