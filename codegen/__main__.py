"""Command line: ``python -m codegen {generate,check,diff,api-snapshot,api-check,...}``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .diagnostics import GenerationError
from .spec import DEFAULT_OVERLAY, DEFAULT_SPEC, SpecSource, effective_spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the vendor document")
    parser.add_argument("--overlay", type=Path, default=DEFAULT_OVERLAY, help="our corrections")
    parser.add_argument("--no-overlay", action="store_true", help="read the vendor document alone")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("effective-spec", help="print the spec with the overlay applied, as JSON")
    commands.add_parser("validate", help="validate the effective spec and its examples")
    generate = commands.add_parser("generate", help="write the sinch_voice package")
    generate.add_argument(
        "--out", type=Path, default=None, help="folder to write (default: generated/)"
    )
    check = commands.add_parser(
        "check", help="fail with a diff if generated/ is not what generate writes"
    )
    check.add_argument(
        "--against", type=Path, default=None, help="folder to compare (default: generated/)"
    )
    diff = commands.add_parser(
        "diff",
        help="report what changed between two specs for users of the package",
        description="OLD and NEW are vendor documents (the overlay is applied to both) or "
        "surface files such as api/generated-from.json.",
    )
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument(
        "--old-overrides", type=Path, default=None, help="overrides.yaml for OLD (default: ours)"
    )
    diff.add_argument(
        "--new-overrides", type=Path, default=None, help="overrides.yaml for NEW (default: ours)"
    )
    diff.add_argument(
        "--changelog",
        action="store_true",
        help="print a CHANGELOG.md entry drafted from the report instead",
    )
    diff.add_argument(
        "--fail-on-breaking", action="store_true", help="exit 2 when a change is breaking"
    )
    commands.add_parser("api-snapshot", help="record the public Python API in api/public-api.json")
    commands.add_parser(
        "api-check", help="fail when the public API changed without the version and changelog"
    )
    args = parser.parse_args(argv)
    if args.command in ("api-snapshot", "api-check"):
        return _public_api(args.command)

    source = SpecSource(args.spec, None if args.no_overlay else args.overlay)
    try:
        if args.command == "effective-spec":
            json.dump(effective_spec(source), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
            return 0
        if args.command == "validate":
            return _validate(source)
        if args.command == "diff":
            from .report import diff_command

            return diff_command(
                args.old,
                args.new,
                None if args.no_overlay else args.overlay,
                (args.old_overrides, args.new_overrides),
                changelog=args.changelog,
                fail_on_breaking=args.fail_on_breaking,
            )
        from .generate import check_generated, generate_package
        from .report import check_surface, report_and_record

        if args.command == "generate":
            written = generate_package(source, args.out)
            print(f"wrote {len(written)} files")
            if args.out is None:  # generated/: say what changed for users, and record it
                report_and_record(source)
            return 0
        status = check_generated(source, args.against)
        if args.against is None:
            status = max(status, check_surface(source))
        return status
    except GenerationError as error:
        print(error, file=sys.stderr)
        return 1


def _public_api(command: str) -> int:
    from . import __version__, public_api, versioning
    from .spec import REPO

    sys.path.insert(0, str(REPO / "generated"))  # the package as generated, not an install
    live = public_api.snapshot()
    if command == "api-snapshot":
        released = versioning.last_released() or __version__
        text = public_api.dumps_snapshot(live, released, __version__)
        public_api.SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        public_api.SNAPSHOT.write_text(text, encoding="utf-8")
        print(f"recorded {len(live)} public names of {__version__} (last release {released})")
        return 0
    found, asked = public_api.problems(public_api.load(), live, __version__, versioning.CHANGELOG)
    if asked:
        print(public_api.explain(found, asked), file=sys.stderr)
        return 1
    print(f"public API: {len(found)} changes since the snapshot, all accounted for")
    return 0


def _validate(source: SpecSource) -> int:
    from .validation import UNCHECKED_EXAMPLES, validate_document, validate_examples

    spec = effective_spec(source)
    problems = validate_document(spec) + validate_examples(spec, strict=True)
    for problem in problems:
        print(problem)
    for where, reason in UNCHECKED_EXAMPLES.items():
        print(f"not checked: {where}: {reason}")
    print(f"{len(problems)} problems, {len(UNCHECKED_EXAMPLES)} examples not checked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
