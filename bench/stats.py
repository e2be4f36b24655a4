"""Small statistics for benchmark samples: percentiles, summaries, ratios and verdicts."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of the samples fall (nearest rank; 0 for no samples)."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


def summary(samples: Sequence[float]) -> dict[str, float]:
    """Median, p99 and count of a list of samples."""
    return {
        "median": statistics.median(samples) if samples else 0.0,
        "p99": percentile(samples, 0.99),
        "count": float(len(samples)),
    }


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def verdict(ok: bool | None) -> str:
    """How a figure stands against its target, as every table of the benchmark says it."""
    return "" if ok is None else ("meets target" if ok else "MISSES TARGET")
