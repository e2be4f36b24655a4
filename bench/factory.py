"""The cost of a fresh HQ: build_app() alone, and one in-process scenario from start to finish."""

from __future__ import annotations

import time
from typing import Any

from hero_hq.main import build_app
from hero_hq.settings import Settings
from hq_spec.evidence import EvidenceLog
from steps.support.agency import Agency
from steps.support.cast import Cast
from steps.support.in_process import InProcessHQ

TARGET_MS = 0.5


def _timed_ms(action: Any, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def build_app_samples(repeat: int) -> list[float]:
    Settings.from_env()  # the first read of the environment is not what a scenario pays
    return _timed_ms(build_app, repeat)


def _one_scenario() -> None:
    """What a typical scenario costs: a fresh started HQ, a recruit, a look-up, shutdown."""
    connection = InProcessHQ(build_app(), EvidenceLog())
    agency = Agency(connection, Cast("hq-badge-007"))
    agency.recruit_persona(agency.cast["the quartermaster"], "Volt")
    agency.look_up(agency.cast["a visitor"], "1")
    connection.close()


def scenario_samples(repeat: int) -> list[float]:
    return _timed_ms(_one_scenario, repeat)
