"""Drawing how HQ's costs grow, as PNG files beside bench.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen here: draw straight to files
import matplotlib.pyplot as plt  # the backend must be chosen first


def draw(results: dict[str, Any], folder: Path) -> list[Path]:
    written = []
    growth = results.get("roster_growth") or []
    if growth:
        figure, axis = plt.subplots(figsize=(6, 4))
        sizes = [row["heroes"] for row in growth]
        axis.plot(sizes, [row["list_rps"] for row in growth], marker="o", label="GET /heroes/")
        axis.plot(sizes, [row["hero_rps"] for row in growth], marker="o", label="GET /heroes/1")
        axis.set(xscale="log", yscale="log", xlabel="heroes on the roster", ylabel="requests/s")
        axis.set_title("Throughput as the roster grows")
        axis.legend()
        written.append(_save(figure, folder / "bench-roster-growth.png"))
    fanout = results.get("comms_fanout") or []
    if fanout:
        figure, axis = plt.subplots(figsize=(6, 4))
        clients = [row["clients"] for row in fanout]
        axis.plot(clients, [row["p50_ms"] for row in fanout], marker="o", label="p50")
        axis.plot(clients, [row["p99_ms"] for row in fanout], marker="o", label="p99")
        axis.set(xscale="log", xlabel="connected comms clients", ylabel="delivery latency (ms)")
        axis.set_title("Comms fan-out latency as clients grow")
        axis.legend()
        written.append(_save(figure, folder / "bench-comms-fanout.png"))
    written += _spec_growth(results.get("spec_growth") or [], folder)
    return written


def _spec_growth(rows: list[dict[str, Any]], folder: Path) -> list[Path]:
    """Time per scenario, and the living documentation's size and render time, against N."""
    if not rows:
        return []
    sizes = [row["scenarios"] for row in rows]
    figure, (cost, docs) = plt.subplots(1, 2, figsize=(11, 4))
    cost.plot(sizes, [row["ms_per_scenario"] for row in rows], marker="o")
    cost.set(xscale="log", xlabel="scenarios", ylabel="ms per scenario", ylim=(0, None))
    cost.set_title("Time per scenario as the specification grows")
    docs.plot(sizes, [row["docs_bytes"] / 1e6 for row in rows], marker="o", label="size (MB)")
    docs.plot(sizes, [row["docs_render_seconds"] for row in rows], marker="o", label="render (s)")
    docs.set(xscale="log", yscale="log", xlabel="scenarios")
    docs.set_title("Living documentation as the specification grows")
    docs.legend()
    return [_save(figure, folder / "bench-spec-growth.png")]


def _save(figure: Any, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
