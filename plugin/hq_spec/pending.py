"""Pending steps: a step whose definition exists but whose behaviour is not written yet."""

from __future__ import annotations

from typing import NoReturn


class Pending(Exception):
    """Raised by a step definition not implemented yet; reported as *pending*, not failed."""

    def __init__(self, reason: str = "this step is not implemented yet") -> None:
        super().__init__(reason)
        self.reason = reason


def pending(reason: str = "this step is not implemented yet") -> NoReturn:
    """Mark the current step as pending, with a plain-language reason."""
    raise Pending(reason)
