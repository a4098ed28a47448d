"""Apply an OpenAPI Overlay 1.0 document to a loaded spec.

Targets are JSONPath expressions evaluated by jsonpath-ng (its extended parser, for
filters). ``update`` merges objects key by key, recursively, and appends to arrays;
``remove`` deletes the targeted nodes. An action whose target matches nothing stops
the run: a correction that no longer applies must be noticed, not skipped.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from jsonpath_ng import DatumInContext, Fields, Index
from jsonpath_ng.ext.parser import parse

from .diagnostics import Diagnostic, GenerationError, pointer

JSON = Any
# typed here: jsonpath-ng has type information from 1.16 on, which Python 3.10 cannot install
_parse_jsonpath: Callable[[str], Any] = parse


def merge(target: JSON, update: JSON) -> JSON:
    """The Overlay 1.0 update rule: objects merge recursively, arrays append."""
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            if key in target and isinstance(target[key], dict) and isinstance(value, dict):
                merge(target[key], value)
            else:
                target[key] = copy.deepcopy(value)
        return target
    if isinstance(target, list):
        target.extend(
            copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)]
        )
        return target
    raise TypeError(f"cannot update a {type(target).__name__} with a {type(update).__name__}")


def _remove(match: DatumInContext) -> None:
    parent = match.context.value if match.context is not None else None
    path = match.path
    if isinstance(path, Fields) and isinstance(parent, dict):
        for field in path.fields:
            parent.pop(field, None)
    elif isinstance(path, Index) and isinstance(parent, list):
        for index in sorted(path.indices, reverse=True):
            del parent[index]
    else:
        raise TypeError(f"cannot remove {match.full_path}")


def apply_overlay(document: JSON, overlay: JSON, source: str = "overlay") -> JSON:
    """Return a copy of ``document`` with every action of ``overlay`` applied, in order."""
    result = copy.deepcopy(document)
    problems: list[Diagnostic] = []
    if overlay.get("overlay") != "1.0.0":
        problems.append(
            Diagnostic(pointer("overlay"), "only Overlay 1.0.0 documents are supported")
        )
    for number, action in enumerate(overlay.get("actions", [])):
        where = pointer("actions", number)
        target = action.get("target")
        if not action.get("description"):
            problems.append(Diagnostic(where, "every action needs a description of what it fixes"))
        if not isinstance(target, str):
            problems.append(Diagnostic(where, "action has no target"))
            continue
        try:
            expression = _parse_jsonpath(target)
        except Exception as error:  # JsonPathParserError, and for some inputs a bare Exception
            problems.append(Diagnostic(where, f"target {target!r} is not valid JSONPath: {error}"))
            continue
        matches = expression.find(result)
        if not matches:
            problems.append(Diagnostic(where, f"target {target!r} matches nothing in the spec"))
            continue
        if action.get("remove") is True:
            # remove from the last match backwards so list indexes stay valid
            for match in reversed(matches):
                _remove(match)
        elif "update" in action:
            for match in matches:
                try:
                    merge(match.value, action["update"])
                except TypeError as error:
                    problems.append(Diagnostic(where, f"{match.full_path}: {error}"))
        else:
            problems.append(Diagnostic(where, "action has neither update nor remove: true"))
    if problems:
        raise GenerationError(problems, f"{source} could not be applied")
    return result
