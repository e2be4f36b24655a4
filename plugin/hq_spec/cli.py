"""`hq-spec`: check the features, list the step glossary, and write the living documentation."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

from hq_spec.baseline import baseline_problems
from hq_spec.engine import Vocabulary
from hq_spec.glossary import as_json, as_markdown
from hq_spec.settings import ConfigurationError, Settings


def settings_for(args: argparse.Namespace) -> Settings:
    settings = Settings.from_project(Path(args.root))
    if args.features:
        settings = dataclasses.replace(settings, features=Path(args.root) / args.features)
    return settings


def run_check(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    problems = Vocabulary.load(settings.root, settings).check()
    # The baseline run costs a run of the features: only once the features can run at all.
    if not problems and not args.no_baseline:
        problems = baseline_problems(settings)
    features = settings.features
    for problem in problems:
        print(problem)
    if problems:
        print(f"\nhq-spec check: {len(problems)} problem(s) in {features}/.")
        return 1
    print(f"hq-spec check: {features}/ is consistent with the step vocabulary.")
    return 0


def run_steps(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    vocabulary = Vocabulary.load(settings.root, settings)
    glossary = vocabulary.glossary()
    if args.format == "json":
        text = as_json(glossary)
    else:
        text = as_markdown(glossary, vocabulary.definitions, settings.features)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_report(args: argparse.Namespace) -> int:
    from hq_spec.masking import Masking
    from hq_spec.report import write_report

    settings = settings_for(args)
    messages = Path(args.messages)
    if not messages.exists():
        print(f"hq-spec report: {messages} does not exist; run `make spec` first.", file=sys.stderr)
        return 2
    index = write_report(
        messages,
        Path(args.out),
        features_dir=settings.features,
        glossary=Vocabulary.load(settings.root, settings).glossary(),
        openapi=settings.load_openapi(),
        title=settings.report_title,
        masking=Masking.of(settings.mask_headers, settings.mask_cookies),
    )
    print(f"hq-spec report: wrote {index}")
    return 0


def run_studio(args: argparse.Namespace) -> int:
    from hq_spec.studio.serve import serve

    settings = settings_for(args)  # the features folder as configured, unless --features
    return serve(
        settings.root, settings.features, host=args.host, port=args.port,
        also_at=args.allow_host,
    )  # fmt: skip


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="hq-spec", description=__doc__)
    main_parser.add_argument("--root", default=".", help="the project folder (default: .)")
    main_parser.add_argument(
        "--features", default=None, help="the features folder (default: from the configuration)"
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check the features against the step vocabulary")
    check.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the run against the baseline (hq_spec_baseline_args), when one is configured",
    )
    steps = commands.add_parser("steps", help="print the step glossary")
    steps.add_argument("--format", choices=["markdown", "json"], default="markdown")
    steps.add_argument("--output", help="write to this file instead of printing")
    report = commands.add_parser("report", help="write the living documentation")
    report.add_argument("--messages", default="reports/cucumber-messages.ndjson")
    report.add_argument("--out", default="reports/living-docs")
    studio = commands.add_parser("studio", help="write, check, run and save scenarios in a browser")
    studio.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    studio.add_argument("--host", default="127.0.0.1", help="loopback unless told otherwise")
    studio.add_argument(
        "--allow-host", action="append", default=[], metavar="NAME",
        help="another name or address the studio is reached at (repeat for more); with "
        "--host 0.0.0.0 it already answers at this machine's own name",
    )  # fmt: skip
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    runners = {"check": run_check, "steps": run_steps, "report": run_report, "studio": run_studio}
    try:
        return runners[args.command](args)
    except ConfigurationError as error:
        print(f"hq-spec: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
