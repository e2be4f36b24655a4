"""The benchmark table a person reads, built from the results that go into bench.json."""

from __future__ import annotations

import math
from typing import Any

from bench.stats import verdict

# A broadcast to this many listeners reaches all of them, 99% within this many milliseconds.
FANOUT_TARGET_CLIENTS, FANOUT_TARGET_MS = 1000, 100.0


def rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, verdict) for every measured figure."""
    table: list[tuple[str, str, str, str]] = []
    factory = results.get("build_app", {})
    if factory:
        ok = factory["p99_ms"] < factory["target_ms"]
        value = f"median {factory['median_ms']:.4f} ms, p99 {factory['p99_ms']:.4f} ms"
        table.append(("build_app()", value, f"< {factory['target_ms']} ms", verdict(ok)))
    scenario = results.get("scenario", {})
    if scenario:
        value = f"median {scenario['median_ms']:.2f} ms, p99 {scenario['p99_ms']:.2f} ms"
        table.append(("one in-process scenario", value, "", ""))
    table += _scale_rows(results)
    for name, figure in (results.get("http") or {}).items():
        if name == "skipped":
            table.append(("HTTP under uvicorn", figure, "", ""))
            continue
        hq, base = figure["hq"], figure["baseline"]
        value = (
            f"HQ {hq['requests_per_second']:.0f} req/s "
            f"(p50 {hq['p50_ms']:.2f}, p99 {hq['p99_ms']:.2f} ms)"
            f" vs {base['requests_per_second']:.0f} = {figure['ratio']:.2f}"
        )
        ok = not math.isnan(figure["ratio"]) and figure["ratio"] >= figure["target"]
        table.append((name, value, f">= {figure['target']}", verdict(ok)))
    for row in results.get("comms_fanout") or []:
        value = f"p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, lost {row['lost']}"
        target, ok = "none lost", row["lost"] == 0
        if row["clients"] == FANOUT_TARGET_CLIENTS:
            target, ok = "none lost, p99 < 100 ms", ok and row["p99_ms"] < FANOUT_TARGET_MS
        table.append((f"comms to {row['clients']} clients", value, target, verdict(ok)))
    feed = results.get("feed", {})
    if feed:
        value = f"{feed['complete']}/{feed['readers']} complete in {feed['seconds']:.2f} s"
        table.append(
            (
                "status feed readers",
                value,
                "all complete",
                verdict(feed["complete"] == feed["readers"]),
            )
        )
    for row in results.get("roster_growth") or []:
        value = (
            f"list {row['list_rps']:.0f} req/s (p99 {row['list_p99_ms']:.1f} ms), "
            f"one {row['hero_rps']:.0f} req/s"
        )
        table.append((f"roster of {row['heroes']}", value, "", ""))
    for speedup in results.get("xdist") or []:
        if "speedup" in speedup:
            serial, parallel = speedup["serial_seconds"], speedup["parallel_seconds"]
            value = f"{serial:.1f} s -> {parallel:.1f} s = x{speedup['speedup']:.2f} (wall clock)"
            label = f"spec {speedup['mode']}, {speedup['workers']} workers"
            table.append((label, value, "", ""))
    return table


def _scale_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The generated specification beside plain pytest, and the whole specification."""
    table: list[tuple[str, str, str, str]] = []
    scaled = results.get("spec_vs_plain", {})
    if "ratio" in scaled:
        spec, plain, count = scaled["spec"], scaled["plain"], scaled["scenarios"]
        target_ms = scaled["target_ms_per_scenario"]
        ok = spec["ms_per_scenario"] < target_ms
        value = f"{spec['seconds']:.2f} s, {spec['ms_per_scenario']:.2f} ms each"
        table.append((f"{count} scenarios, one process", value, f"< {target_ms} ms", verdict(ok)))
        value = (
            f"{spec['seconds']:.2f} s vs {plain['seconds']:.2f} s plain (medians); "
            f"rounds' ratios {', '.join(f'{r:.2f}' for r in scaled.get('round_ratios', []))}: "
            f"median {scaled['ratio']:.2f}"
        )
        ok = scaled["ratio"] <= scaled["target_ratio"]
        target = f"<= {scaled['target_ratio']}"
        table.append((f"{count} scenarios / plain pytest", value, target, verdict(ok)))
    counted = results.get("spec_vs_plain_instructions", {})
    if "ratio" in counted:
        spec, plain = counted["spec_per_scenario"] / 1e6, counted["plain_per_scenario"] / 1e6
        value = (
            f"{spec:.2f} M vs {plain:.2f} M plain, instructions a scenario "
            f"= {counted['ratio']:.2f} (valgrind)"
        )
        # The target is the time ratio's (above); this count is its steadier companion.
        table.append(("one more scenario / plain pytest", value, "", ""))
    elif "skipped" in counted:
        table.append(("one more scenario / plain pytest", counted["skipped"], "", ""))
    whole = results.get("whole_spec", {})
    if whole:
        value = f"{whole['passed']} scenarios in {whole['seconds']:.2f} s"
        ok = whole["seconds"] < whole["target_seconds"]
        table.append(("whole specification", value, f"< {whole['target_seconds']} s", verdict(ok)))
    for row in results.get("spec_growth") or []:
        value = (
            f"{row['ms_per_scenario']:.2f} ms each; living docs {row['docs_bytes'] / 1e6:.1f} MB "
            f"in {row['docs_render_seconds']:.1f} s"
        )
        table.append((f"spec of {row['scenarios']} scenarios", value, "", ""))
    return table


def render(results: dict[str, Any]) -> str:
    table = rows(results)
    widths = [max(len(row[i]) for row in table) for i in range(4)] if table else [0] * 4
    lines = []
    for row in table:
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return "\n".join(lines)
