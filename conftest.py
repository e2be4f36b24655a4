"""Root pytest configuration: HQ's specification plugins and its step vocabulary."""

pytest_plugins = [
    "hq_spec.feature_files",
    "hq_spec.authoring_plugin",
    "hq_spec.messages_plugin",
    "hq_spec.console",
    "steps.fixtures",
    "steps.roster",
    "steps.guard",
    "steps.paperwork",
    "steps.identity",
    "steps.feed",
    "steps.dispatch",
    "steps.comms",
    "steps.operations",
    "steps.desks",
]
