"""Root pytest configuration: HQ's specification plugins and its step vocabulary."""

pytest_plugins = [
    "hq_spec.authoring_plugin",
    "hq_spec.messages_plugin",
    "hq_spec.console",
]
