"""A test as a user of the package writes it: the ``sinch_platform`` fixture (from the
pytest plugin the package registers) runs a call through the example IVR, and scripts
the failures a test of retry handling needs."""

from __future__ import annotations

from typing import Any

import pytest
import sinch_voice as sv

from examples.ivr import dispatcher

pytest_plugins: list[str] = []  # the fixture comes from the installed plugin, not from here


def test_a_caller_checks_an_order(sinch_platform: Any) -> None:
    call = sinch_platform.call(app=dispatcher.asgi, press=["2", "4711"])
    call.assert_heard("Welcome to Example Corp.")
    call.assert_heard("Order 4 7 1 1 ships tomorrow.")
    call.assert_ended(reason="MANAGERHANGUP", result="ANSWERED")


def test_a_caller_reaches_an_agent_unless_a_machine_answers(sinch_platform: Any) -> None:
    call = sinch_platform.call(app=dispatcher.wsgi, press=["1", "1"])
    call.assert_connected("+46700000100")
    call.assert_ended(reason="CALLEEHANGUP")
    machine = sinch_platform.call(
        app=dispatcher.wsgi, press=["1", "1"], callees={"+46700000100": "machine"}
    )
    machine.assert_ended(reason="MANAGERHANGUP")


def test_a_failed_assertion_prints_the_call(sinch_platform: Any) -> None:
    call = sinch_platform.call(app=dispatcher.wsgi, press=[])
    with pytest.raises(AssertionError) as caught:
        call.assert_heard("Goodbye, and thanks")
    assert "menu       main: #tts[Press 1 for support" in str(caught.value)


def test_a_user_tests_their_retry_handling_with_faults(sinch_platform: Any) -> None:
    waits: list[float] = []
    client = sv.VoiceClient(
        sinch_platform.key, sinch_platform.secret, base_url=sinch_platform.url,
        allow_http=True, sleep=waits.append,
    )  # fmt: skip
    to = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000001")
    sinch_platform.faults.next(status=503, operation="Callouts")
    with pytest.raises(sv.ServerError):  # a callout is not sent again on a 5xx
        client.callouts.tts(destination=to, text="Hi")
    placed = client.callouts.tts(destination=to, text="Hi")
    sinch_platform.faults.next(status=503, retry_after=1, operation="Calling_GetCallResult")
    assert client.calls.get(placed.call_id).call_id == placed.call_id  # a read is retried
    assert [r["status"] for r in sinch_platform.requests] == [503, 200, 503, 200]
    assert waits == [1.0]
    client.close()
