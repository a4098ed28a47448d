"""A number without the leading '+' in a ``number`` destination or ``connectPstn``: the
vendor documents E.164 with '+', and its own examples show a number without it (the
custom callout's inline ICE, "46000000001"), so the mistake is a warning, not a refusal:
the same at the SVAML builder, the models' checked writer (what the client sends) and the
local platform."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice import serde
from sinch_voice.svaml import NumberFormatWarning, pie_response
from sinch_voice.testing import LocalPlatform

KEY, SECRET = "app-1", "BeIukql3pTKJ8RGL5zo0DA=="


def test_the_builder_warns_at_a_connect_pstn_number_without_plus() -> None:
    with pytest.warns(NumberFormatWarning, match=r"connectPstn\.number: '46700000100'.*'\+'"):
        pie_response().connect_pstn("46700000100")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pie_response().connect_pstn("+46700000100")  # E.164: no warning


@pytest.mark.parametrize(
    ("model", "where"),
    [
        (sv.Svaml(action=sv.SvamlActionConnectPstn(number="46700000100")), r"\$\.action\.number"),
        (
            sv.TtsCalloutRequest(
                destination=sv.Destination(type=sv.DestinationType.NUMBER, endpoint="4670 0001"),
                text="Hi",
            ),
            r"\$\.destination\.endpoint",
        ),
    ],
    ids=["connectPstn", "destination"],
)
def test_the_checked_writer_warns_and_still_writes(model: Any, where: str) -> None:
    with pytest.warns(NumberFormatWarning, match=where):
        written = json.loads(serde.checked_dumps(model))
    assert written  # a warning, not a refusal


def test_a_username_destination_is_not_a_number() -> None:
    user = sv.Destination(type=sv.DestinationType.USERNAME, endpoint="alice")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        serde.checked_dumps(sv.TtsCalloutRequest(destination=user, text="Hi"))


def test_the_client_warns_and_the_platform_notes_it_in_the_transcript() -> None:
    to = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="46700000001")
    with LocalPlatform({KEY: SECRET}) as platform:
        client = sv.VoiceClient(KEY, SECRET, base_url=platform.url, allow_http=True)
        with pytest.warns(NumberFormatWarning, match=r"ttsCallout\.destination\.endpoint"):
            placed = client.callouts.tts(destination=to, text="Hi")
        platform.wait_for_calls()
        client.close()
    transcript = platform.calls[placed.call_id].transcript
    assert transcript is not None
    noted = [e.text for e in transcript.of("warning")]
    assert noted == [
        "destination.endpoint: '46700000001' is not E.164: the vendor documents numbers "
        "with a leading '+' and the country code ('+46700000001'?)"
    ]


def test_the_platform_notes_a_connect_pstn_number_without_plus() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        event = json.loads(environ["wsgi.input"].read())["event"]
        start_response("200 OK", [("content-type", "application/json")])
        answer = {"action": {"name": "connectPstn", "number": "46700000100"}}
        return [json.dumps(answer if event == "ice" else {}).encode()]

    with LocalPlatform({KEY: SECRET}) as platform:
        call = platform.call(app=app)
    (warning,) = call.of("warning")
    assert warning.text.startswith("connectPstn.number: '46700000100' is not E.164")
    call.assert_connected("46700000100")  # carried out all the same
