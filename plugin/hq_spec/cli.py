"""`hq-spec`: check the features, list the step glossary, and write the living documentation."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hq_spec.catalog import load_definitions, step_modules
from hq_spec.check import check
from hq_spec.glossary import all_used_steps, as_json, as_markdown, entries


def _definitions(root: Path) -> Any:
    sys.path.insert(0, str(root))
    return load_definitions(step_modules(root), root)


def glossary_for(root: Path, features: Path) -> list[dict[str, Any]]:
    return entries(_definitions(root), all_used_steps(features, root))


def run_check(args: argparse.Namespace) -> int:
    root, features = Path(args.root), Path(args.features)
    problems = check(features, _definitions(root), root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\nhq-spec check: {len(problems)} problem(s) in {features}/.")
        return 1
    print(f"hq-spec check: {features}/ is consistent with the step vocabulary.")
    return 0


def run_steps(args: argparse.Namespace) -> int:
    glossary = glossary_for(Path(args.root), Path(args.features))
    text = as_json(glossary) if args.format == "json" else as_markdown(glossary)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def openapi_document() -> dict[str, Any]:
    """HQ's OpenAPI document, fetched from a freshly built app in-process."""
    from starlette.testclient import TestClient

    from hero_hq.main import build_app

    with TestClient(build_app()) as client:
        document: dict[str, Any] = client.get("/openapi.json").json()
        return document


def run_report(args: argparse.Namespace) -> int:
    from hq_spec.report import write_report

    root, features, messages = Path(args.root), Path(args.features), Path(args.messages)
    if not messages.exists():
        print(f"hq-spec report: {messages} does not exist; run `make spec` first.", file=sys.stderr)
        return 2
    index = write_report(
        messages,
        Path(args.out),
        features_dir=features,
        glossary=glossary_for(root, features),
        openapi=openapi_document(),
    )
    print(f"hq-spec report: wrote {index}")
    return 0


def run_studio(args: argparse.Namespace) -> int:
    from hq_spec.studio.serve import serve

    return serve(Path(args.root), Path(args.features), host=args.host, port=args.port)


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="hq-spec", description=__doc__)
    main_parser.add_argument("--root", default=".", help="the project folder (default: .)")
    main_parser.add_argument("--features", default="features", help="the features folder")
    commands = main_parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="check features/ without running any scenario")
    steps = commands.add_parser("steps", help="print the step glossary")
    steps.add_argument("--format", choices=["markdown", "json"], default="markdown")
    steps.add_argument("--output", help="write to this file instead of printing")
    report = commands.add_parser("report", help="write the living documentation")
    report.add_argument("--messages", default="reports/cucumber-messages.ndjson")
    report.add_argument("--out", default="reports/living-docs")
    studio = commands.add_parser("studio", help="write, check, run and save scenarios in a browser")
    studio.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    studio.add_argument("--host", default="127.0.0.1", help="loopback unless told otherwise")
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    runners = {"check": run_check, "steps": run_steps, "report": run_report, "studio": run_studio}
    return runners[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
