"""The intermediate representation: what the API is, independent of Python source.

Every layer renders from these frozen classes: models and converters, the client,
the webhook dispatcher and the SVAML builder's tables. Names in here are already
final (chosen by ``naming`` and the override file); templates only arrange them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

# --- types --------------------------------------------------------------------------


@attrs.frozen
class Primitive:
    """A JSON scalar: ``str``, ``int``, ``float``, ``bool``, ``datetime`` (UTC) or ``any``."""

    kind: str


@attrs.frozen
class ModelRef:
    name: str


@attrs.frozen
class EnumRef:
    name: str


@attrs.frozen
class UnionRef:
    name: str


@attrs.frozen
class ArrayOf:
    """A JSON array; ``min_items``/``max_items`` are documented, not enforced at run time."""

    item: TypeRef
    min_items: int | None = None
    max_items: int | None = None


@attrs.frozen
class MapOf:
    """A free-form JSON object: ``dict[str, value]``."""

    value: TypeRef


TypeRef = Primitive | ModelRef | EnumRef | UnionRef | ArrayOf | MapOf


class _NoDefault:
    """Marks a field whose schema gives no ``default``."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()


# --- schemas ------------------------------------------------------------------------


@attrs.frozen
class Field:
    """One property of a model."""

    wire_name: str
    py_name: str
    type: TypeRef
    required: bool
    description: str = ""
    default: Any = NO_DEFAULT  # the spec's default: documented, never written unless set
    deprecated: bool = False
    tag: str | None = None  # the fixed value of a union discriminator field
    aliases: tuple[str, ...] = ()  # other wire names accepted on input (e.g. ``callid``)
    spec_name: str = ""  # the spec's name, where the platform writes another (``callId``)
    svaml_json: bool = False  # a string holding SVAML as JSON text: also takes an Svaml


@attrs.frozen
class Model:
    name: str
    pointer: str
    description: str
    fields: tuple[Field, ...]

    @property
    def tag_field(self) -> Field | None:
        return next((f for f in self.fields if f.tag is not None), None)


@attrs.frozen
class EnumValue:
    wire: str
    py_name: str
    description: str = ""


@attrs.frozen
class Enum:
    """A string enum. ``open``: the spec documents known values but accepts others."""

    name: str
    pointer: str
    description: str
    values: tuple[EnumValue, ...]
    open: bool


@attrs.frozen
class UnionMember:
    tag: str
    model: str


@attrs.frozen
class Union:
    """A discriminated union with an explicit ``unknown`` class for tags we do not know."""

    name: str
    pointer: str
    description: str
    discriminator: str  # wire name of the tag property
    members: tuple[UnionMember, ...]
    unknown: str  # class name of the "unknown member" model


# --- operations ---------------------------------------------------------------------


@attrs.frozen
class Server:
    url: str
    description: str = ""


@attrs.frozen
class SecurityScheme:
    name: str  # the spec's key: "Basic", "Application"
    kind: str  # "http" or "apiKey"
    scheme: str = ""  # for http: "basic"
    header: str = ""  # for apiKey in header


@attrs.frozen
class Parameter:
    """A path, query or header parameter. The builder accepts the styles the client encodes
    (``simple`` for path and header, ``form`` for query), so ``explode`` is all that varies."""

    wire_name: str
    py_name: str
    location: str  # "path", "query" or "header"
    type: TypeRef
    required: bool
    description: str = ""
    explode: bool = False  # a query list: the key repeated (True) or one comma-joined value


@attrs.frozen
class Body:
    """A request or response body: JSON (other media types stop generation)."""

    type: TypeRef
    description: str = ""


@attrs.frozen
class Response:
    status: str  # "200", "204", "default"
    description: str
    body: Body | None


@attrs.frozen
class Operation:
    operation_id: str
    group: str  # client attribute: "callouts", "calls", ...
    method_name: str  # "create", "get", ...
    http_method: str  # "GET", "POST", ...
    path: str
    pointer: str
    summary: str
    description: str
    path_params: tuple[Parameter, ...]  # in the order of the path
    query_params: tuple[Parameter, ...]
    header_params: tuple[Parameter, ...]
    request_body: Body | None
    responses: tuple[Response, ...]
    servers: tuple[Server, ...]  # per-path servers; empty: the document's
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    shortcuts: tuple[Shortcut, ...] = ()

    @property
    def success(self) -> Response | None:
        """The 2xx response the client returns."""
        return next((r for r in self.responses if r.status.startswith("2")), None)


@attrs.frozen
class Shortcut:
    """A convenience method that calls an operation with one body field fixed.

    ``callouts.tts(...)`` is ``callouts.create`` with ``method="ttsCallout"`` and the
    ``ttsCallout`` sub-object built from keyword arguments.
    """

    name: str
    set_field: str  # py name of the field set to ``value``
    value: str  # wire value
    enum: str | None  # the enum class of ``set_field``; None when it is a plain string
    value_py_name: str  # enum member name of ``value`` ("" without an enum)
    payload_field: str  # py name of the field that takes the sub-object
    payload_model: str  # its model


@attrs.frozen
class EventVariant:
    """A callback body that is read as another model when one property has one value.

    A notify callback whose ``type`` is ``callingerror`` is a ``NotifyErrorRequest``.
    """

    property: str  # wire name of the property that tells the variant
    value: str
    model: str


@attrs.frozen
class Webhook:
    """A callback the platform sends: its event name, request model and answer."""

    event: str  # "ice", "ace", ...
    operation_id: str
    pointer: str
    summary: str
    description: str
    request: str  # model name
    response: TypeRef | None  # what the application answers with, if anything
    actions: tuple[str, ...]  # SVAML action tags the answer may carry
    instructions: bool  # whether the answer may carry instructions
    default_action: str | None = None  # the action answered when no handler is registered
    warn_unanswered: bool = False  # log a warning when that happens
    variants: tuple[EventVariant, ...] = ()  # bodies read as another model


@attrs.frozen
class SvamlChecks:
    """Rules the spec states in prose, read once by the IR builder for the SVAML builder.

    Each maps an action or instruction tag to the Python names of its fields that the
    rule covers.
    """

    dtmf_fields: Mapping[str, tuple[str, ...]]  # only 0-9, # and w ("DTMF tones ... w")
    text_limits: Mapping[str, tuple[str, ...]]  # "maximum length is N characters"
    text_limit: int | None  # that N
    prompt_fields: Mapping[str, tuple[str, ...]]  # take prompts: #tts[...], #ssml[...]
    menus: SvamlMenus | None = None  # runMenu-style menus, when the spec has them


@attrs.frozen
class SvamlMenus:
    """Menus (``runMenu``) as the SVAML builder's ``MenuBuilder`` makes and checks them."""

    fields: Mapping[str, str]  # action tag -> the Python name of its field holding menus
    menu: str  # the menu model
    option: str  # the model of a menu's options
    options_field: str  # the menu's field holding them
    prompt_fields: tuple[str, ...]  # the menu's fields that take prompts, in spec order


@attrs.frozen
class Api:
    """The whole API."""

    title: str
    version: str
    description: str
    spec_sha256: str
    overrides_sha256: str
    generator_version: str
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    unions: tuple[Union, ...]
    operations: tuple[Operation, ...]
    webhooks: tuple[Webhook, ...]
    servers: tuple[Server, ...]
    regions: Mapping[str, str]  # region -> url, from the document's servers
    security_schemes: tuple[SecurityScheme, ...]
    action_targets: Mapping[str, tuple[str, ...]]  # action tag -> where it may answer
    svaml_model: str | None = None  # the SVAML document callbacks answer with
    action_union: str | None = None  # the union of SVAML actions
    instruction_union: str | None = None  # the union of SVAML instructions
    positional: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)  # builder args
    svaml_checks: SvamlChecks | None = None

    def model(self, name: str) -> Model:
        return next(m for m in self.models if m.name == name)

    def union(self, name: str) -> Union:
        return next(u for u in self.unions if u.name == name)

    def enum(self, name: str) -> Enum:
        return next(e for e in self.enums if e.name == name)

    def members(self, union: str | None) -> tuple[UnionMember, ...]:
        """The members of a union named by the API (``action_union``), or none."""
        return self.union(union).members if union is not None else ()

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(sorted({op.group for op in self.operations}))
