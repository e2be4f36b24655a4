"""The failure a Then step raises: what HQ should have done against what it did, in plain words."""

from __future__ import annotations


class Mismatch(AssertionError):
    """A specification expectation that HQ did not meet."""

    def __init__(self, expected: str, observed: str) -> None:
        super().__init__(f"expected {expected}, but {observed}")
        self.expected = expected
        self.observed = observed


def expect(condition: bool, *, expected: str, observed: str) -> None:
    """Raise a Mismatch unless the condition holds."""
    if not condition:
        raise Mismatch(expected, observed)
