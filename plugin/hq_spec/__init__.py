"""Tooling around HQ's executable specification: authoring checks, reporters, living docs."""

# pytest arguments for a run of the specification alone: it needs neither hardening plugin
# (schemathesis, hypothesis), and their imports cost seconds in every process and xdist worker.
SPEC_ONLY_ARGS = ("-p", "no:schemathesis", "-p", "no:hypothesispytest")
