"""Load the vendor spec and our overlay into the effective spec the generator reads.

YAML is read as YAML 1.2 (ruamel.yaml): keys such as ``no`` (Norway, in
``indications``) stay strings, where a YAML 1.1 loader would read ``False``.
Only JSON values are accepted; anything else (a timestamp, a set) stops loading
with its JSON pointer, because the spec must mean the same thing as JSON.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .diagnostics import Diagnostic, GenerationError, pointer
from .overlay import apply_overlay

JSON = Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = REPO / "spec" / "sinch-voice.yaml"
DEFAULT_OVERLAY = REPO / "spec" / "overlays" / "corrections.yaml"


def load_yaml(path: Path) -> JSON:
    """Parse one YAML 1.2 file into plain JSON values, or stop with a clear error."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"))
    except YAMLError as error:
        raise GenerationError([Diagnostic("", f"{path.name} is not valid YAML: {error}")]) from None
    problems = list(_non_json(data, ()))
    if problems:
        raise GenerationError(problems, f"{path.name} holds values JSON cannot")
    return data


def _non_json(node: JSON, parts: tuple[str | int, ...]) -> list[Diagnostic]:
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if not isinstance(key, str):
                found.append(Diagnostic(pointer(*parts), f"key {key!r} is not a string"))
            found.extend(_non_json(value, (*parts, str(key))))
        return found
    if isinstance(node, list):
        return [d for i, item in enumerate(node) for d in _non_json(item, (*parts, i))]
    if node is None or isinstance(node, (str, bool, int, float)):
        return []
    return [
        Diagnostic(pointer(*parts), f"{type(node).__name__} value {node!r} is not JSON; quote it")
    ]


@attrs.frozen
class SpecSource:
    """Where the spec and overlay live, and their combined digest for provenance."""

    spec: Path = DEFAULT_SPEC
    overlay: Path | None = DEFAULT_OVERLAY

    def sha256(self) -> str:
        digest = hashlib.sha256(self.spec.read_bytes())
        if self.overlay is not None:
            digest.update(b"\0overlay\0")
            digest.update(self.overlay.read_bytes())
        return digest.hexdigest()


def effective_spec(source: SpecSource | None = None) -> JSON:
    """The vendor document with our overlay applied: what everything is generated from."""
    source = source or SpecSource()
    document = load_yaml(source.spec)
    if source.overlay is None:
        return document
    return apply_overlay(document, load_yaml(source.overlay), source.overlay.name)
