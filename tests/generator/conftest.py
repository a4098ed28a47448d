"""The effective spec and its IR, built once for the generator tests."""

from __future__ import annotations

from typing import Any

import pytest

from codegen import ir
from codegen.builders import build_api
from codegen.overrides import load_overrides
from codegen.spec import SpecSource, effective_spec


@pytest.fixture(scope="session")
def spec() -> Any:
    return effective_spec()


@pytest.fixture(scope="session")
def api(spec: Any) -> ir.Api:
    return build_api(spec, load_overrides(), SpecSource().sha256())
