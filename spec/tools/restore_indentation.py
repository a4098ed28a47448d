"""Restore the indentation of the flattened vendor spec.

The only copy of the vendor document lost every leading space.  This tool rebuilds
the nesting from the OpenAPI 3.1 grammar and writes the vendor's lines back, each
unchanged but for its indentation.  It was run once to produce ``spec/sinch-voice.yaml``
and is kept so the restoration can be reproduced and audited.

How a line finds its parent
  * A mapping key goes to the innermost open mapping that accepts it: a keyword
    object (Schema, Operation, ...) accepts its own keywords with the right value
    shape, once each; a map of named things (``properties``, ``paths``, ...) accepts
    any new name whose value has the shape of that thing.
  * Example values are free-form, so they are placed by the schema they illustrate
    (found from the first pass's output): a key belongs to the innermost example
    mapping whose schema declares that property.
  * Block scalars (``|``, ``|-``, ``>-``) run until a line that some open mapping
    accepts as a key.
  * ``DECISIONS`` overrides the grammar where it cannot decide; each entry is
    explained in ``spec/README.md``.

Usage: python spec/tools/restore_indentation.py SEED OUT [--log]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

# What each kind of object accepts: keyword -> kind of its value.
# Value kinds: "S" scalar; "ANY" free-form example data; "seq:K" a sequence of K;
# "map:K" a mapping of free names to K; any other name is an object kind below.
GRAMMAR: dict[str, dict[str, str]] = {
    "ROOT": {
        "openapi": "S",
        "info": "INFO",
        "servers": "seq:SERVER",
        "security": "seq:SECREQ",
        "webhooks": "map:PATHITEM",
        "paths": "map:PATHITEM",
        "components": "COMPONENTS",
        "tags": "seq:TAG",
    },
    "INFO": {
        "title": "S",
        "version": "S",
        "description": "S",
        "license": "LICENSE",
        "contact": "CONTACT",
    },
    "LICENSE": {"name": "S", "url": "S"},
    "CONTACT": {"name": "S", "url": "S", "email": "S"},
    "SERVER": {"url": "S", "description": "S"},
    "SECREQ": {"*": "S"},  # written inline as a flow sequence: `Basic: []`
    "PATHITEM": {
        "get": "OPERATION",
        "put": "OPERATION",
        "post": "OPERATION",
        "patch": "OPERATION",
        "delete": "OPERATION",
        "parameters": "seq:PARAM",
        "servers": "seq:SERVER",
        "summary": "S",
        "description": "S",
    },
    "OPERATION": {
        "tags": "seq:S",
        "summary": "S",
        "description": "S",
        "operationId": "S",
        "requestBody": "REQBODY",
        "responses": "map:RESPONSE",
        "parameters": "seq:PARAM",
        "deprecated": "S",
    },
    "REQBODY": {"$ref": "S", "content": "map:MEDIA", "description": "S", "required": "S"},
    "MEDIA": {"schema": "SCHEMA", "example": "ANY", "examples": "map:EXAMPLE"},
    "RESPONSE": {"description": "S", "content": "map:MEDIA"},
    "EXAMPLE": {"$ref": "S", "summary": "S", "description": "S", "value": "ANY"},
    "COMPONENTS": {
        "securitySchemes": "map:SECSCHEME",
        "examples": "map:EXAMPLE",
        "requestBodies": "map:REQBODY",
        "parameters": "map:PARAM",
        "schemas": "map:SCHEMA",
    },
    "SECSCHEME": {"type": "S", "scheme": "S", "description": "S", "in": "S", "name": "S"},
    "PARAM": {
        "$ref": "S",
        "in": "S",
        "name": "S",
        "schema": "SCHEMA",
        "required": "S",
        "description": "S",
        "example": "ANY",
    },
    "SCHEMA": {
        "type": "S",
        "description": "S",
        "format": "S",
        "$ref": "S",
        "properties": "map:SCHEMA",
        "items": "SCHEMA",
        "required": "seq:S",
        "enum": "seq:S",
        "default": "ANY",
        "example": "ANY",
        "examples": "seq:ANY",
        "x-enumDescriptions": "map:S",
        "anyOf": "seq:SCHEMA",
        "oneOf": "seq:SCHEMA",
        "discriminator": "DISC",
        "minItems": "S",
        "maxItems": "S",
    },
    "DISC": {"propertyName": "S", "mapping": "map:S"},
    "TAG": {"name": "S", "description": "S"},
}

# Placements the grammar cannot decide: (1-based seed line, its text) -> the path of
# the mapping the key belongs to.  Each one's evidence is in spec/README.md.
DECISIONS: dict[tuple[int, str], str] = {
    # an unreferenced schema after a nested object: a new component, not a property
    (1338, "getRecordingFileInfo:"): "components/schemas",
    (2444, "notifyErrorRequest:"): "components/schemas",
    # a property after an inline object belongs to the outer schema
    (1485, "dtmf:"): "components/schemas/conferenceCalloutRequest/properties",
    (1876, "moh:"): "components/schemas/svaml.action.connectConf/properties",
    (1907, "maxDuration:"): "components/schemas/svaml.action.connectSip/properties",
    (2278, "domain:"): "components/schemas/iceRequest/properties",
    (2365, "duration:"): "components/schemas/diceRequest/properties",
    (2418, "version:"): "components/schemas/pieRequest/properties",
    # example data under a name its schema spells differently (`callheaders`)
    (921, "callHeaders:"): "components/examples/connectMxp/value/action",
}

# Component examples that nothing references, tied to the schema they illustrate
# (evidence: their values; see spec/README.md).
UNREFERENCED_EXAMPLE_SCHEMAS: dict[str, str] = {
    r"^\d{5}Example$": "Error",
    r"^(hangup|continue|connectPstn|connectMxp|connectConf|connectSip|runMenu|park|"
    r"playFiles|say|sendDtmf|setCookie|answer|startRecording|stopRecording)$": "SVAMLRequestBody",
}

ARRAY_KEYWORDS = {"items", "minItems", "maxItems"}
OBJECT_KEYWORDS = {"properties", "required", "discriminator"}

KEY_RE = re.compile(
    r"""^(?P<key>"[^"]*"|'[^']*'|[^\s"'#\-\[\{][^\s:]*(?:[ ][^\s:]+)*):(?:[ ]+(?P<value>.*))?$"""
)
BLOCK_INDICATORS = {"|", "|-", "|+", ">", ">-", ">+"}


def unquote(key: str) -> str:
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        return key[1:-1]
    return key


def open_brackets(text: str) -> int:
    """Net count of unclosed ``[``/``{`` in flow text, ignoring quoted parts."""
    depth, quote = 0, ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return depth


def open_quote(value: str) -> bool:
    """True when a scalar value starts a double-quoted string it does not close."""
    if not value.startswith('"'):
        return False
    body = value[1:]
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] == '"':
            return False
        i += 1
    return True


@dataclass
class Frame:
    """An open mapping or sequence during reconstruction."""

    indent: int
    kind: str  # an object kind, "map:K", "seq:K" or "ANY"
    path: tuple[str, ...]
    seen: set[str] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)  # scalar values, e.g. a schema's type
    schema: Any = None  # for ANY frames in pass 2: the schema the data illustrates
    first_keys: list[str] = field(default_factory=list)  # for seq frames

    @property
    def is_seq(self) -> bool:
        return self.kind.startswith("seq:")

    def child_kind(self, key: str) -> str | None:
        if self.kind == "ANY":
            return "ANY"
        if self.kind.startswith("map:"):
            return self.kind[4:]
        grammar = GRAMMAR[self.kind]
        return grammar.get(key, grammar.get("*"))


def value_shape(kind: str) -> str:
    """'scalar', 'seq', 'map' or 'either': the value shape a kind of value takes."""
    if kind == "S":
        return "scalar"
    if kind == "ANY":
        return "either"
    return "seq" if kind.startswith("seq:") else "map"


class Restorer:
    def __init__(self, lines: list[str], schemas: SchemaIndex | None) -> None:
        self.lines = lines
        self.schemas = schemas
        self.out: list[str] = []
        self.log: list[str] = []
        self.stack: list[Frame] = [Frame(0, "ROOT", ())]
        # A name some $ref points at as a component schema is defined by the last
        # line that opens a mapping under that name: earlier ones are properties.
        referenced = set(re.findall(r"#/components/schemas/([^\"'\s]+)", "\n".join(lines)))
        self.defines_component: dict[str, int] = {}
        for number, line in enumerate(lines):
            match = KEY_RE.match(line.strip())
            if match and match["value"] is None and unquote(match["key"]) in referenced:
                self.defines_component[unquote(match["key"])] = number
        self.comments: list[str] = []

    # -- acceptance -------------------------------------------------------------
    def accepts(
        self, frame: Frame, key: str, shape: str, at: int | None = None, strict: bool = True
    ) -> bool:
        if frame.is_seq or key in frame.seen:
            return False
        kind = frame.child_kind(key)
        if kind is None:
            return False
        if (
            frame.kind == "ANY"
            and frame.schema is not None
            and self.schemas is not None
            and not self.schemas.has_property(frame, key)
        ):
            return False
        want = value_shape(kind)
        if not (want == "either" or want == shape):
            return False
        if strict and frame.kind == "SCHEMA" and not self.applies(frame, key, at):
            return False
        return at is None or self.fits(kind, at)

    def applies(self, frame: Frame, key: str, at: int | None) -> bool:
        """JSON Schema keywords that only apply to one type need a schema of that type."""
        if "$ref" in frame.seen:
            return False  # a reference schema here never takes keywords after its $ref
        declared = frame.values.get("type")
        if declared is None:
            return True
        if key in ARRAY_KEYWORDS:
            return declared == "array"
        if key in OBJECT_KEYWORDS:
            return declared == "object"
        if key in ("example", "default") and at is not None:
            value = KEY_RE.match(self.lines[at].strip())
            given = (value["value"] or "") if value else ""
            if given.startswith("["):
                return declared == "array"
            if given.startswith("{") or (not given and self.shape_of(None, at) == "map"):
                return declared == "object"
        return True

    def fits(self, kind: str, at: int) -> bool:
        """Whether the lines after line ``at`` can open a value of ``kind``.

        An object kind needs its first key to be one of its keywords; a map of
        named objects needs the first name's first key to be one.
        """
        if kind.startswith("map:"):
            inner = kind[4:]
            return inner not in GRAMMAR or self.fits(inner, at + 1 + self.skip(at + 1))
        if kind not in GRAMMAR or "*" in GRAMMAR[kind]:
            return True
        nxt = self.next_line(at)
        match = KEY_RE.match(nxt or "")
        return match is not None and unquote(match["key"]) in GRAMMAR[kind]

    def skip(self, at: int) -> int:
        """How many blank lines follow line ``at``."""
        j = at
        while j + 1 < len(self.lines) and not self.lines[j + 1].strip():
            j += 1
        return j - at

    def candidates(self, key: str, shape: str, at: int) -> list[int]:
        """Open mappings that accept ``key``, innermost first.

        Example data with no known schema takes a key only when nothing else does,
        so that the end of an example is found by the structure around it.
        """
        found = [i for i, f in enumerate(self.stack) if self.accepts(f, key, shape, at)]
        if not found:  # the vendor's own errata: a keyword on a schema of another type
            found = [i for i, f in enumerate(self.stack) if self.accepts(f, key, shape, at, False)]
            if found:
                self.log.append(
                    f"{at + 1}: INAPPLICABLE {key!r} kept on {'/'.join(self.stack[found[-1]].path)}"
                )
        found.reverse()
        typed = [i for i in found if not self.is_free(self.stack[i])]
        found = typed or found
        if len(found) > 1 and self.ends_extension_map(found[0], found[1]):
            found = found[1:]
        if self.defines_component.get(key) == at:
            named = [i for i in found if self.stack[i].path == ("components", "schemas")]
            found = named + [i for i in found if i not in named]
        return found

    def ends_extension_map(self, inner: int, outer: int) -> bool:
        """A free-form extension map (``x-enumDescriptions``) ends at a keyword of its schema.

        An extension map takes any name, so ``example:`` or ``default:`` after its last
        entry would be read as one more entry; when the Schema object that holds the map
        accepts that keyword, the keyword is the schema's (see spec/README.md).
        """
        frame = self.stack[inner]
        return (
            frame.kind.startswith("map:")
            and bool(frame.path)
            and frame.path[-1].startswith("x-")
            and outer == inner - 1
            and self.stack[outer].kind == "SCHEMA"
        )

    def untyped_fallback(self, key: str) -> int:
        """Example data whose schema lacks ``key``: the innermost example mapping."""
        for k in range(len(self.stack) - 1, 0, -1):
            frame = self.stack[k]
            if frame.kind == "ANY" and key not in frame.seen and not frame.is_seq:
                return k
            if frame.kind != "ANY":
                break
        return 0

    def is_free(self, frame: Frame) -> bool:
        if frame.kind != "ANY":
            return False
        return self.schemas is None or self.schemas.properties(frame.schema) is None

    # -- helpers ------------------------------------------------------------------
    def shape_of(self, value: str | None, index: int) -> str:
        if value is not None and value not in BLOCK_INDICATORS:
            return "scalar"
        if value in BLOCK_INDICATORS:
            return "scalar"
        nxt = self.next_line(index)
        if nxt is None:
            return "scalar"
        if nxt.startswith("- ") or nxt == "-":
            return "seq"
        if KEY_RE.match(nxt):
            return "map"
        return "scalar"  # a plain scalar continued on the next line

    def next_line(self, index: int) -> str | None:
        for j in range(index + 1, len(self.lines)):
            if self.lines[j].strip():
                return self.lines[j].strip()
        return None

    def emit(self, indent: int, text: str) -> None:
        for comment in self.comments:
            self.out.append(" " * indent + comment)
        self.comments.clear()
        self.out.append(" " * indent + text)

    # -- main loop ----------------------------------------------------------------
    def run(self) -> str:
        i = 0
        n = len(self.lines)
        while i < n:
            text = self.lines[i].strip()
            if not text:
                i += 1
                continue
            if text.startswith("#"):
                self.comments.append(text)
                i += 1
                continue
            if text.startswith("- ") or text == "-":
                i = self.sequence_item(i, text)
                continue
            match = KEY_RE.match(text)
            if not match:
                raise SystemExit(f"line {i + 1}: cannot place {text!r}")
            i = self.mapping_key(i, text, match)
        return "\n".join(self.out) + "\n"

    def place(self, i: int, key: str, shape: str) -> Frame:
        text = self.lines[i].strip()
        found = self.candidates(key, shape, i)
        forced = DECISIONS.get((i + 1, text))
        if forced is not None:
            targets = [k for k, f in enumerate(self.stack) if "/".join(f.path) == forced]
            if not targets or key in self.stack[targets[0]].seen:
                raise SystemExit(
                    f"line {i + 1}: decided parent {forced} is not open or has {key!r}"
                )
            target = targets[0]
            self.log.append(
                f"{i + 1}: DECIDED {text[:60]!r} -> {'/'.join(self.stack[target].path)}"
            )
            choice = target
        elif not found and self.schemas is not None and self.untyped_fallback(key):
            choice = self.untyped_fallback(key)
            self.log.append(
                f"{i + 1}: NOT IN SCHEMA {text[:50]!r} -> {'/'.join(self.stack[choice].path)}"
            )
        elif not found:
            raise SystemExit(
                f"line {i + 1}: no open mapping accepts {key!r} ({shape}); open: "
                + " > ".join(f.kind for f in self.stack)
            )
        else:
            choice = found[0]
            if len(found) > 1:
                self.log.append(
                    f"{i + 1}: {text[:50]!r} -> {'/'.join(self.stack[choice].path) or '/'}"
                    f"  (also: {', '.join('/'.join(self.stack[k].path) for k in found[1:])})"
                )
        del self.stack[choice + 1 :]
        return self.stack[-1]

    def mapping_key(self, i: int, text: str, match: re.Match[str]) -> int:
        key = unquote(match["key"])
        value = match["value"]
        shape = self.shape_of(value, i)
        frame = self.place(i, key, shape)
        frame.seen.add(key)
        if value is not None:
            frame.values[key] = value
        self.emit(frame.indent, text)
        return self.after_key(i, frame, key, value, shape)

    def after_key(self, i: int, frame: Frame, key: str, value: str | None, shape: str) -> int:
        kind = frame.child_kind(key) or "ANY"
        path = (*frame.path, key)
        body_indent = frame.indent + 2
        i += 1
        if value in BLOCK_INDICATORS:
            return self.block_scalar(i, body_indent, frame)
        if value is not None and open_brackets(value) > 0:
            depth = open_brackets(value)
            while depth > 0:
                line = self.lines[i].strip()
                self.emit(body_indent, line)
                depth += open_brackets(line)
                i += 1
            return i
        if value is not None and open_quote(value):
            while True:  # a double-quoted scalar spread over several lines
                line = self.lines[i].strip()
                self.emit(body_indent, line)
                i += 1
                if not open_quote('"' + line):
                    return i
        if shape == "scalar":
            # plain scalar, possibly continued on following non-key lines
            while i < len(self.lines):
                line = self.lines[i].strip()
                if not line:
                    i += 1
                    continue
                if KEY_RE.match(line) or line.startswith("- ") or line.startswith("#"):
                    break
                self.emit(body_indent, line)
                i += 1
            return i
        # a nested block: mapping or sequence, decided by the next line
        nxt = self.next_line(i - 1) or ""
        child_schema = None
        if kind == "ANY" and self.schemas is not None:
            child_schema = self.schemas.child_schema(frame, key)
        if nxt.startswith("- "):
            seq_kind = kind if kind.startswith("seq:") else "seq:ANY"
            self.stack.append(Frame(body_indent, seq_kind, path, schema=child_schema))
        else:
            self.stack.append(Frame(body_indent, kind, path, schema=child_schema))
        return i

    def block_scalar(self, i: int, indent: int, owner: Frame) -> int:
        start = i
        first = True
        while i < len(self.lines):
            line = self.lines[i].strip()
            if not first:
                match = KEY_RE.match(line)
                if match:
                    key = unquote(match["key"])
                    shape = self.shape_of(match["value"], i)
                    depth = self.stack.index(owner)
                    if any(self.accepts(f, key, shape, i) for f in self.stack[: depth + 1]):
                        break
            self.emit(indent, line)
            first = False
            i += 1
        self.log.append(
            f"{start}: block scalar of {len(range(start, i))} lines ends before line {i + 1}"
        )
        return i

    def sequence_item(self, i: int, text: str) -> int:
        rest = text[2:].strip() if text != "-" else ""
        match = KEY_RE.match(rest) if rest else None
        first_key = unquote(match["key"]) if match else None
        seqs = [k for k, f in enumerate(self.stack) if f.is_seq]
        if not seqs:
            raise SystemExit(f"line {i + 1}: sequence item with no open sequence")
        choice = seqs[-1]
        if len(seqs) > 1:
            same = [
                k for k in reversed(seqs) if first_key and first_key in self.stack[k].first_keys
            ]
            # an item whose first key matches earlier items' belongs with them (menus vs options)
            if same:
                choice = same[0]
            if choice != seqs[-1] or any(
                first_key and first_key in self.stack[k].first_keys for k in seqs[:-1]
            ):
                self.log.append(
                    f"{i + 1}: item {text[:40]!r} -> {'/'.join(self.stack[choice].path)}"
                )
        del self.stack[choice + 1 :]
        seq = self.stack[-1]
        self.emit(seq.indent, text)
        item_kind = seq.kind[4:]
        if first_key is not None:
            seq.first_keys.append(first_key)
        item_schema = self.schemas.item_schema(seq) if self.schemas is not None else None
        if match is None:
            # scalar item, possibly with flow continuation
            depth = open_brackets(rest)
            i += 1
            while depth > 0:
                line = self.lines[i].strip()
                self.emit(seq.indent + 2, line)
                depth += open_brackets(line)
                i += 1
            return i
        kind = item_kind if item_kind in GRAMMAR or item_kind == "ANY" else "ANY"
        frame = Frame(seq.indent + 2, kind, (*seq.path, "[]"), schema=item_schema)
        self.stack.append(frame)
        key = first_key or ""
        value = match["value"]
        shape = self.shape_of(value, i)
        frame.seen.add(key)
        # the "- key:" line is already emitted; continue as for a key in the item
        return self.after_key(i, frame, key, value, shape)


class SchemaIndex:
    """Schemas of the first pass, to place example keys by the schema they illustrate."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
        self.example_schema: dict[str, Any] = {}
        self.index_example_refs(doc)

    def resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.schemas.get(name, {})
            seen += 1
        return schema

    def members(self, schema: Any) -> list[Any]:
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return []
        out = [schema]
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key, []) or []:
                out.extend(self.members(sub))
        return out

    def properties(
        self, schema: Any, values: dict[str, str] | None = None
    ) -> dict[str, Any] | None:
        props: dict[str, Any] = {}
        typed = False
        resolved = self.resolve(schema)
        disc = resolved.get("discriminator") if isinstance(resolved, dict) else None
        if disc and values and disc["propertyName"] in values:
            tag = values[disc["propertyName"]].strip("\"'")
            target = disc.get("mapping", {}).get(tag)
            if target:
                schema = {"$ref": target}
        for member in self.members(schema):
            if "properties" in member:
                typed = True
                props.update(member["properties"] or {})
        return props if typed else None

    def has_property(self, frame: Frame, key: str) -> bool:
        props = self.properties(frame.schema, frame.values)
        return props is None or key in props

    def child_schema(self, frame: Frame, key: str) -> Any:
        if frame.kind != "ANY":
            # the root of an example: find which schema it illustrates
            return self.root_schema(frame, key)
        if frame.schema is None:
            return None
        props = self.properties(frame.schema, frame.values) or {}
        return props.get(key)

    def item_schema(self, seq: Frame) -> Any:
        if seq.schema is None:
            return None
        schema = self.resolve(seq.schema)
        return schema.get("items") if isinstance(schema, dict) else None

    def root_schema(self, frame: Frame, key: str) -> Any:
        path = frame.path
        if key == "value" and len(path) == 3 and path[:2] == ("components", "examples"):
            name = path[2]
            if name in self.example_schema:
                return self.example_schema[name]
            for pattern, schema_name in UNREFERENCED_EXAMPLE_SCHEMAS.items():
                if re.match(pattern, name):
                    return {"$ref": f"#/components/schemas/{schema_name}"}
            return None
        if key == "value" and len(path) >= 2 and path[-2] == "examples":
            media = self.at(path[:-2])  # an inline example of a media type
            return media.get("schema") if isinstance(media, dict) else None
        node = self.at(path)
        if key == "example" and isinstance(node, dict):
            if "schema" in node:  # media type or parameter
                return node["schema"]
            return node  # a schema's own example
        return None

    def at(self, path: tuple[str, ...]) -> Any:
        node: Any = self.doc
        for part in path:
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return None
        return node

    def index_example_refs(self, node: Any) -> None:
        if isinstance(node, dict):
            if "schema" in node and isinstance(node.get("examples"), dict):
                for ex in node["examples"].values():
                    if isinstance(ex, dict) and "$ref" in ex:
                        self.example_schema[ex["$ref"].rsplit("/", 1)[-1]] = node["schema"]
            for value in node.values():
                self.index_example_refs(value)
        elif isinstance(node, list):
            for value in node:
                self.index_example_refs(value)


def load(text: str) -> Any:
    yaml = YAML(typ="safe", pure=True)
    return yaml.load(StringIO(text))


def restore(seed: str) -> tuple[str, list[str]]:
    lines = seed.splitlines()
    restorer = Restorer(lines, None)
    first = restorer.run()
    index = SchemaIndex(load(first))
    second = Restorer(lines, index)
    text = second.run()
    load(text)  # must parse
    return text, second.log


def main(argv: list[str]) -> int:
    seed, out = Path(argv[1]), Path(argv[2])
    text, log = restore(seed.read_text(encoding="utf-8"))
    out.write_text(text, encoding="utf-8")
    if "--log" in argv:
        print("\n".join(log))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
