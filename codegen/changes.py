"""What changed between two surfaces of the IR, classified for users of the package.

``compare`` takes two surfaces (``codegen.surface``) and lists every difference with the
Python name, the JSON pointer, a rule name and one of three classes:

``breaking``
    Code written against the old package can fail: an operation, model, field, enum
    value, parameter, callback, SVAML action or region that is gone; a new required
    request field or parameter; a field the user sends that became required or narrower
    (``float`` -> ``int``, anything -> an enum); a field the user reads that became
    optional, nullable or wider; a Python name that changed while the wire kept its
    name (an overrides.yaml rename); a changed response model or security scheme.
``behaviour``
    The same code runs but something else goes over the wire or happens on it: a
    changed default (the platform applies it when the field is left out), a property
    renamed on the wire while overrides.yaml keeps its Python name, an operation moved
    to another path or method, a region's URL, the answer a callback gets without a
    handler, and the SVAML builder's checks read from the spec's prose.
``compatible``
    Nothing a user wrote changes meaning: a new operation, model, optional field or
    parameter, enum value (readers keep values they do not know, ``is_known`` false),
    SVAML action or callback, a field the user sends that became optional or wider, a
    field the user reads that became required or narrower, a deprecation.

The rules follow oasdiff's documented checks, kept where they apply to a generated SDK:
direction decides (a request property may widen, a response property may narrow), a
removal always breaks (in Python even an optional field is an attribute and a keyword
argument), and a new enum value never breaks because every reader here is open. Checks
about media types, status codes other than the success one, validation keywords, tags and
stability levels are left out: the generator does not carry them to users.

Descriptions are compared only where the generator reads them (which callbacks an action
answers, prompt and DTMF rules); other prose changes nothing a user runs. Nullability is
read from the spec, since the IR has no such notion: a property that becomes nullable stops
generation unless ``allow:`` lists it, and then it is a type change to ``any`` as well.

What our own files hide: ``hidden_by_overlay`` lists the vendor's changes that
spec/overlays/corrections.yaml undoes, and a wire rename whose Python name is kept by
overrides.yaml says so in its note.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs

from .diagnostics import pointer as json_pointer
from .naming import snake
from .surface import resolve

JSON = Any
Severity = Literal["breaking", "behaviour", "compatible"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "behaviour", "compatible")
PACKAGE = "sinch_voice"


@attrs.frozen
class Change:
    """One difference: its rule, its class, the Python name and the JSON pointer."""

    rule: str  # "field-removed", "enum-value-added", ...
    severity: Severity
    python: str
    pointer: str
    detail: str
    note: str = ""

    def line(self) -> str:
        note = f"; {self.note}" if self.note else ""
        return f"[{self.rule}] {self.python}: {self.detail}{note}\n    at {self.pointer or '#'}"


# --- comparing --------------------------------------------------------------------------


def _widens(old: str | None, new: str | None) -> bool:
    """Whether every value of ``old`` is a value of ``new``."""
    return old == new or new == "any" or (old, new) == ("int", "float")


def _keyed(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """Every key of either side, sorted, with its value on each side (None if absent)."""
    for key in sorted(set(old) | set(new)):
        yield key, old.get(key), new.get(key)


def _sent(direction: str) -> bool:
    return direction in ("sent", "both")


def _read(direction: str) -> bool:
    return direction in ("read", "both")


class _Comparison:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []

    def add(
        self, rule: str, severity: Severity, python: str, at: str, detail: str, note: str = ""
    ) -> None:
        self.changes.append(Change(rule, severity, python, "#" + at, detail, note))

    def run(self) -> list[Change]:
        self.operations()
        self.models()
        self.enums()
        self.unions()
        self.webhooks()
        self.svaml()
        self.servers()
        order = {s: i for i, s in enumerate(SEVERITIES)}
        return sorted(self.changes, key=lambda c: (order[c.severity], c.python, c.rule, c.pointer))

    # operations ---------------------------------------------------------------------------
    def operations(self) -> None:
        for op_id, old, new in _keyed(self.old["operations"], self.new["operations"]):
            if old is None:
                self.add(
                    "operation-added", "compatible", new["python"], new["pointer"], new["http"]
                )
                continue
            if new is None:
                self.add(
                    "operation-removed", "breaking", old["python"], old["pointer"], old["http"]
                )
                continue
            at, py = new["pointer"], new["python"]
            if old["python"] != py:
                self.add(
                    "operation-renamed",
                    "breaking",
                    py,
                    at,
                    f"was {old['python']} ({op_id})",
                    "the method name comes from the operationId or overrides.yaml operations:",
                )
            if old["http"] != new["http"]:
                self.add("operation-moved", "behaviour", py, at, f"{old['http']} -> {new['http']}")
            for name in sorted(set(old["shortcuts"]) - set(new["shortcuts"])):
                self.add("shortcut-removed", "breaking", f"VoiceClient.{name}", at, "removed")
            for name in sorted(set(new["shortcuts"]) - set(old["shortcuts"])):
                self.add("shortcut-added", "compatible", f"VoiceClient.{name}", at, "added")
            if old["body"] != new["body"]:
                self.add(
                    "request-body-changed",
                    "breaking" if old["body"] is not None else "compatible",
                    py,
                    at + "/requestBody",
                    f"body {old['body']} -> {new['body']}",
                )
            if old["response"] != new["response"]:
                self.add(
                    "response-changed",
                    "breaking",
                    py,
                    at + "/responses",
                    f"returns {old['response']} -> {new['response']}",
                )
            if new["deprecated"] and not old["deprecated"]:
                self.add("operation-deprecated", "compatible", py, at, "deprecated")
            self.parameters(py, at, old["parameters"], new["parameters"])

    def parameters(self, py: str, at: str, old: Any, new: Any) -> None:
        for key, was, now in _keyed(old, new):
            where, wire = key.split(":", 1)
            if was is None:
                required = now["required"]
                self.add(
                    "parameter-added",
                    "breaking" if required else "compatible",
                    f"{py}({now['python']}=)",
                    at + "/parameters",
                    f"new {'required' if required else 'optional'} {where} parameter "
                    f"{wire!r} ({now['type']})",
                )
                continue
            if now is None:
                self.add(
                    "parameter-removed",
                    "breaking",
                    f"{py}({was['python']}=)",
                    at + "/parameters",
                    f"{where} parameter {wire!r} removed",
                )
                continue
            name = f"{py}({now['python']}=)"
            if was["python"] != now["python"]:
                self.add(
                    "parameter-renamed",
                    "breaking",
                    name,
                    at + "/parameters",
                    f"keyword was {was['python']} ({where} {wire!r})",
                )
            if was["required"] != now["required"]:
                self.add(
                    "parameter-required-changed",
                    "breaking" if now["required"] else "compatible",
                    name,
                    at + "/parameters",
                    "now required" if now["required"] else "now optional",
                )
            if was["type"] != now["type"]:
                self.add(
                    "parameter-type-changed",
                    "compatible" if _widens(was["type"], now["type"]) else "breaking",
                    name,
                    at + "/parameters",
                    f"{was['type']} -> {now['type']}",
                )

    # models -------------------------------------------------------------------------------
    def models(self) -> None:
        svaml = {
            *_svaml_models(self.old["svaml"]),
            *_svaml_models(self.new["svaml"]),
        }  # reported as SVAML actions and instructions
        for at, old, new in _keyed(self.old["models"], self.new["models"]):
            if (old is None or new is None) and (old or new)["name"] in svaml:
                continue
            if old is None:
                self.add("model-added", "compatible", f"{PACKAGE}.{new['name']}", at, "new model")
                continue
            if new is None:
                self.add("model-removed", "breaking", f"{PACKAGE}.{old['name']}", at, "removed")
                continue
            if old["name"] != new["name"]:
                self.add(
                    "model-renamed",
                    "breaking",
                    f"{PACKAGE}.{new['name']}",
                    at,
                    f"class was {old['name']}; the wire is unchanged",
                    "a class name from overrides.yaml classes: or the schema's place",
                )
            self.fields(new, at, old["fields"], new["fields"])

    def fields(self, model: Any, at: str, old: Any, new: Any) -> None:
        cls = f"{PACKAGE}.{model['name']}"
        direction = model["direction"]
        gone = {k: v for k, v in old.items() if k not in new}
        came = {k: v for k, v in new.items() if k not in old}
        for wire, was in sorted(gone.items()):
            kept = next((k for k, v in sorted(came.items()) if v["python"] == was["python"]), None)
            if kept is None:
                continue
            now = came.pop(kept)
            del gone[wire]
            note = ""
            if was["python"] == now["python"] and snake(kept) != now["python"]:
                note = "overrides.yaml keeps the Python name"
            self.add(
                "field-renamed-on-wire",
                "behaviour",
                f"{cls}.{now['python']}",
                at + json_pointer("properties", kept),
                f"wire name {wire!r} -> {kept!r}",
                note,
            )
            self.field(cls, direction, at, kept, was, now, renamed=True)
        for wire, was in sorted(gone.items()):
            self.add(
                "field-removed",
                "breaking",
                f"{cls}.{was['python']}",
                at + json_pointer("properties", wire),
                f"property {wire!r} removed",
            )
        for wire, now in sorted(came.items()):
            breaks = now["required"] and _sent(direction)
            self.add(
                "field-added",
                "breaking" if breaks else "compatible",
                f"{cls}.{now['python']}",
                at + json_pointer("properties", wire),
                f"new {'required' if now['required'] else 'optional'} property {wire!r} "
                f"({now['type']})",
                "a new required argument" if breaks else "",
            )
        for wire in sorted(set(old) & set(new)):
            self.field(cls, direction, at, wire, old[wire], new[wire])

    def field(
        self,
        cls: str,
        direction: str,
        at: str,
        wire: str,
        was: Any,
        now: Any,
        renamed: bool = False,
    ) -> None:
        name = f"{cls}.{now['python']}"
        where = at + json_pointer("properties", wire)
        sent, read = _sent(direction), _read(direction)
        if was["python"] != now["python"]:
            self.add(
                "field-renamed",
                "breaking",
                name,
                where,
                f"attribute was {was['python']}; the wire name {wire!r} is unchanged",
            )
        if was["wire"] != now["wire"] and not renamed:
            self.add(
                "field-written-name-changed",
                "behaviour",
                name,
                where,
                f"written as {was['wire']!r} -> {now['wire']!r}",
                "overrides.yaml platform_names",
            )
        if was["type"] != now["type"]:
            wider, narrower = _widens(was["type"], now["type"]), _widens(now["type"], was["type"])
            fine = (not read and wider) or (not sent and narrower)
            self.add(
                "field-type-changed",
                "compatible" if fine else "breaking",
                name,
                where,
                f"{was['type']} -> {now['type']} ({direction})",
            )
        if was["required"] != now["required"]:
            fine = (now["required"] and not sent) or (not now["required"] and not read)
            self.add(
                "field-required-changed",
                "compatible" if fine else "breaking",
                name,
                where,
                f"{'now required' if now['required'] else 'now optional'} ({direction})",
            )
        if was["nullable"] != now["nullable"]:
            fine = (now["nullable"] and not read) or (not now["nullable"] and not sent)
            self.add(
                "field-nullable-changed",
                "compatible" if fine else "breaking",
                name,
                where,
                f"{'now nullable' if now['nullable'] else 'no longer nullable'} ({direction})",
            )
        if was.get("default") != now.get("default"):
            self.add(
                "field-default-changed",
                "behaviour",
                name,
                where,
                f"default {_show(was.get('default'))} -> {_show(now.get('default'))}",
                "the platform applies it when the field is left out",
            )
        if now["deprecated"] and not was["deprecated"]:
            self.add("field-deprecated", "compatible", name, where, "deprecated")

    # enums and unions ---------------------------------------------------------------------
    def enums(self) -> None:
        for at, old, new in _keyed(self.old["enums"], self.new["enums"]):
            if old is None:
                self.add("enum-added", "compatible", f"{PACKAGE}.{new['name']}", at, "new enum")
                continue
            if new is None:
                self.add("enum-removed", "breaking", f"{PACKAGE}.{old['name']}", at, "removed")
                continue
            cls = f"{PACKAGE}.{new['name']}"
            if old["name"] != new["name"]:
                self.add("enum-renamed", "breaking", cls, at, f"class was {old['name']}")
            where = at + ("/x-enumDescriptions" if new["open"] else "/enum")
            for wire, was, now in _keyed(old["values"], new["values"]):
                if was is None:
                    self.add(
                        "enum-value-added",
                        "compatible",
                        f"{cls}.{now}",
                        where,
                        f"new value {wire!r}",
                        "readers already kept it as an unknown value",
                    )
                elif now is None:
                    self.add(
                        "enum-value-removed",
                        "breaking",
                        f"{cls}.{was}",
                        where,
                        f"value {wire!r} removed",
                        "code that sends or compares this member fails",
                    )
                elif was != now:
                    self.add("enum-member-renamed", "breaking", f"{cls}.{now}", where, f"was {was}")

    def unions(self) -> None:
        for at, old, new in _keyed(self.old["unions"], self.new["unions"]):
            if old is None or new is None or new["name"] in self.new["svaml"]["unions"]:
                continue  # a new or removed union shows as its field's type change
            cls = f"{PACKAGE}.{new['name']}"
            for tag, was, now in _keyed(old["members"], new["members"]):
                if was is None:
                    self.add("union-member-added", "compatible", cls, at, f"{tag!r}: {now}")
                elif now is None:
                    self.add("union-member-removed", "breaking", cls, at, f"{tag!r}: {was}")
                elif was != now:
                    detail = f"{tag!r}: {was} -> {now}"
                    self.add("union-member-changed", "breaking", cls, at, detail)

    # callbacks and SVAML ------------------------------------------------------------------
    def webhooks(self) -> None:
        for event, old, new in _keyed(self.old["webhooks"], self.new["webhooks"]):
            if old is None:
                self.add("callback-added", "compatible", new["python"], new["pointer"], event)
                continue
            if new is None:
                self.add("callback-removed", "breaking", old["python"], old["pointer"], event)
                continue
            py, at = new["python"], new["pointer"]
            if old["request"] != new["request"]:
                self.add(
                    "callback-model-changed",
                    "breaking",
                    py,
                    at,
                    f"handlers get {old['request']} -> {new['request']}",
                )
            if old["response"] != new["response"]:
                self.add(
                    "callback-answer-changed",
                    "breaking",
                    py,
                    at,
                    f"answer {old['response']} -> {new['response']}",
                )
            for action in sorted(set(old["actions"]) - set(new["actions"])):
                self.add(
                    "callback-action-removed",
                    "breaking",
                    py,
                    at,
                    f"may no longer answer with {action!r}",
                    f"{event}_response() loses the method",
                )
            for action in sorted(set(new["actions"]) - set(old["actions"])):
                self.add(
                    "callback-action-added",
                    "compatible",
                    py,
                    at,
                    f"may answer with {action!r}",
                )
            if old["instructions"] != new["instructions"]:
                allowed = new["instructions"]
                self.add(
                    "callback-instructions-changed",
                    "compatible" if allowed else "breaking",
                    py,
                    at,
                    "instructions now allowed" if allowed else "instructions no longer allowed",
                )
            if old["default_action"] != new["default_action"]:
                self.add(
                    "callback-default-changed",
                    "behaviour",
                    py,
                    at,
                    f"without a handler: {old['default_action']} -> {new['default_action']}",
                )

    def svaml(self) -> None:
        old, new = self.old["svaml"], self.new["svaml"]
        at = "/components/schemas/svaml.action"
        for tag, was, now in _keyed(old["actions"], new["actions"]):
            if was is None:
                self.add(
                    "svaml-action-added",
                    "compatible",
                    f"{PACKAGE}.{now['model']}",
                    at,
                    f"action {tag!r}, answers {', '.join(now['callbacks']) or 'no callback'}",
                )
            elif now is None:
                self.add(
                    "svaml-action-removed",
                    "breaking",
                    f"{PACKAGE}.{was['model']}",
                    at,
                    f"action {tag!r} removed",
                )
            elif was["callbacks"] != now["callbacks"]:
                lost = sorted(set(was["callbacks"]) - set(now["callbacks"]))
                self.add(
                    "svaml-action-callbacks-changed",
                    "breaking" if lost else "compatible",
                    f"{PACKAGE}.{now['model']}",
                    at,
                    f"answers {', '.join(was['callbacks'])} -> {', '.join(now['callbacks'])}",
                )
        at = "/components/schemas/svaml.instruction"
        for tag, was, now in _keyed(old["instructions"], new["instructions"]):
            if was is None:
                self.add(
                    "svaml-instruction-added",
                    "compatible",
                    f"{PACKAGE}.{now}",
                    at,
                    f"instruction {tag!r}",
                )
            elif now is None:
                self.add(
                    "svaml-instruction-removed",
                    "breaking",
                    f"{PACKAGE}.{was}",
                    at,
                    f"instruction {tag!r} removed",
                )
        checks_before, checks_now = old["checks"] or {}, new["checks"] or {}
        for key, was, now in _keyed(checks_before, checks_now):
            if was != now:
                self.add(
                    "svaml-checks-changed",
                    "behaviour",
                    f"{PACKAGE}.svaml",
                    "/components/schemas",
                    f"the builders' {key} check, read from descriptions: "
                    f"{_show(was)} -> {_show(now)}",
                )

    # servers and security -----------------------------------------------------------------
    def servers(self) -> None:
        for url, was, now in _keyed(self.old["servers"], self.new["servers"]):
            if was is None:
                self.add("server-added", "compatible", "VoiceClient", "/servers", url)
            elif now is None:
                self.add("server-removed", "breaking", "VoiceClient", "/servers", url)
        for region, was, now in _keyed(self.old["regions"], self.new["regions"]):
            py = f"VoiceClient(region={region!r})"
            if was is None:
                self.add("region-added", "compatible", py, "/servers", now)
            elif now is None:
                self.add("region-removed", "breaking", py, "/servers", f"was {was}")
            elif was != now:
                self.add("region-moved", "behaviour", py, "/servers", f"{was} -> {now}")
        for name, was, now in _keyed(self.old["security"], self.new["security"]):
            at = json_pointer("components", "securitySchemes", name)
            if was is None:
                self.add("security-added", "compatible", "VoiceClient", at, name)
            elif now is None:
                self.add("security-removed", "breaking", "VoiceClient", at, name)
            elif was != now:
                self.add(
                    "security-changed", "breaking", "VoiceClient", at, f"{name}: {was} -> {now}"
                )


def _svaml_models(svaml: Any) -> set[str]:
    return {a["model"] for a in svaml["actions"].values()} | set(svaml["instructions"].values())


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value, sort_keys=True)


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two surfaces, breaking first."""
    return _Comparison(old, new).run()


# --- what the overlay hides ---------------------------------------------------------------


def _differences(old: JSON, new: JSON, parts: tuple[str, ...] = ()) -> Iterator[str]:
    """Pointers of the deepest objects where two documents differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key not in old or key not in new:
                yield json_pointer(*parts, key)
            elif old[key] != new[key]:
                yield from _differences(old[key], new[key], (*parts, key))
    elif old != new:
        yield json_pointer(*parts)


def hidden_by_overlay(
    old_vendor: JSON, new_vendor: JSON, old_effective: JSON, new_effective: JSON
) -> list[str]:
    """The vendor's changes that the overlay undoes: users of the package never see them."""
    return [
        at
        for at in _differences(old_vendor, new_vendor)
        if resolve(old_effective, at) == resolve(new_effective, at)
    ]
