"""``sinch_voice.converter``: the cattrs converter, with the generated hooks registered."""

from __future__ import annotations

import pytest
import sinch_voice as sv


def test_the_converter_reads_and_writes_like_loads_and_dumps() -> None:
    ice = sv.converter.structure(
        {"event": "ice", "callid": "c1", "to": {"type": "did", "endpoint": "+1"}, "later": 1},
        sv.IceRequest,
    )
    assert isinstance(ice, sv.IceRequest)
    assert isinstance(ice.to, sv.IceRequestTo)
    assert ice.call_id == "c1"
    assert sv.converter.unstructure(ice) == {
        "event": "ice",
        "callid": "c1",  # the platform's spelling, whichever was read
        "to": {"type": "did", "endpoint": "+1"},
        "later": 1,  # undeclared, kept and written back
    }
    assert ice.additional_properties == {"later": 1}


def test_union_aliases_go_through_the_converter() -> None:
    action = sv.converter.structure({"name": "park", "maxDuration": 5}, sv.SvamlAction)
    assert action == sv.SvamlActionPark(max_duration=5)
    unknown = sv.converter.structure({"name": "connectVideo", "x": 1}, sv.SvamlAction)
    assert isinstance(unknown, sv.UnknownSvamlAction)
    assert sv.converter.unstructure(unknown) == {"name": "connectVideo", "x": 1}


def test_a_converter_error_is_one_error_naming_the_path() -> None:
    bad = {
        "action": {
            "name": "runMenu",
            "menus": [{"id": "main"}, {"id": "b", "options": [{"dtmf": 1}]}],
        }
    }
    with pytest.raises(sv.StructureError) as caught:
        sv.converter.structure(bad, sv.Svaml)
    assert (
        str(caught.value) == "$.action.menus[1].options[0].dtmf: expected a string, got an integer"
    )


def test_the_strict_converter_refuses_what_the_lenient_one_keeps() -> None:
    data = {"callId": "c1", "status": "RINGING"}
    assert sv.converter.structure(data, sv.CallInformation).status == "RINGING"
    with pytest.raises(sv.StructureError, match=r"\$\.status: 'RINGING' is not one of"):
        sv.strict_converter.structure(data, sv.CallInformation)


def test_no_model_runs_code_that_the_generated_readers_would_skip() -> None:
    # _hooks fills instances without calling __init__ (object.__new__, then attributes):
    # that is only right while no model validates, converts or post-processes in __init__
    import attrs

    for value in vars(sv.models).values():
        if not (isinstance(value, type) and attrs.has(value)):
            continue
        assert not hasattr(value, "__attrs_post_init__"), value
        assert not hasattr(value, "__attrs_pre_init__"), value
        for field in attrs.fields(value):
            assert field.validator is None, (value, field.name)
            assert field.converter is None, (value, field.name)


def test_a_model_built_by_hand_has_no_undeclared_properties_to_share() -> None:
    first, second = sv.Money(amount=1.0), sv.Money(amount=2.0)
    assert first.additional_properties == {}
    with pytest.raises(TypeError):  # read-only: one default shared by every instance
        first.additional_properties["x"] = 1  # type: ignore[index]
    second.additional_properties = {"x": 1}
    assert first.additional_properties == {}
    assert sv.dumps(second) == b'{"amount":2.0,"x":1}'


def test_unknown_enum_values_are_not_kept_after_their_objects_go() -> None:
    """Callbacks are untrusted: a stream of made-up values must not fill a cache (nor
    change the speed of later reads once it is full)."""
    import gc

    events = [
        sv.loads(b'{"event":"ice","domain":"made-up-%d"}' % i, sv.IceRequest) for i in range(300)
    ]
    first = events[0].domain
    again = sv.loads(b'{"event":"ice","domain":"made-up-0"}', sv.IceRequest).domain
    assert again == first
    assert hash(again) == hash(first)
    assert not again.is_known
    assert sv.dumps(events[299]) == b'{"event":"ice","domain":"made-up-299"}'
    del events, first, again
    gc.collect()
    left = [o for o in gc.get_objects() if type(o) is sv.IceRequestDomain and not o.is_known]
    assert left == []
