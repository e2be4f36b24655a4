"""The plugin's ini options: their names, meanings and defaults, read by pytest and by `hq-spec`."""

from __future__ import annotations

import configparser
import importlib
import json
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

OptionKind = Literal["string", "linelist", "bool"]


@dataclass(frozen=True)
class Option:
    """One ini option: its name in `[tool.pytest.ini_options]`, what it means, its default."""

    name: str
    help: str
    kind: OptionKind
    default: str | tuple[str, ...] | bool


DEFAULT_SNIPPET = (
    "@$decorator($step_parser)\n"
    "def _($parameters) -> None:\n"
    '    """Say in plain words what this step does."""\n'
    "    raise NotImplementedError\n"
)

OPTIONS = (
    Option(
        "hq_spec_step_modules",
        "the modules that define the step vocabulary (imported by hq-spec, and where the "
        "snippet for a new phrase says it belongs)",
        "linelist",
        (),
    ),
    Option(
        "hq_spec_features",
        "the folder of .feature files (default: bdd_features_base_dir, else 'features')",
        "string",
        "",
    ),
    Option(
        "hq_spec_collect_features",
        "collect .feature files as tests themselves (`pytest features/x.feature`), with no "
        "test module calling scenarios(); off by default, so a feature is never run twice",
        "bool",
        False,
    ),
    Option(
        "hq_spec_tags_file",
        "a Markdown list of the tags features may carry ('- @smoke: what it means'); "
        "when set, any other tag is an error",
        "string",
        "",
    ),
    Option("hq_spec_report_title", "the living documentation's title", "string", "Specification"),
    Option(
        "hq_spec_mask_headers",
        "header names whose values never appear in any output (any letter case)",
        "linelist",
        ("authorization", "proxy-authorization"),
    ),
    Option(
        "hq_spec_mask_cookies",
        "cookie names whose values never appear in any output (any letter case)",
        "linelist",
        (),
    ),
    Option(
        "hq_spec_snippet_template",
        "the definition offered for a new phrase; $decorator, $step_parser, $pattern, "
        "$parameters, $arguments and $module are filled in",
        "string",
        DEFAULT_SNIPPET,
    ),
    Option(
        "hq_spec_openapi",
        "the OpenAPI document that API coverage is measured against: a JSON file path, or "
        "'module:attribute' naming a document or a callable returning one",
        "string",
        "",
    ),
    Option(
        "hq_spec_baseline_args",
        "pytest arguments that run the features against a baseline implementation (say, the "
        "product's first version); with hq_spec_baseline_tag, hq-spec check runs it once",
        "string",
        "",
    ),
    Option(
        "hq_spec_baseline_tag",
        "the tag for scenarios the baseline does not satisfy: hq-spec check requires it on "
        "exactly those",
        "string",
        "",
    ),
    Option(
        "hq_spec_words_to_avoid",
        "words features and phrase meanings never use, one regular expression a line, matched "
        "as whole words in any letter case; 'pattern => wording' also says what to use instead",
        "linelist",
        (),
    ),
    Option(
        "hq_spec_evidence_kinds",
        "the kinds of evidence steps record (for example http, feed, comms); when set, "
        "evidence of any other kind is refused where it is recorded (a misspelt kind would "
        "otherwise vanish from the report's filters and coverage)",
        "linelist",
        (),
    ),
)
BY_NAME = {option.name: option for option in OPTIONS}
_TRUE = {"true", "yes", "1", "on"}


class ConfigurationError(ValueError):
    """A setting cannot be used as given (a missing file, an unimportable module...)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    for option in OPTIONS:
        default = list(option.default) if isinstance(option.default, tuple) else option.default
        parser.addini(option.name, option.help, type=option.kind, default=default)


@dataclass(frozen=True)
class Settings:
    """The plugin's settings for one project, whether read by pytest or by `hq-spec`."""

    root: Path
    step_modules: tuple[str, ...]
    features: Path
    collect_features: bool
    tags_file: Path | None
    report_title: str
    mask_headers: tuple[str, ...]
    mask_cookies: tuple[str, ...]
    snippet_template: str
    openapi: str
    words_to_avoid: tuple[str, ...] = ()
    baseline_args: str = ""
    baseline_tag: str = ""

    @classmethod
    def from_values(cls, root: Path, values: Mapping[str, Any]) -> Settings:
        """Settings from raw option values (missing ones take their defaults)."""

        def read(name: str) -> Any:
            option = BY_NAME[name]
            value = values.get(name)
            if value is None or value == "" or value == []:
                return option.default
            if option.kind == "bool":
                return value if isinstance(value, bool) else str(value).lower() in _TRUE
            if option.kind == "linelist":
                lines = value.splitlines() if isinstance(value, str) else list(value)
                return tuple(line.strip() for line in lines if line.strip())
            return str(value)

        features = read("hq_spec_features") or values.get("bdd_features_base_dir") or "features"
        tags = read("hq_spec_tags_file")
        return cls(
            root=root,
            step_modules=read("hq_spec_step_modules"),
            features=root / str(features),
            collect_features=read("hq_spec_collect_features"),
            tags_file=root / tags if tags else None,
            report_title=read("hq_spec_report_title"),
            mask_headers=tuple(h.lower() for h in read("hq_spec_mask_headers")),
            mask_cookies=tuple(c.lower() for c in read("hq_spec_mask_cookies")),
            snippet_template=read("hq_spec_snippet_template"),
            openapi=read("hq_spec_openapi"),
            words_to_avoid=read("hq_spec_words_to_avoid"),
            baseline_args=read("hq_spec_baseline_args"),
            baseline_tag=read("hq_spec_baseline_tag"),
        )

    @classmethod
    def from_pytest(cls, config: pytest.Config) -> Settings:
        values = {name: config.getini(name) for name in BY_NAME}
        values["bdd_features_base_dir"] = config.getini("bdd_features_base_dir")
        return cls.from_values(config.rootpath, values)

    @classmethod
    def from_project(cls, root: Path) -> Settings:
        """Settings read from the project's pytest configuration, as pytest would find it."""
        return cls.from_values(root, ini_values(root))

    def load_openapi(self) -> dict[str, Any] | None:
        """The configured OpenAPI document, or None when none is configured."""
        if not self.openapi:
            return None
        if ":" in self.openapi and not (self.root / self.openapi).exists():
            return _document_from_reference(self.openapi, self.root)
        path = self.root / self.openapi
        if not path.exists():
            raise ConfigurationError(f"hq_spec_openapi: {path} does not exist")
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return document


def _document_from_reference(reference: str, root: Path) -> dict[str, Any]:
    module_name, _, attribute = reference.partition(":")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        found: Any = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise ConfigurationError(f"hq_spec_openapi: cannot load {reference!r}: {error}") from None
    document = found() if isinstance(found, Callable) else found  # type: ignore[arg-type]
    if not isinstance(document, dict):
        raise ConfigurationError(f"hq_spec_openapi: {reference!r} is not an OpenAPI document")
    return document


def ini_values(root: Path) -> dict[str, Any]:
    """The pytest ini options of the project at root, from the first file pytest itself would
    read there: pytest.ini, .pytest.ini, pyproject.toml, tox.ini, setup.cfg."""
    for name, section in (("pytest.ini", "pytest"), (".pytest.ini", "pytest")):
        if (root / name).exists():
            return _ini_section(root / name, section) or {}
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        values: dict[str, Any] | None = data.get("tool", {}).get("pytest", {}).get("ini_options")
        if values is not None:
            return values
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        found = _ini_section(root / name, section) if (root / name).exists() else None
        if found is not None:
            return found
    return {}


def _ini_section(path: Path, section: str) -> dict[str, Any] | None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    return dict(parser[section]) if parser.has_section(section) else None
