"""Every example in the effective spec that illustrates a model reads into its class and
writes back to the same JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sinch_voice as sv

from codegen import ir
from codegen.builders import build_api
from codegen.overrides import load_overrides
from codegen.spec import SpecSource, effective_spec
from codegen.validation import examples

from ..wire import assert_same_data

SPEC = effective_spec()
API = build_api(SPEC, load_overrides(), SpecSource().sha256())


def resolve(pointer: str) -> Any:
    node: Any = SPEC
    for part in pointer.lstrip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def class_for(schema_pointer: str) -> Any:
    """The sinch_voice class an example's schema becomes, or None for non-objects."""
    schema = resolve(schema_pointer)
    if "$ref" in schema:
        schema_pointer = schema["$ref"][1:]
    for kind in (*API.models, *API.unions):
        if kind.pointer == schema_pointer:
            return getattr(sv, kind.name)
    return None


MODEL_EXAMPLES = [
    pytest.param(example.value, class_for(example.schema_pointer), id=example.pointer)
    for example in examples(SPEC)
    if example.schema_pointer is not None and class_for(example.schema_pointer) is not None
]


def test_the_examples_cover_events_svaml_callouts_and_responses() -> None:
    ids = {p.id for p in MODEL_EXAMPLES}
    for expected in (
        "ICEexample",
        "AcePlayMenuResponse",
        "ttsCalloutRequestCall",
        "{conferenceId}/get/responses/200",
        "muteParticipant",
        "40001Example",
    ):
        assert any(expected in i for i in ids), expected
    assert len(MODEL_EXAMPLES) >= 60


@pytest.mark.parametrize(("value", "cls"), MODEL_EXAMPLES)
def test_example_round_trips_through_its_class(value: Any, cls: Any) -> None:
    model = sv.loads(json.dumps(value), cls, strict=True)
    assert_same_data(json.loads(sv.dumps(model)), value)


def test_ace_play_menu_response_is_a_run_menu_with_two_menus(spec: Any) -> None:
    value = spec["components"]["examples"]["AcePlayMenuResponse"]["value"]
    svaml = sv.loads(json.dumps(value), sv.Svaml)
    assert isinstance(svaml.action, sv.SvamlActionRunMenu)
    assert isinstance(svaml.action.menus, list)
    assert [m.id for m in svaml.action.menus] == ["main", "sub"]
    main = svaml.action.menus[0]
    assert isinstance(main.options, list)
    assert main.options[1].action == "menu(sub)"
    assert svaml.action.barge is True


def test_ice_example_to_is_a_typed_object_and_timestamp_is_utc(spec: Any) -> None:
    value = spec["components"]["examples"]["ICEexample"]["value"]
    ice = sv.loads(json.dumps(value), sv.IceRequest)
    assert isinstance(ice.to, sv.IceRequestTo)
    assert ice.to.endpoint == "+3197121281500"
    assert isinstance(ice.user_rate, sv.Money)
    assert ice.timestamp != sv.UNSET
    assert ice.timestamp.utcoffset() is not None
    assert ice.timestamp.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert ice.domain is sv.IceRequestDomain.PSTN


def test_every_model_and_union_is_reachable_by_loads(api: ir.Api) -> None:
    for name in [m.name for m in api.models] + [u.name for u in api.unions]:
        assert getattr(sv, name) in sv.serde.STRUCTURE  # type: ignore[attr-defined]
