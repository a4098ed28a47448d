"""Where a reader finds a model: the sections of ``models.py`` and ``_hooks.py``, and
what uses each model.

A model, enum or union belongs to the part of the API that reaches it: the SVAML
document (callbacks' answers), one callback's body, or one client group's requests and
responses. What several parts reach goes to one shared section; what none reaches
(``Error``, read by the client's error handling) to a last one.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from .. import ir

SHARED = "shared"
OTHER = "other"


@attrs.frozen
class Section:
    key: str  # "svaml", "callback:ice", "client:calls", "shared", "other"
    title: str
    enums: tuple[ir.Enum, ...]
    models: tuple[ir.Model, ...]
    unions: tuple[ir.Union, ...]


def _refs(t: ir.TypeRef) -> Iterator[str]:
    """The names of the models, enums and unions a type mentions."""
    if isinstance(t, (ir.ModelRef, ir.EnumRef, ir.UnionRef)):
        yield t.name
    elif isinstance(t, ir.ArrayOf):
        yield from _refs(t.item)
    elif isinstance(t, ir.MapOf):
        yield from _refs(t.value)


def _reach(api: ir.Api, roots: list[str], taken: set[str]) -> list[str]:
    """Everything reachable from ``roots`` (fields, union members), in the order met,
    leaving out names in ``taken``."""
    models = {m.name: m for m in api.models}
    unions = {u.name: u for u in api.unions}
    found: list[str] = []
    pending = [r for r in roots if r not in taken]
    while pending:
        name = pending.pop(0)
        if name in found or name in taken:
            continue
        found.append(name)
        if name in models:
            pending += [r for f in models[name].fields for r in _refs(f.type)]
        elif name in unions:
            pending += [m.model for m in unions[name].members]
    return found


def _parts(api: ir.Api) -> list[tuple[str, str, list[str]]]:
    """Each part of the API: (key, title, its roots)."""
    parts: list[tuple[str, str, list[str]]] = []
    if api.svaml_model is not None:
        parts.append(("svaml", "SVAML: the answers to callbacks", [api.svaml_model]))
    for hook in api.webhooks:
        roots = [hook.request, *(v.model for v in hook.variants)]
        title = f"{hook.event.upper()} callback: {hook.summary or hook.event}"
        parts.append((f"callback:{hook.event}", title, roots))
    for group in api.groups:
        roots = []
        for op in api.operations:
            if op.group != group:
                continue
            bodies = [op.request_body, *(r.body for r in op.responses)]
            roots += [name for body in bodies if body for name in _refs(body.type)]
        parts.append((f"client:{group}", f"client.{group}: requests and responses", roots))
    return parts


def sections(api: ir.Api) -> list[Section]:
    """The sections, in reading order: the callbacks, SVAML, the client groups, then the
    shared and the other ones. The SVAML part claims its models first, so a callback's
    answer or ``calls.update``'s body does not make the whole document shared."""
    parts = _parts(api)
    owner: dict[str, str] = {}
    order: list[str] = []
    if parts and parts[0][0] == "svaml":
        order = _reach(api, parts[0][2], set())
        owner.update(dict.fromkeys(order, "svaml"))
    taken = set(order)
    for key, _, roots in parts:
        if key == "svaml":
            continue
        for name in _reach(api, roots, taken):
            owner[name] = SHARED if name in owner and owner[name] != key else key
            if name not in order:
                order.append(name)
    for union in api.unions:  # a union's members stand beside it: its alias names them
        for member in union.members:
            owner[member.model] = owner.get(union.name, OTHER)
    titles = [(key, title) for key, title, _ in parts if key.startswith("callback:")]
    titles += [(key, title) for key, title, _ in parts if not key.startswith("callback:")]
    titles += [(SHARED, "Shared by several of the above"), (OTHER, "Other schemas of the spec")]
    rank = {name: index for index, name in enumerate(order)}
    result = []
    for key, title in titles:

        def mine(name: str, key: str = key) -> bool:
            return owner.get(name, OTHER) == key

        def by_rank(item: ir.Model | ir.Enum | ir.Union) -> int:
            return rank.get(item.name, len(rank))

        section = Section(
            key,
            title,
            tuple(sorted((e for e in api.enums if mine(e.name)), key=by_rank)),
            tuple(sorted((m for m in api.models if mine(m.name)), key=by_rank)),
            tuple(u for u in api.unions if mine(u.name)),
        )
        if section.enums or section.models or section.unions:
            result.append(section)
    return result


def uses(api: ir.Api) -> dict[str, list[str]]:
    """Where each model or enum is used: ``IceRequest.user_rate``, ``the body of
    calls.update``, ``what calls.get returns``, ``the ice callback``."""
    found: dict[str, list[str]] = {}
    for model in api.models:
        for field in model.fields:
            for name in _refs(field.type):
                found.setdefault(name, []).append(f"``{model.name}.{field.py_name}``")
    for op in api.operations:
        call = f"``client.{op.group}.{op.method_name}``"
        if op.request_body:
            for name in _refs(op.request_body.type):
                found.setdefault(name, []).append(f"the body {call} sends")
        for response in op.responses:
            for name in _refs(response.body.type) if response.body else ():
                found.setdefault(name, []).append(f"what {call} returns")
    for hook in api.webhooks:
        for name in (hook.request, *(v.model for v in hook.variants)):
            found.setdefault(name, []).append(f"the {hook.event} callback's body")
    return found
