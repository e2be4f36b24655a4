"""The Redis-beside-memory benchmark reports ratios from the same run, and says why it was skipped."""

from __future__ import annotations

from bench import store_modes


def test_the_table_shows_each_operation_beside_memory_with_its_ratio() -> None:
    results = {
        "client": "wrk, 16 connections",
        "operations": [
            {"operation": "GET a hero", "memory_rps": 1000, "redis_rps": 800, "ratio": 0.8,
             "memory_p50_ms": 1.0, "redis_p50_ms": 1.2},
        ],
        "comms_fanout": {"listeners": 50, "memory_one_desk_p50_ms": 2.0,
                         "redis_two_desks_p50_ms": 4.0, "ratio": 0.5},
    }  # fmt: skip
    table = store_modes.render(results)
    assert "  GET a hero                1000          800   0.80" in table
    assert "p50 2.0 ms in memory (one desk), 4.0 ms on Redis across two desks (ratio 0.50)" in table


def test_without_redis_server_the_section_says_why() -> None:
    rendered = store_modes.render({"skipped": "redis-server is not on PATH"})
    assert rendered == "\nRedis beside memory: skipped (redis-server is not on PATH)"
