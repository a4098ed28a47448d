"""Shared fixtures: paths of the repository and of the shared folder beside it; the
effective spec and its IR, built once per session (generator and models tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen import ir
from codegen.builders import build_api
from codegen.overrides import load_overrides
from codegen.spec import SpecSource, effective_spec

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seed").is_dir():
        pytest.skip(f"the shared folder with the flattened seed is not at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def spec() -> Any:
    return effective_spec()


@pytest.fixture(scope="session")
def api(spec: Any) -> ir.Api:
    return build_api(spec, load_overrides(), SpecSource().sha256())
