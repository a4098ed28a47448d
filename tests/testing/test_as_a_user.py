"""A test as a user of the package writes it: the ``sinch_platform`` fixture (from the
pytest plugin the package registers) runs a call through the example IVR."""

from __future__ import annotations

from typing import Any

import pytest

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
