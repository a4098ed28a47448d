"""The override file: hand-written names and behaviour the spec cannot express.

``load_overrides`` reads ``codegen/overrides.yaml`` into ``Overrides``; ``Usage`` records
which entries the IR builders consulted, so that an entry naming something the spec no
longer has stops generation with its name instead of being ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import attrs

from .diagnostics import Diagnostic, GenerationError, pointer
from .spec import load_yaml

DEFAULT_OVERRIDES = Path(__file__).resolve().parent / "overrides.yaml"
SECTIONS = (
    "classes",
    "words",
    "aliases",
    "platform_names",
    "events",
    "types",
    "operations",
    "svaml",
    "allow",
)
SVAML_KEYS = (
    "answers",
    "no_instructions",
    "answer_with_svaml",
    "default_actions",
    "warn_unanswered",
    "positional",
    "json_strings",
)


@attrs.frozen
class OperationOverride:
    group: str
    method: str
    shortcuts: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)


@attrs.frozen
class Overrides:
    """The parsed override file (``codegen/overrides.yaml`` says what each part means)."""

    classes: Mapping[str, str] = attrs.field(factory=dict)
    words: Mapping[str, str] = attrs.field(factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    platform_names: Mapping[str, str] = attrs.field(factory=dict)
    events: Mapping[str, Mapping[str, Mapping[str, str]]] = attrs.field(factory=dict)
    types: Mapping[str, str] = attrs.field(factory=dict)
    operations: Mapping[str, OperationOverride] = attrs.field(factory=dict)
    answers: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    no_instructions: tuple[str, ...] = ()
    answer_with_svaml: tuple[str, ...] = ()
    default_actions: Mapping[str, str] = attrs.field(factory=dict)
    warn_unanswered: tuple[str, ...] = ()
    positional: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    json_strings: Mapping[str, str] = attrs.field(factory=dict)
    allow: Mapping[str, str] = attrs.field(factory=dict)
    sha256: str = ""  # of the file's bytes: the provenance names it beside the spec's


def load_overrides(path: Path = DEFAULT_OVERRIDES) -> Overrides:
    data = load_yaml(path) or {}
    svaml = data.get("svaml") or {}
    unknown = [pointer(k) for k in sorted(set(data) - set(SECTIONS))]
    unknown += [pointer("svaml", k) for k in sorted(set(svaml) - set(SVAML_KEYS))]
    if unknown:
        raise GenerationError(
            [Diagnostic(at, "unknown section in the override file") for at in unknown],
            f"{path.name} has sections the generator does not know",
        )
    return Overrides(
        classes=dict(data.get("classes") or {}),
        words=dict(data.get("words") or {}),
        aliases=_tuples(data.get("aliases")),
        platform_names=dict(data.get("platform_names") or {}),
        events={
            event: {prop: dict(values) for prop, values in (by or {}).items()}
            for event, by in (data.get("events") or {}).items()
        },
        types=dict(data.get("types") or {}),
        operations={
            op_id: OperationOverride(
                group=entry["group"],
                method=entry["method"],
                shortcuts=dict(entry.get("shortcuts") or {}),
            )
            for op_id, entry in (data.get("operations") or {}).items()
        },
        answers=_tuples(svaml.get("answers")),
        no_instructions=tuple(svaml.get("no_instructions") or ()),
        answer_with_svaml=tuple(svaml.get("answer_with_svaml") or ()),
        default_actions=dict(svaml.get("default_actions") or {}),
        warn_unanswered=tuple(svaml.get("warn_unanswered") or ()),
        positional=_tuples(svaml.get("positional")),
        json_strings=dict(svaml.get("json_strings") or {}),
        allow=dict(data.get("allow") or {}),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def _tuples(section: Any) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in (section or {}).items()}


class Usage:
    """Which override entries the builders consulted; the rest are stale."""

    # section -> how a stale entry is named in the message
    TRACKED: ClassVar[Mapping[str, str]] = {
        "classes": "classes",
        "types": "types",
        "operations": "operations",
        "aliases": "aliases",
        "platform_names": "platform_names",
        "events": "events",
        "allow": "allow",
        "answers": "svaml.answers",
        "json_strings": "svaml.json_strings",
    }

    def __init__(self, overrides: Overrides) -> None:
        self.overrides = overrides
        self._used: set[tuple[str, str]] = set()

    def lookup(self, section: str, key: str) -> Any:
        """The entry ``section[key]``, recorded as used; None when there is none."""
        entries: Mapping[str, Any] = getattr(self.overrides, section)
        if key not in entries:
            return None
        self._used.add((section, key))
        return entries[key]

    def stale(self, wire_names: set[str]) -> list[Diagnostic]:
        """An entry the builders never consulted points at nothing the spec has."""
        problems = []
        for section, label in self.TRACKED.items():
            for key in getattr(self.overrides, section):
                if (section, key) not in self._used:
                    problems.append(
                        Diagnostic(
                            "",
                            f"overrides.yaml {label}.{key}: the spec has no such "
                            "place any more (renamed or removed?)",
                        )
                    )
        for wire in self.overrides.words:
            if wire not in wire_names:
                problems.append(
                    Diagnostic("", f"overrides.yaml words.{wire}: no property has that wire name")
                )
        return problems
