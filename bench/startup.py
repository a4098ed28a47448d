"""Import time of the package (whole process, net of a bare interpreter) and generation time."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO, capture_output=True, env=env)
    return time.perf_counter() - start


# what an app runs first: the package, and what a WSGI app needs to answer callbacks;
# attrs alone, for scale (the models are attrs classes)
IMPORTS = {
    "import attrs": "import attrs",
    "import sinch_voice": "import sinch_voice",
    "import sinch_voice.webhooks (WSGI app)": (
        "import sys; from sinch_voice.webhooks import Dispatcher; "
        "Dispatcher('key', 'BeIukql3pTKJ8RGL5zo0DA==').wsgi; "
        "sys.exit(3 if 'asyncio' in sys.modules else 0)"
    ),
}


def import_time(runs: int = 15, rounds: int = 3) -> dict[str, Any]:
    """Milliseconds of each of ``IMPORTS`` net of a bare interpreter, per round (medians
    of ``runs`` runs, taken in turn). Bytecode is compiled first, as pip leaves an
    installed package (this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise
    time the compiler). The WSGI statement fails if it loaded asyncio."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "generated")],
        check=True,
        capture_output=True,
        env=env,
    )
    results: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for _ in range(rounds):
        bare: list[float] = []
        measured: dict[str, list[float]] = {name: [] for name in IMPORTS}
        for _ in range(runs):
            bare.append(_wall([sys.executable, "-c", "pass"], env))
            for name, statement in IMPORTS.items():
                measured[name].append(_wall([sys.executable, "-c", statement], env))
        for name, times in measured.items():
            results[name].append(statistics.median(times) - statistics.median(bare))
    return {"net_s": results}


def generation_time(runs: int = 3) -> dict[str, float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            times.append(_wall([sys.executable, "-m", "codegen", "generate", "--out", out]))
    return {"generate_s": statistics.median(times)}
