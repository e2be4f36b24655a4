"""Collect `.feature` files directly; a feature with an author's mistake is a collection error."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from hq_spec.check import Problem, check_document, parsed_or_problem
from hq_spec.clean_checks import CleanChecks, verdict_key
from hq_spec.feature_sources import ParsedFeature, sources_of
from hq_spec.settings import Settings
from hq_spec.tags import tag_meanings

# pytest-bdd binds each feature from the same parse the checks below read.
pytest_plugins = ["hq_spec.bdd_sources"]


class FeatureProblems(Exception):
    """A feature an author must fix before it can run (two scenarios with one name, a stray tag)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))


class FeatureModule(pytest.Module):
    """A test module made from one feature file: pytest-bdd binds each of its scenarios."""

    def _getobj(self) -> types.ModuleType:
        parsed = parsed_or_problem(self.path, sources_of(self.config))
        problems = [parsed] if isinstance(parsed, Problem) else problems_of(self.config, parsed)
        if problems:
            raise FeatureProblems(problems)
        module = types.ModuleType(f"feature:{self.path.stem}")
        module.__file__ = str(self.path)
        # scenarios() binds into its caller's namespace, so it is called from code executed in
        # this module's namespace; compiling it "in" the feature file keeps locations meaningful.
        source = f"from pytest_bdd import scenarios\nscenarios({str(self.path)!r})\n"
        exec(compile(source, str(self.path), "exec"), module.__dict__)  # noqa: S102 - our own code
        return module

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str:
        if isinstance(excinfo.value, FeatureProblems):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


CLEAN_CHECKS = pytest.StashKey[CleanChecks | None]()


def clean_checks_of(config: pytest.Config) -> CleanChecks | None:
    """Where this run remembers clean features: beside their parses (None: nowhere to keep them)."""
    if CLEAN_CHECKS not in config.stash:
        parses = sources_of(config).cache
        config.stash[CLEAN_CHECKS] = CleanChecks(parses.folder) if parses is not None else None
    return config.stash[CLEAN_CHECKS]


def problems_of(config: pytest.Config, parsed: ParsedFeature) -> list[Problem]:
    """What an author must fix in a feature; a feature found clean before, with nothing the checks
    read changed since, is not checked again."""
    settings = Settings.from_pytest(config)
    meanings = tag_meanings(config, settings.tags_file)
    records = clean_checks_of(config)
    listed = None if settings.tags_file is None else meanings.keys()
    key = verdict_key(parsed.text, settings.words_to_avoid, listed) if records else ""
    if records is not None and records.is_clean(parsed.uri, key):
        return []
    problems = list(check_document(parsed.as_document(), settings, meanings))
    if records is not None and not problems:
        records.remember_clean(parsed.uri, key)
    return problems


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> FeatureModule | None:
    if file_path.suffix == ".feature" and parent.config.getini("hq_spec_collect_features"):
        return FeatureModule.from_parent(parent, path=file_path)
    return None
