"""Every Python name the generator writes comes from here.

Wire names are camelCase (``callResourceUrl``), schema names dotted or camel
(``svaml.action.runMenu``, ``iceRequest``); Python wants snake_case attributes and
PascalCase classes. Keywords get a trailing underscore (``from`` -> ``from_``); the
override file supplies nicer names where the spec's are poor and splits words the
spec ran together (``applicationkey`` -> ``application_key``).
"""

from __future__ import annotations

import re

_WORD_BOUNDARY = re.compile(
    r"[A-Z]+(?=[A-Z][a-z0-9])"  # an acronym before a capitalised word: SVAMLRequest -> SVAML
    r"|[A-Z]?[a-z0-9]+"  # a lower-case word, maybe capitalised
    r"|[A-Z]+"  # a trailing acronym
)
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")

# The words Python reserves, fixed here so that the output does not depend on the
# interpreter that runs the generator (``keyword.softkwlist`` grew ``type`` in 3.12): the
# hard keywords of Python 3.10 to 3.13 (identical in all four); soft keywords (``match``,
# ``case``, ``type``, ``_``) are valid names and are kept. A Python that adds a hard
# keyword fails tests/generator/test_naming.py: add it here (a generator change, which
# the provenance's GENERATOR_VERSION records).
RESERVED = frozenset(
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break",
        "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
        "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield",
    }
)  # fmt: skip


def words(name: str) -> list[str]:
    """Split any spelling into its words: ``svaml.action.runMenu`` -> svaml, action, run, Menu."""
    out: list[str] = []
    for chunk in _SEPARATORS.split(name):
        out.extend(_WORD_BOUNDARY.findall(chunk))
    return out


def safe_identifier(name: str) -> str:
    """A valid identifier: a reserved word gets ``_`` appended (``from`` -> ``from_``)."""
    if not name or name[0].isdigit():
        name = "v_" + name
    if name in RESERVED:
        name += "_"
    return name


def snake(name: str) -> str:
    """``callResourceUrl`` -> ``call_resource_url``; ``from`` -> ``from_``."""
    return safe_identifier("_".join(w.lower() for w in words(name)))


def pascal(name: str) -> str:
    """``svaml.action.runMenu`` -> ``SvamlActionRunMenu``; ``iceRequest`` -> ``IceRequest``."""
    parts = words(name)
    joined = "".join(w[:1].upper() + w[1:] for w in parts)
    return safe_identifier(joined)


def constant(value: str) -> str:
    """An enum member name for a wire value: ``N/A`` -> ``N_A``, ``runMenu`` -> ``RUN_MENU``."""
    parts = words(value)
    name = "_".join(w.upper() for w in parts) or "EMPTY"
    if name[0].isdigit():
        name = "V_" + name
    return name


def distinct_constants(values: list[str]) -> list[str]:
    """Member names for values that may differ only in case (``number``, ``Number``).

    The first spelling of a word gets the plain name; a later spelling that collides
    is told apart by its case: ``Number`` -> ``NUMBER_TITLE``, ``PSTN`` -> ``PSTN_UPPER``.
    """
    names: list[str] = []
    for value in values:
        name = constant(value)
        if name in names:
            suffix = "UPPER" if value.isupper() else "TITLE" if value.istitle() else "LOWER"
            name = f"{name}_{suffix}"
        while name in names:
            name += "_"
        names.append(name)
    return names


# --- names derived from other names -------------------------------------------------


def attribute(wire_name: str) -> str:
    """The attribute for a wire name that is not a model field (a union's tag): ``name``."""
    return snake(wire_name)


def _function_stem(class_name: str) -> str:
    """A class's name in a function's: ``ice_request``; a keyword-like class name loses
    its trailing underscore there (``From_`` -> ``structure_from``)."""
    return snake(class_name).rstrip("_")


def model_keys(class_name: str) -> str:
    """``_IceRequest_KEYS``: the wire names a model reads (strict mode refuses others)."""
    return f"_{class_name}_KEYS"


def structure_function(class_name: str) -> str:
    """``structure_ice_request``: reads ``IceRequest`` from JSON-ready values."""
    return "structure_" + _function_stem(class_name)


def union_readers(union_name: str) -> str:
    """``_SvamlAction_MEMBERS``: a union's member readers by tag."""
    return f"_{union_name}_MEMBERS"


def unstructure_function(class_name: str) -> str:
    """``unstructure_ice_request``: writes ``IceRequest`` as JSON-ready values."""
    return "unstructure_" + _function_stem(class_name)


def union_writers(union_name: str) -> str:
    """``_SvamlAction_UNSTRUCTURE``: a union's member writers by class."""
    return f"_{union_name}_UNSTRUCTURE"


def wire_reader(class_name: str) -> str:
    """``read_ice_request``: copies a decoded struct into ``IceRequest``."""
    return "read_" + _function_stem(class_name)


def handler_type(event: str) -> str:
    """``IceHandler``: the type of a function that handles one callback."""
    return pascal(event) + "Handler"


def answer_type(event: str) -> str:
    """``IceAnswer``: what a handler of one callback may return."""
    return pascal(event) + "Answer"


def event_reader(event: str) -> str:
    """``_read_notify``: reads a callback whose body may be one of several models."""
    return f"_read_{snake(event)}"


def unknown_member(union_name: str) -> str:
    """The class of a union member this SDK does not know: ``UnknownSvamlAction``."""
    return "Unknown" + union_name


def client_group(group: str) -> str:
    """The class of a client group: ``callouts`` -> ``CalloutsApi``."""
    return pascal(group) + "Api"


def builder_class(place: str) -> str:
    """The SVAML builder for a callback (``IceResponse``) or the live-call PATCH."""
    return "CallUpdate" if place == "patch" else pascal(place) + "Response"


def builder_function(place: str) -> str:
    """``ice_response``, ``call_update``."""
    return snake(builder_class(place))


def action_mixin(tag: str) -> str:
    """The builder mixin that offers one SVAML action: ``_ConnectPstnAction``."""
    return f"_{pascal(tag)}Action"
