"""The whole check on every Python we claim: ``make test-pythons`` (``nox``).

Each session makes a fresh virtualenv with that interpreter, installs the package and the
repository's tools, and runs what ``make test`` runs: the generator (its output must match
the committed ``generated/`` byte for byte, whatever Python runs it), the linters and the
test suite. An interpreter that is not on the machine is an error, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]

nox.options.error_on_missing_interpreters = True
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = False

# pyenv keeps each interpreter in its own folder; put them where nox looks (python3.X)
_PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
for folder in sorted(_PYENV.glob("3.1[0-9]*/bin")):
    os.environ["PATH"] = f"{folder}{os.pathsep}{os.environ['PATH']}"


PYTEST = ("python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
SPREAD = ("-n", "auto", "--dist", "loadfile")  # whole test files over the cores


def install_and_check(session: nox.Session, *what: str) -> None:
    """Install the package with ``what`` (pip arguments), then check that this
    interpreter generates the committed bytes and that the package type-checks."""
    session.install("--quiet", "--upgrade", "pip>=25.1")
    session.install("--quiet", "-e", *what)
    session.run("python", "-m", "codegen", "check")
    session.run("python", "-m", "mypy", "codegen", "generated/sinch_voice")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    install_and_check(session, ".", "--group", "dev")
    session.run("python", "-m", "ruff", "check", "codegen", "generated", "tests", "examples",
                "bench", "spec/tools", "noxfile.py")  # fmt: skip
    session.run(*PYTEST, *SPREAD, *session.posargs)


# What can differ from one interpreter to the next: the generator's output (it must be the
# same bytes), the types, and the package at run time. The rest of the suite tests no
# interpreter-dependent code: the docs site and its shell blocks (built by mkdocs from the
# same files), the spec's text and overlay, and the maintainer flows (spec updates, change
# report), which drive the generator that `codegen check` and tests/generator cover here.
PER_INTERPRETER = [
    "tests/generator",
    "tests/models",
    "tests/client",
    "tests/webhooks",
    "tests/builder",
    "tests/testing",
    "tests/package",
]


@nox.session(python=PYTHONS)
def interpreter(session: nox.Session) -> None:
    """The part of ``tests`` that can differ by interpreter (``.ci/run`` runs it on the
    Pythons other than the one ``make test`` ran on); the extras instead of the docs and
    bench tools."""
    install_and_check(
        session, ".[msgspec,orjson,testing,aiohttp]", "--group", "codegen", "--group", "test"
    )
    session.run(*PYTEST, "-m", "not once", *(session.posargs or SPREAD), *PER_INTERPRETER)
