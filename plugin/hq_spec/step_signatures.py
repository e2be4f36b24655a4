"""Each step function's parameters, read once per function, for pytest-bdd too."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from hq_spec.bdd_internals import STEP_SIGNATURE_READERS

# pytest-bdd reads a step function's signature twice for every step it runs (which arguments the
# function takes, and which of them are fixtures): inspect.signature is one of the dearest parts
# of a simple step. A function's parameters do not change while pytest runs, so they are read
# once per function (the function object itself is the key: every step function is named `_`).
# pytest_bdd.scenario, as an attribute, is pytest-bdd's scenario() function, not its module.
SCENARIO_MODULE = importlib.import_module("pytest_bdd.scenario")
SIGNATURE, REQUIRED_ARGS = STEP_SIGNATURE_READERS
ORIGINALS = pytest.StashKey[dict[str, Any]]()


class SignatureCache:
    """inspect.signature and pytest-bdd's get_required_args, remembered per function."""

    def __init__(
        self,
        signature: Callable[[Callable[..., object]], inspect.Signature],
        required_args: Callable[[Callable[..., object]], list[str]],
    ) -> None:
        self._signature = signature
        self._required_args = required_args
        self.signatures: dict[Callable[..., object], inspect.Signature] = {}
        self.required: dict[Callable[..., object], tuple[str, ...]] = {}

    def signature(self, function: Callable[..., object]) -> inspect.Signature:
        try:
            return self.signatures[function]
        except KeyError:
            found = self.signatures[function] = self._signature(function)
            return found
        except TypeError:  # an unhashable callable: read it every time, as pytest-bdd does
            return self._signature(function)

    def required_args(self, function: Callable[..., object]) -> list[str]:
        try:
            names = self.required[function]
        except KeyError:
            names = self.required[function] = tuple(self._required_args(function))
        except TypeError:
            return self._required_args(function)
        return list(names)  # a list of its own, as pytest-bdd's gives


def install(config: pytest.Config) -> SignatureCache:
    """Have pytest-bdd read each step function's signature once, for this session."""
    originals = {name: getattr(SCENARIO_MODULE, name) for name in (SIGNATURE, REQUIRED_ARGS)}
    config.stash[ORIGINALS] = originals
    cache = SignatureCache(originals[SIGNATURE], originals[REQUIRED_ARGS])
    setattr(SCENARIO_MODULE, SIGNATURE, cache.signature)
    setattr(SCENARIO_MODULE, REQUIRED_ARGS, cache.required_args)
    return cache


def uninstall(config: pytest.Config) -> None:
    for name, original in config.stash.get(ORIGINALS, {}).items():
        setattr(SCENARIO_MODULE, name, original)
