"""Tooling around HQ's executable specification: authoring checks, reporters, living docs."""
