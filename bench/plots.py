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
    return written


def _save(figure: Any, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
