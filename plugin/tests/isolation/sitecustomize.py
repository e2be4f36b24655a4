"""Loaded by Python at start-up from PYTHONPATH: every process of the plugin's tests refuses HQ."""

import refuse_hero_hq  # noqa: F401
