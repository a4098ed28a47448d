"""An enum attribute takes the member or the string of a documented value, and holds the
member: what a constructor (or a client method's keyword) is given is converted once,
where the model is built, so what is read back is always the enum."""

from __future__ import annotations

import pytest
import sinch_voice as sv


def sip(**fields: object) -> sv.SvamlActionConnectSip:
    return sv.SvamlActionConnectSip(
        destination=sv.SipDestination(endpoint="sip:a@example.com"),
        **fields,  # type: ignore[arg-type]
    )


def test_the_string_of_a_documented_value_is_held_as_its_member() -> None:
    destination = sv.Destination(type="number", endpoint="+46700000000")
    assert destination.type is sv.DestinationType.NUMBER
    assert sv.dumps(destination) == b'{"type":"number","endpoint":"+46700000000"}'


def test_any_casing_is_read_and_the_documented_spelling_is_written() -> None:
    action = sip(transport="tls")
    assert action.transport is sv.SipTransport.TLS
    assert b'"transport":"TLS"' in sv.dumps(action)


def test_a_member_is_kept_as_given_and_an_absent_value_stays_unset() -> None:
    assert sip(transport=sv.SipTransport.UDP).transport is sv.SipTransport.UDP
    assert sip().transport is sv.UNSET
    assert sip(transport=sv.UNSET).transport is sv.UNSET


def test_a_string_that_is_no_documented_value_of_a_closed_enum_is_refused_when_built() -> None:
    with pytest.raises(sv.EncodeError) as caught:
        sv.Destination(type="fax", endpoint="+1")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "'fax' is not a DestinationType (one of 'number', 'Number', 'username', "
        "'Username', 'sip', 'did', 'Websocket')"
    )


def test_a_value_that_is_not_a_string_is_refused_when_built() -> None:
    with pytest.raises(sv.EncodeError) as caught:
        sv.Destination(type=1, endpoint="+1")  # type: ignore[arg-type]
    assert str(caught.value) == "expected a DestinationType or its string, got an integer"


def test_an_open_enum_keeps_an_undocumented_string_as_a_pseudo_member() -> None:
    action = sv.SvamlActionConnectPstn(number="+46700000000", indications="xx")  # type: ignore[arg-type]
    assert isinstance(action.indications, sv.Indication)
    assert action.indications == "xx"
    assert not action.indications.is_known
    assert b'"indications":"xx"' in sv.dumps(action)


def test_a_request_built_from_strings_holds_members() -> None:
    request = sv.ManageConferenceParticipantRequest(command="MUTE", moh="music1")
    assert request.command is sv.ParticipantCommand.MUTE
    assert request.moh is sv.MusicOnHold.MUSIC1


def test_evolve_keeps_the_member() -> None:
    import attrs

    destination = sv.Destination(type="username", endpoint="alice")
    moved = attrs.evolve(destination, endpoint="bob")
    assert moved.type is sv.DestinationType.USERNAME
