"""A method that takes a body's fields as keywords marks the required ones required, so
``mypy --strict`` flags a call that leaves one out; passing the whole model still works."""

from __future__ import annotations

from pathlib import Path

import pytest
import sinch_voice as sv

from ..typecheck import mypy_errors

USER_FILE = """
import sinch_voice as sv

client = sv.VoiceClient("key", "BeIukql3pTKJ8RGL5zo0DA==")
dest = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000000")

client.callouts.tts(text="Hi")  # LINE no destination
client.callouts.tts(destination=dest, text="Hi")
client.callouts.tts(sv.TtsCalloutRequest(destination=dest, text="Hi"))
client.callouts.tts(sv.TtsCalloutRequest(destination=dest), text="Hi")  # LINE both
client.callouts.create(tts_callout=sv.TtsCalloutRequest(destination=dest))  # LINE no method
client.callouts.create(
    method=sv.CalloutMethod.TTS_CALLOUT, tts_callout=sv.TtsCalloutRequest(destination=dest)
)
client.calls.update("c1", action=sv.SvamlActionHangup())
client.calls.update("c1", sv.Svaml(action=sv.SvamlActionHangup()), timeout=2.0)


async def the_same_awaited() -> None:
    async with sv.AsyncVoiceClient("key", "BeIukql3pTKJ8RGL5zo0DA==") as aclient:
        await aclient.callouts.tts(text="Hi")  # LINE async no destination
        await aclient.callouts.tts(destination=dest, text="Hi")
        await aclient.callouts.tts(sv.TtsCalloutRequest(destination=dest, text="Hi"))
        both = sv.TtsCalloutRequest(destination=dest)
        await aclient.callouts.tts(both, text="Hi")  # LINE async both
        call = await aclient.calls.get("c1")
        status: sv.CallInformation = call
"""


@pytest.mark.slow
def test_mypy_flags_a_missing_required_keyword_and_accepts_the_model(tmp_path: Path) -> None:
    errors = mypy_errors(tmp_path, USER_FILE)
    assert set(errors) == {
        "no destination",
        "both",
        "no method",
        "async no destination",
        "async both",
    }, errors
    assert 'No overload variant of "tts" of "CalloutsApi" matches' in errors["no destination"][0]
    assert 'of "AsyncCalloutsApi" matches' in errors["async no destination"][0]
    assert 'No overload variant of "create"' in errors["no method"][0]


def test_at_run_time_the_same_calls_are_refused_or_accepted() -> None:
    client = sv.VoiceClient("key", "BeIukql3pTKJ8RGL5zo0DA==")
    with pytest.raises(TypeError, match=r"TtsCalloutRequest: .*destination"):
        client.callouts.tts(text="Hi")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="pass either a TtsCalloutRequest or keyword"):
        client.callouts.tts(sv.TtsCalloutRequest(destination=None), text="Hi")  # type: ignore[call-overload, arg-type]
