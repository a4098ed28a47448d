"""Import time of the package (whole process, net of a bare interpreter) and generation time."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO, capture_output=True)
    return time.perf_counter() - start


def import_time(runs: int = 15) -> dict[str, float]:
    """With bytecode compiled, as pip leaves an installed package (this machine sets
    PYTHONDONTWRITEBYTECODE, which would otherwise time the compiler)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "generated")],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )
    bare, with_package = [], []
    for _ in range(runs):
        bare.append(_wall([sys.executable, "-c", "pass"]))
        with_package.append(_wall([sys.executable, "-c", "import sinch_voice"]))
    return {
        "bare_s": statistics.median(bare),
        "import_s": statistics.median(with_package),
        "net_s": statistics.median(with_package) - statistics.median(bare),
    }


def generation_time(runs: int = 3) -> dict[str, float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            times.append(_wall([sys.executable, "-m", "codegen", "generate", "--out", out]))
    return {"generate_s": statistics.median(times)}
