"""The package's public Python API as data, and what a change to it asks of a release.

``snapshot`` imports the package and records every name a user may import (each public
module's ``__all__``; a module without one: the public names it defines) with its kind
and signature, and the members of each class, following class attributes annotated
with one of the package's classes (``VoiceClient.calls`` -> ``CallsApi.get``). A name
exported from several modules is recorded once where it is defined; the other paths are
aliases. Runtime inspection rather than griffe's static reading: the models' ``__init__``
is written by attrs at import time, and only the live class has its signature.

``compare`` classifies differences the way ``codegen.changes`` classifies the wire:
a removed name, parameter or member, a new required parameter, a parameter that can no
longer be passed by position, a changed annotation or return type, or a changed kind is
breaking; a changed default or constant is behaviour; anything added is compatible.
``problems`` applies ``codegen.versioning``'s policy to them; ``api/public-api.json`` is
the committed snapshot, refreshed by ``make api-snapshot``.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import pkgutil
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from .spec import REPO
from .versioning import allows, changelog_section, next_version

SNAPSHOT = REPO / "api" / "public-api.json"
PACKAGE = "sinch_voice"
Severity = Literal["breaking", "behaviour", "compatible"]


# --- taking the snapshot ----------------------------------------------------------------


def public_modules(package: str = PACKAGE) -> list[str]:
    """Every module of the package whose dotted name has no part starting with ``_``."""
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        parts = info.name.split(".")
        if not any(part.startswith("_") for part in parts):
            names.append(info.name)
    return sorted(names)


def _exported(module: Any) -> list[str]:
    exported = getattr(module, "__all__", None)
    if exported is not None:
        return list(exported)
    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
        and (inspect.isclass(value) or inspect.isfunction(value))
    )


def _parameters(function: Any) -> dict[str, Any] | None:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    params = []
    for param in signature.parameters.values():
        if param.name == "self":
            continue
        record: dict[str, Any] = {"name": param.name, "kind": param.kind.name.lower()}
        if param.annotation is not param.empty:
            record["annotation"] = _text(param.annotation)
        if param.default is not param.empty:
            record["default"] = _text(param.default)
        params.append(record)
    result: dict[str, Any] = {"parameters": params}
    if signature.return_annotation is not signature.empty:
        result["returns"] = _text(signature.return_annotation)
    return result


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if inspect.isclass(value) or inspect.isfunction(value) or inspect.isbuiltin(value):
        return value.__qualname__
    return repr(value)


def _own_classes(cls: type) -> list[type]:
    return [c for c in cls.__mro__ if c.__module__.split(".")[0] == PACKAGE]


def _annotations(cls: type) -> dict[str, str]:
    found: dict[str, str] = {}
    for owner in reversed(_own_classes(cls)):
        for name, annotation in vars(owner).get("__annotations__", {}).items():
            found[name] = _text(annotation)
    return found


class _Snapshot:
    def __init__(self) -> None:
        self.entries: dict[str, dict[str, Any]] = {}
        self.homes: dict[int, str] = {}  # id of a class or function -> its recorded path

    def name(self, path: str, value: Any, module: str) -> None:
        if inspect.isclass(value) or inspect.isfunction(value):
            home = self.homes.get(id(value))
            if home is not None:
                self.entries[path] = {"kind": "alias", "of": home}
                return
            self.homes[id(value)] = path
        if inspect.isclass(value):
            self.cls(path, value, module)
        elif callable(value):
            self.entries[path] = {"kind": "function", **(_parameters(value) or {})}
        else:
            self.entries[path] = {"kind": "constant", "type": type(value).__name__}

    def cls(self, path: str, cls: type, module: str) -> None:
        kind = "enum" if issubclass(cls, enum.Enum) else "class"
        record: dict[str, Any] = {"kind": kind}
        if kind == "class":
            record.update(_parameters(cls) or {})
        bases = [b.__qualname__ for b in cls.__bases__ if b is not object]
        if bases:
            record["bases"] = bases
        self.entries[path] = record
        if issubclass(cls, enum.Enum):
            for member in cls:
                self.entries[f"{path}.{member.name}"] = {
                    "kind": "member",
                    "value": _text(member.value),
                }
        own = _own_classes(cls)
        annotations = _annotations(cls)
        names = {n for n in {*(n for c in own for n in vars(c)), *annotations} if n[:1] != "_"}
        for name in sorted(names):
            self.member(f"{path}.{name}", cls, name, annotations.get(name), module)

    def member(self, path: str, cls: type, name: str, annotation: str | None, module: str) -> None:
        if issubclass(cls, enum.Enum) and name in cls.__members__:
            return
        raw = next((vars(c)[name] for c in _own_classes(cls) if name in vars(c)), None)
        if isinstance(raw, property):
            record: dict[str, Any] = {"kind": "property"}
            if raw.fget is not None:
                returns = (_parameters(raw.fget) or {}).get("returns")
                if returns is not None:
                    record["returns"] = returns
            self.entries[path] = record
            return
        if isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw):
            function = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
            self.entries[path] = {"kind": "method", **(_parameters(function) or {})}
            return
        record = {"kind": "attribute"}
        if annotation is not None:
            record["annotation"] = annotation
        if raw is not None and _plain(raw):
            record["value"] = json.dumps(raw, sort_keys=True, default=dict)
        self.entries[path] = record
        target = _package_class(cls, annotation, module)
        if target is not None and id(target) not in self.homes:
            self.homes[id(target)] = path
            self.cls(path, target, module)
            self.entries[path] = {"kind": "attribute", "annotation": annotation}


def _plain(value: Any) -> bool:
    """Whether a constant is data (recorded with its value) rather than an object."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (tuple, list)):
        return all(_plain(item) for item in value)
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _package_class(cls: type, annotation: str | None, module: str) -> type | None:
    """The package's own class an attribute annotation names, if it is one."""
    if annotation is None or not annotation.isidentifier():
        return None
    found = getattr(sys.modules.get(cls.__module__), annotation, None)
    if inspect.isclass(found) and found.__module__.split(".")[0] == PACKAGE:
        return found
    return None


def snapshot(package: str = PACKAGE) -> dict[str, dict[str, Any]]:
    """Every public name of the importable ``package``: dotted path -> kind and signature."""
    taken = _Snapshot()
    modules = public_modules(package)
    # a name is at home in the module that defines it: visit those paths first
    pairs: list[tuple[str, str, Any]] = []
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in _exported(module):
            pairs.append((module_name, f"{module_name}.{name}", getattr(module, name)))
    pairs.sort(key=lambda p: (getattr(p[2], "__module__", None) != p[0], p[1]))
    for module_name, path, value in pairs:
        taken.name(path, value, module_name)
    return dict(sorted(taken.entries.items()))


def dumps_snapshot(entries: Mapping[str, Any], released: str, version: str) -> str:
    """The committed form: one name per line, so that a change reads as a one-line diff."""
    lines = [f'  "{path}": {json.dumps(entry, sort_keys=True)}' for path, entry in entries.items()]
    header = f'{{\n "released": "{released}",\n "version": "{version}",\n "api": {{\n'
    return header + ",\n".join(lines) + "\n }\n}\n"


# --- comparing --------------------------------------------------------------------------


@attrs.frozen
class ApiChange:
    severity: Severity
    path: str
    detail: str

    @property
    def qualname(self) -> str:
        """The path without its module: what CHANGELOG.md must name (``IceRequest.to``)."""
        parts = self.path.split(".")
        for i, part in enumerate(parts):
            if part[:1].isupper():
                return ".".join(parts[i:])
        return parts[-1]


def _parameter_changes(path: str, old: Any, new: Any) -> Iterator[ApiChange]:
    before = {p["name"]: (i, p) for i, p in enumerate(old.get("parameters", []))}
    after = {p["name"]: (i, p) for i, p in enumerate(new.get("parameters", []))}
    positional = ("positional_only", "positional_or_keyword")
    for name, (index, was) in before.items():
        if name not in after:
            if was["kind"] not in ("var_positional", "var_keyword"):
                yield ApiChange("breaking", path, f"parameter {name!r} removed")
            continue
        now_index, now = after[name]
        if was["kind"] != now["kind"]:
            keyword_ok = was["kind"] == "keyword_only" and now["kind"] == "positional_or_keyword"
            yield ApiChange(
                "compatible" if keyword_ok else "breaking",
                path,
                f"parameter {name!r}: {was['kind']} -> {now['kind']}",
            )
        elif was["kind"] in positional and index != now_index:
            yield ApiChange("breaking", path, f"parameter {name!r} moved to position {now_index}")
        if "default" in was and "default" not in now:
            yield ApiChange("breaking", path, f"parameter {name!r} is now required")
        elif was.get("default") != now.get("default"):
            yield ApiChange(
                "behaviour",
                path,
                f"parameter {name!r} default {was.get('default')} -> {now.get('default')}",
            )
        if was.get("annotation") != now.get("annotation"):
            yield ApiChange(
                "breaking",
                path,
                f"parameter {name!r}: {was.get('annotation')} -> {now.get('annotation')}",
            )
    for name, (_, now) in after.items():
        if name not in before and now["kind"] not in ("var_positional", "var_keyword"):
            required = "default" not in now
            yield ApiChange(
                "breaking" if required else "compatible",
                path,
                f"new {'required' if required else 'optional'} parameter {name!r}",
            )
    if old.get("returns") != new.get("returns"):
        yield ApiChange("breaking", path, f"returns {old.get('returns')} -> {new.get('returns')}")


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[ApiChange]:
    """Every difference between two snapshots, breaking first."""
    found: list[ApiChange] = []
    for path in sorted(set(old) | set(new)):
        was, now = old.get(path), new.get(path)
        if was is None:
            found.append(ApiChange("compatible", path, f"{new[path]['kind']} added"))
        elif now is None:
            found.append(ApiChange("breaking", path, f"{was['kind']} removed"))
        elif was["kind"] != now["kind"]:
            found.append(ApiChange("breaking", path, f"{was['kind']} -> {now['kind']}"))
        elif was.get("of") != now.get("of"):
            found.append(ApiChange("breaking", path, f"now {now.get('of')}"))
        else:
            found.extend(_parameter_changes(path, was, now))
            for key in ("annotation", "bases"):
                if was.get(key) != now.get(key):
                    found.append(
                        ApiChange("breaking", path, f"{key} {was.get(key)} -> {now.get(key)}")
                    )
            if was.get("value") != now.get("value"):
                found.append(
                    ApiChange("behaviour", path, f"value {was.get('value')} -> {now.get('value')}")
                )
    order = {"breaking": 0, "behaviour": 1, "compatible": 2}
    return sorted(found, key=lambda c: (order[c.severity], c.path, c.detail))


# --- the policy -------------------------------------------------------------------------


def problems(
    recorded: Mapping[str, Any], live: Mapping[str, Any], current: str, changelog: Path
) -> tuple[list[ApiChange], list[str]]:
    """The differences from the snapshot, and what the policy still asks before they ship.

    Nothing is asked when nothing changed. Otherwise the version must be at least the
    bump the changes call for since ``released`` (0.x: minor when one breaks, patch
    otherwise), CHANGELOG.md must have a section for it, and that section must name every
    breaking change.
    """
    found = compare(recorded["api"], live)
    if not found:
        return [], []
    released = recorded["released"]
    breaking = [c for c in found if c.severity == "breaking"]
    asked: list[str] = []
    target = current
    if not allows(released, current, bool(breaking)):
        target = next_version(released, bool(breaking))
        why = (
            "a breaking change raises the minor version while the major is 0"
            if breaking
            else "any change to the API raises at least the patch version"
        )
        asked.append(
            f'set __version__ = "{target}" (or later) in codegen/__init__.py and run '
            f"`make generate`: the last release is {released}, and {why}"
        )
    section = changelog_section(target, changelog)
    if section is None:
        asked.append(
            f"add a section `## [{target}] - Unreleased` at the top of CHANGELOG.md "
            "(Keep a Changelog: Added / Changed / Deprecated / Removed)"
        )
        section = ""
    missing = sorted({c.qualname for c in breaking if not _named(c.qualname, section)})
    if missing:
        asked.append(
            f"name each breaking change in CHANGELOG.md's [{target}] section, in backticks "
            "(`Name.member`, under Changed or Removed): " + ", ".join(missing)
        )
    return found, asked


def _named(qualname: str, section: str) -> bool:
    """Whether a changelog section names ``qualname`` in code (`X.y`, `sinch_voice.X.y`).

    ``AsyncVoiceClient`` is rendered from the same operations as ``VoiceClient``: a
    change named for one client's method is named for the other's too.
    """
    names = [qualname]
    if qualname.startswith("AsyncVoiceClient."):
        names.append(qualname.removeprefix("Async"))
    return any(re.search(rf"[`.]{re.escape(name)}(?![\w])", section) for name in names)


def explain(found: list[ApiChange], asked: list[str]) -> str:
    """The failure message: what changed, then what to do, numbered."""
    lines = [f"The public API differs from {SNAPSHOT.relative_to(REPO)} ({len(found)} changes):"]
    lines += [f"  {c.severity}: {c.path}: {c.detail}" for c in found]
    lines.append("\nTo ship these changes:")
    lines += [f"  {number}. {step}" for number, step in enumerate(asked, 1)]
    lines.append(
        f"  {len(asked) + 1}. optionally, `make api-snapshot` records the new API (at a "
        "release it must: the snapshot is what the next release is compared with)"
    )
    lines.append("If a change is not meant to ship, change the code back instead.")
    return "\n".join(lines)


def load(path: Path = SNAPSHOT) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
