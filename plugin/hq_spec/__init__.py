"""hq-spec: authoring checks, reporters and living documentation for pytest-bdd projects."""

# pytest arguments for a run of a specification alone, where schemathesis and hypothesis are
# installed for other suites: their imports cost seconds in every process and xdist worker.
SPEC_ONLY_ARGS = ("-p", "no:schemathesis", "-p", "no:hypothesispytest")
