"""A hand-built IR for the render tests: the parts a test names, everything else empty."""

from __future__ import annotations

from typing import Any

from codegen import ir

EMPTY: dict[str, Any] = {
    "title": "Tiny",
    "version": "1",
    "description": "",
    "spec_sha256": "",
    "overrides_sha256": "",
    "generator_version": "",
    "models": (),
    "enums": (),
    "unions": (),
    "operations": (),
    "webhooks": (),
    "servers": (),
    "regions": {},
    "security_schemes": (),
    "action_targets": {},
}


def small_api(**parts: Any) -> ir.Api:
    """An ``ir.Api`` of ``parts`` (``models=``, ``webhooks=``, ...) and nothing else."""
    return ir.Api(**{**EMPTY, **parts})
