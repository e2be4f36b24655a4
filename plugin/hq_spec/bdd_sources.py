"""pytest plugin: pytest-bdd reads each feature file from the run's one parse of it, and its
tags are registered as markers then, before pytest-bdd marks a scenario with one."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hq_spec.bdd_internals import (
    GET_GHERKIN_DOCUMENT,
    PARSER_MODULE,
    gherkin_document_from,
    parsed_features,
    replace_for_session,
)
from hq_spec.feature_sources import sources_of
from hq_spec.gherkin_reading import FeatureUnreadable
from hq_spec.settings import Settings
from hq_spec.tags import register_tag_markers

UTF_8 = codecs.lookup("utf-8").name


def reading_from(config: pytest.Config, original: Callable[..., Any]) -> Callable[..., Any]:
    """pytest-bdd's get_gherkin_document, answered from the run's feature sources."""
    sources = sources_of(config)
    tags_file = Settings.from_pytest(config).tags_file

    def get_gherkin_document(abs_filename: str, encoding: str = "utf-8") -> Any:
        __tracebackhide__ = True
        if codecs.lookup(encoding).name != UTF_8:  # the sources read UTF-8, as Gherkin is written
            return original(abs_filename, encoding)
        try:
            parsed = sources.read(Path(abs_filename))
        except (FeatureUnreadable, OSError):
            # pytest-bdd words its own errors (its exception types, the line's text): a file it
            # cannot read is rare and costs a second parse only then.
            return original(abs_filename, encoding)
        register_tag_markers(config, (use.name for use in parsed.as_document().tags()), tags_file)
        return gherkin_document_from(parsed.document)

    return get_gherkin_document


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    original = getattr(PARSER_MODULE, GET_GHERKIN_DOCUMENT)
    replace_for_session(config, PARSER_MODULE, GET_GHERKIN_DOCUMENT, reading_from(config, original))
    # Features an earlier run in this process bound are not this run's: the files may have
    # changed since, and this run's stream numbers its own parse.
    parsed_features.clear()
