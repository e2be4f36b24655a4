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


OBSERVED_TABLE_HEADING = "Observed table:"


def gherkin_table(rows: list[list[str]]) -> str:
    """Rows in Gherkin's table notation, cells padded to line up."""
    escaped = [[c.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n") for c in row]
               for row in rows]  # fmt: skip
    widths = [max((len(row[i]) for row in escaped if i < len(row)), default=0)
              for i in range(max((len(row) for row in escaped), default=0))]  # fmt: skip
    return "\n".join(
        "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |"
        for row in escaped
    )


class TableMismatch(Mismatch):
    """A step's data table that what it observed did not match; the page shows the two as a diff.

    `observed_rows` is the observed table in the shape of the step's own (header row included).
    """

    def __init__(self, expected: str, observed: str, observed_rows: list[list[str]]) -> None:
        table = gherkin_table(observed_rows)
        super().__init__(expected, f"{observed}\n{OBSERVED_TABLE_HEADING}\n{table}")
        self.observed_rows = observed_rows
