"""What ``mypy --strict`` tells a user of the package: it rejects reading through an
absent property, a handler for the wrong event and a handler that answers the wrong
thing (another callback's builder included), a typo in an enum's string, a region or
auth the client does not know and a custom callout's SVAML that is none, and accepts
handlers of one or two parameters, sync or async, the documented strings of enums (the
attribute read back is the enum), and the README's examples as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..typecheck import mypy_errors

REPO = Path(__file__).resolve().parents[2]

USER_FILE = """
import sinch_voice as sv
from sinch_voice.svaml import DiceResponse, IceResponse, dice_response, ice_response
from sinch_voice.testing import Callee, LocalPlatform
from sinch_voice.webhooks import CallbackRequest, Dispatcher

dispatcher = Dispatcher("key", "BeIukql3pTKJ8RGL5zo0DA==")


@dispatcher.on_pie
def menu(event: sv.PieRequest) -> sv.Svaml:
    said = event.menu_result.value  # LINE unguarded
    if event.menu_result is not sv.UNSET:
        said = event.menu_result.value  # checked first: fine
    return ice_response().say(f"You entered {said}").hangup().build()


@dispatcher.on_ice  # LINE wrong event
def wrong_event(event: sv.AceRequest) -> sv.Svaml:
    return sv.Svaml(action=sv.SvamlActionContinue())


@dispatcher.on_ace  # LINE wrong answer
def wrong_answer(event: sv.AceRequest) -> str:
    return "continue"


@dispatcher.on_dice
async def later(event: sv.DiceRequest) -> None:
    return None


@dispatcher.on_ace
def with_request(event: sv.AceRequest, request: CallbackRequest) -> sv.Svaml | None:
    return None  # the documented two-parameter form


@dispatcher.on_notify
async def noted(event: sv.NotifyRequest | sv.NotifyErrorRequest, request: CallbackRequest) -> None:
    return None


@dispatcher.on_pie  # LINE another callback's builder
def pie_with_ice_builder(event: sv.PieRequest) -> IceResponse:
    return ice_response().hangup()


@dispatcher.on_ice  # LINE a builder for no answer
def ice_with_dice_builder(event: sv.IceRequest, request: CallbackRequest) -> DiceResponse:
    return dice_response().hangup()


# enum fields and parameters take the member or a documented value's string
number = sv.Destination(type="number", endpoint="+46700000000")
kind: sv.DestinationType = number.type  # read back: the enum, not the string
typo = sv.Destination(type="nubmer", endpoint="+46700000000")  # LINE enum typo
sip = sv.SvamlActionConnectSip(destination=sv.SipDestination(endpoint="sip:a@b"), transport="TLS")
transport: sv.SipTransport | sv.Unset = sip.transport
pstn = sv.SvamlActionConnectPstn(number="+46700000000", indications="se")
other = sv.SvamlActionConnectPstn(indications=sv.Indication("xx"))  # an open enum's new value
muted = sv.ManageConferenceParticipantRequest(command="mute")
held = sv.ManageConferenceParticipantRequest(command="hold")  # LINE open enum typo


def outbound(client: sv.VoiceClient) -> None:
    client.conferences.manage_participant("conf", "call", command="unmute", moh="music2")
    client.callouts.tts(destination=number, text="Hi", domain="pstn")
    client.callouts.tts(destination=number, text="Hi", domain="voip")  # LINE method typo
    client.calls.manage_with_call_leg("call", "caller", action=sv.SvamlActionHangup())
    client.callouts.custom(destination=number, ice=ice_response().hangup(), ace=sv.Svaml())
    client.callouts.custom(destination=number, pie=ice_response().hangup().build())
    client.callouts.custom(destination=number, ice={"action": "hangup"})  # LINE not svaml


sv.VoiceClient("key", "BeIukql3pTKJ8RGL5zo0DA==", region="euc1", auth="basic")
sv.VoiceClient("key", "BeIukql3pTKJ8RGL5zo0DA==", region="eu")  # LINE unknown region
sv.VoiceClient("key", "BeIukql3pTKJ8RGL5zo0DA==", auth="bearer")  # LINE unknown auth

# the builders take what the models take; the local platform's callees are named
ice_response().connect_pstn("+46700000000", indications="se")
ice_response().connect_pstn("+46700000000", indications="sweden")  # LINE builder enum typo
LocalPlatform(callees={"+46700000100": "busy", "+46700000101": Callee("machine")})
LocalPlatform(callees={"+46700000100": "bussy"})  # LINE callee typo

# the package's lazily loaded names are seen; a misspelt one is an error, not Any
lazy: type[sv.VoiceClient] = sv.VoiceClient
converter = sv.converter
unavailable = sv.ServiceUnavailableError  # LINE misspelt name
"""


def readme_examples() -> str:
    """The README's Python blocks that use the package as users do, joined."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    markers = ("VoiceClient(APP_KEY", "on_ice", "MenuBuilder")
    chosen = [b for b in blocks if any(marker in b for marker in markers)]
    assert len(chosen) == 3, "the README's client, callback and builder examples"
    preamble = "import sinch_voice as sv\nAPP_KEY = APP_SECRET = ''\nbody_bytes = b''\n"
    return preamble + "\n".join(chosen)


@pytest.mark.slow
def test_mypy_reports_the_mistakes_and_nothing_else(tmp_path: Path) -> None:
    by_line = mypy_errors(tmp_path, USER_FILE)
    errors = [e for found in by_line.values() for e in found]
    assert set(by_line) == {
        "unguarded",
        "wrong event",
        "wrong answer",
        "another callback's builder",
        "a builder for no answer",
        "enum typo",
        "open enum typo",
        "method typo",
        "unknown region",
        "unknown auth",
        "not svaml",
        "builder enum typo",
        "callee typo",
        "misspelt name",
    }, errors
    assert (
        'Item "sentinel" of "PieRequestMenuResult | UNSET" has no attribute "value"'
        in (by_line["unguarded"][0])
    )
    assert "IceHandler" in by_line["wrong event"][0]
    assert "AceHandler" in by_line["wrong answer"][0]
    assert "PieHandler" in by_line["another callback's builder"][0]
    assert "IceHandler" in by_line["a builder for no answer"][0]
    assert (
        'Argument "type" to "Destination" has incompatible type "Literal[\'nubmer\']"'
        in (by_line["enum typo"][0])
    )
    assert 'Module has no attribute "ServiceUnavailableError"' in by_line["misspelt name"][0]
    assert all(len(found) == 1 for found in by_line.values()), errors


@pytest.mark.slow
def test_mypy_accepts_the_readme_examples(tmp_path: Path) -> None:
    assert mypy_errors(tmp_path, readme_examples()) == {}
