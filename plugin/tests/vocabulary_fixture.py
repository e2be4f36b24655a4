"""A step vocabulary written to a fresh module for one test, loaded in this process."""

from __future__ import annotations

import sys
import textwrap
import uuid
from pathlib import Path

from hq_spec.engine import Vocabulary
from hq_spec.settings import Settings

CAST_STEPS = '''
"""Toy identity steps: a cast of actors, and a roster."""
from pytest_bdd import given, parsers, then, when


def actor(text):
    """Someone in the scenario."""
    return text


actor.pattern = r"(?:the quartermaster|an anonymous visitor|[A-Z][a-z]+)"
TYPES = {"Actor": actor}


@when(parsers.parse("{who:Actor} logs out", extra_types=TYPES))
def _(who):
    """Someone logs out."""
    assert who


@when(parsers.parse("{who:Actor} logs in", extra_types=TYPES))
def _(who):
    """Someone logs in."""
    assert who


@given("the roster is empty")
def _():
    """Nobody has joined."""


@then(parsers.parse("the roster lists {names} in that order"))
def _(names):
    """The roster shows exactly these heroes, in order."""
    assert names


@then("the roster lists nobody")
def _():
    """The roster is empty."""
'''

FEATURE = """Feature: Identity
  Scenario: Logging out
    Given the roster is empty
    When Volt logs in
    And Volt logs out
    Then the roster lists Volt and Tide in that order
    And the roster lists nobody
"""


def load(tmp_path: Path, steps: str = CAST_STEPS, feature: str = FEATURE) -> Vocabulary:
    """Write the steps as a uniquely named module (so tests never share one) and load them."""
    module = f"toy_vocabulary_{uuid.uuid4().hex}"
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(steps))
    features = tmp_path / "features" / "identity"
    features.mkdir(parents=True)
    (features / "identity.feature").write_text(feature)
    (tmp_path / "pytest.ini").write_text(f"[pytest]\nhq_spec_step_modules = {module}\n")
    try:
        return Vocabulary.load(tmp_path, Settings.from_project(tmp_path))
    finally:
        sys.path.remove(str(tmp_path))
