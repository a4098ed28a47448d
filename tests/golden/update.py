"""Regenerate the golden files: ``python -m tests.golden.update`` (or ``make golden``).

Each case folder holds ``spec.yaml`` (and maybe ``overrides.yaml``); ``expected/`` holds
what the generator writes from it, for the templated files only (the runtime modules
are verbatim copies, tested on their own), or ``error.txt``: the message generation
stops with, for cases that are meant to stop (a broken spec, stale overrides). Review the
diff before committing it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from codegen.diagnostics import GenerationError
from codegen.generate import PACKAGE, TEMPLATED, generate_package
from codegen.overrides import DEFAULT_OVERRIDES
from codegen.spec import SpecSource

HERE = Path(__file__).resolve().parent


def cases() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if (p / "spec.yaml").exists())


def render_case(case: Path, out: Path) -> dict[str, bytes]:
    """The templated files generated from ``case`` (name -> bytes), or ``error.txt``."""
    overrides = case / "overrides.yaml"
    try:
        generate_package(
            SpecSource(case / "spec.yaml", None),
            out,
            overrides if overrides.exists() else DEFAULT_OVERRIDES,
        )
    except GenerationError as error:
        return {"error.txt": f"{error}\n".encode()}
    return {name: (out / PACKAGE / name).read_bytes() for name in sorted(TEMPLATED.values())}


def expected_path(case: Path, name: str) -> Path:
    return case / "expected" / f"{name}.expected"


def main() -> None:
    for case in cases():
        with tempfile.TemporaryDirectory() as scratch:
            files = render_case(case, Path(scratch))
        shutil.rmtree(case / "expected", ignore_errors=True)
        (case / "expected").mkdir()
        for name, content in files.items():
            target = expected_path(case, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        print(f"updated {case.name}: {len(files)} files")


if __name__ == "__main__":
    main()
