"""Properties of every model: what ``dumps`` writes, ``loads`` reads back to an equal
model, and it is valid against the model's own JSON Schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sinch_voice as sv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from codegen.builders import build_api
from codegen.overrides import load_overrides
from codegen.spec import SpecSource, effective_spec
from codegen.validation import strict_copy

from ..wire import to_spec_names
from .strategies import Strategies

SPEC = effective_spec()
API = build_api(SPEC, load_overrides(), SpecSource().sha256())
STRICT = Strategies(API, strict=True)
LENIENT = Strategies(API, strict=False)
REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:spec", Resource.from_contents(strict_copy(SPEC), default_specification=DRAFT202012)
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", [m.name for m in API.models])
def test_dumps_then_loads_gives_the_same_model_and_valid_json(name: str) -> None:
    model = API.model(name)
    cls = getattr(sv, name)
    validator = Draft202012Validator({"$ref": f"urn:spec#{model.pointer}"}, registry=REGISTRY)

    @SETTINGS
    @given(STRICT.model(name))
    def check(instance: Any) -> None:
        data = sv.dumps(instance)
        assert sv.loads(data, cls, strict=True) == instance
        errors = [e.message for e in validator.iter_errors(to_spec_names(json.loads(data)))]
        assert errors == []

    check()


@pytest.mark.parametrize("name", [u.name for u in API.unions])
def test_unions_keep_unknown_members_untouched_when_lenient(name: str) -> None:
    alias = getattr(sv, name)

    @SETTINGS
    @given(LENIENT.union(name))
    def check(instance: Any) -> None:
        assert sv.loads(sv.dumps(instance), alias) == instance

    check()


@SETTINGS
@given(st.sampled_from([m.name for m in API.models]), st.data())
def test_lenient_reading_keeps_unknown_properties(name: str, data: st.DataObject) -> None:
    instance = data.draw(STRICT.model(name))
    value = sv.unstructure(instance)
    value["someFutureProperty"] = {"x": [1, 2]}
    read = sv.structure(value, getattr(sv, name))
    assert read.additional_properties == {"someFutureProperty": {"x": [1, 2]}}
    assert sv.unstructure(read) == value  # written back where it was: last
    assert sv.structure(sv.unstructure(instance), getattr(sv, name)) == instance
    with pytest.raises(sv.StructureError, match=r"\$\.someFutureProperty: unknown property"):
        sv.structure(value, getattr(sv, name), strict=True)
