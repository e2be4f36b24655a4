"""The pytest11 entry point: loads every part of the plugin, so installing hq-spec is enough."""

from __future__ import annotations

# Each part is a plugin of its own, so a project (or a test) can still load just one with `-p`.
pytest_plugins = [
    "hq_spec.settings",
    "hq_spec.bdd_sources",
    "hq_spec.bdd_reports",
    "hq_spec.garbage_collection",
    "hq_spec.feature_files",
    "hq_spec.authoring_plugin",
    "hq_spec.messages_plugin",
    "hq_spec.console",
]
