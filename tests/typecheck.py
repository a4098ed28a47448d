"""``mypy --strict`` on a file written as a user of the package would write it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def mypy_errors(tmp_path: Path, source: str) -> dict[str, list[str]]:
    """mypy's errors on ``source``, by the ``# LINE <marker>`` comment of their line (an
    error on an unmarked line is keyed ``unexpected: <the line>``)."""
    user = tmp_path / "user.py"
    user.write_text(textwrap.dedent(source), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(REPO / "generated")},
    )
    lines = textwrap.dedent(source).splitlines()
    by_line: dict[str, list[str]] = {}
    for error in (line for line in result.stdout.splitlines() if ": error:" in line):
        text = lines[int(error.split(":")[1]) - 1]
        marker = text.split("# LINE ")[1] if "# LINE" in text else f"unexpected: {text}"
        by_line.setdefault(marker, []).append(error)
    return by_line
