"""Root pytest configuration: HQ's step vocabulary (the hq-spec plugin loads itself)."""

pytest_plugins = [
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
