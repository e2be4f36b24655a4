"""The living documentation at scale: `hq-spec report`'s time and the page's size, from a stream of
generated scenarios (10,000 in a full run). The page's own figures in Chromium (opens in under a
second, a keystroke in under 100 ms) are measured by plugin/tests/test_living_docs_browser.py."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import verdict
from hq_spec.report import write_report

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0  # "a few seconds at most"


def measure(scenarios: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "plugin" / "tests"))
    from big_stream import write_stream  # the scale test's generator: one stream for both

    with tempfile.TemporaryDirectory() as folder:
        stream = write_stream(Path(folder) / "messages.ndjson", scenarios)
        started, cpu = time.perf_counter(), time.process_time()
        index = write_report(
            stream, Path(folder) / "site", features_dir=Path(folder) / "features", glossary=[],
            openapi={"paths": {"/gadgets/{number}": {"put": {"responses": {"201": {}}}}}},
        )  # fmt: skip
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return {
            "scenarios": scenarios,
            "stream_mb": round(stream.stat().st_size / 1e6, 1),
            "report_seconds": round(seconds, 2),
            "report_cpu_seconds": round(cpu, 2),  # apart from what other processes took
            "page_mb": round(index.stat().st_size / 1e6, 2),
            "target_seconds": TARGET_SECONDS,
        }


def render(results: dict[str, Any]) -> str:
    judged = verdict(results["report_seconds"] < TARGET_SECONDS)
    return (
        f"\nLiving documentation of {results['scenarios']:,} scenarios "
        f"({results['stream_mb']} MB of messages)\n"
        f"  hq-spec report               {results['report_seconds']:.2f} s "
        f"({results['report_cpu_seconds']:.2f} s of CPU), page {results['page_mb']} MB   "
        f"target < {TARGET_SECONDS:.0f} s   {judged}"
    )
