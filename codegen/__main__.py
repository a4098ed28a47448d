"""Command line: ``python -m codegen {generate,check,effective-spec,validate}``."""

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
    args = parser.parse_args(argv)

    source = SpecSource(args.spec, None if args.no_overlay else args.overlay)
    try:
        if args.command == "effective-spec":
            json.dump(effective_spec(source), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
            return 0
        if args.command == "validate":
            return _validate(source)
        from .generate import check_generated, generate_package

        if args.command == "generate":
            written = generate_package(source, args.out)
            print(f"wrote {len(written)} files")
            return 0
        return check_generated(source, args.against)
    except GenerationError as error:
        print(error, file=sys.stderr)
        return 1


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
