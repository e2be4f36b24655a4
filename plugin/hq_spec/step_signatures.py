"""Each step function's parameters, read once per function, for pytest-bdd too."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest

from hq_spec.bdd_internals import SCENARIO_MODULE, STEP_SIGNATURE_READERS, replace_for_session
from hq_spec.remembered import remembered

# pytest-bdd reads a step function's signature twice for every step it runs (which arguments the
# function takes, and which of them are fixtures): inspect.signature is one of the dearest parts
# of a simple step. A function's parameters do not change while pytest runs, so they are read
# once per function (the function object itself is the key: every step function is named `_`).
SIGNATURE, REQUIRED_ARGS = STEP_SIGNATURE_READERS


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
        # An unhashable callable is read every time, as pytest-bdd does.
        return remembered(self.signatures, function, self._signature)

    def required_args(self, function: Callable[..., object]) -> list[str]:
        names = remembered(self.required, function, self._required_names)
        return list(names)  # a list of its own, as pytest-bdd's gives

    def _required_names(self, function: Callable[..., object]) -> tuple[str, ...]:
        return tuple(self._required_args(function))


def install(config: pytest.Config) -> None:
    """Have pytest-bdd read each step function's signature once, for this session."""
    cache = SignatureCache(
        getattr(SCENARIO_MODULE, SIGNATURE), getattr(SCENARIO_MODULE, REQUIRED_ARGS)
    )
    replace_for_session(config, SCENARIO_MODULE, SIGNATURE, cache.signature)
    replace_for_session(config, SCENARIO_MODULE, REQUIRED_ARGS, cache.required_args)
