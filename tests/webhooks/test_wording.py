"""Log lines say what happened, in words a reader can act on."""

from __future__ import annotations

import logging

import pytest
import sinch_voice as sv
from sinch_voice.svaml import ace_response, dice_response

from .helpers import NOW, event_body, make_dispatcher, signed_headers


@pytest.mark.parametrize(
    ("offset", "words"),
    [(-600, "x-timestamp is 600 s old"), (600, "x-timestamp is 600 s in the future")],
)
def test_a_stale_timestamp_is_logged_as_old_or_in_the_future(
    offset: int, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = event_body("ace")
    with caplog.at_level(logging.INFO, logger="sinch_voice.webhooks"):
        response = make_dispatcher().handle(
            "POST", "/cb", signed_headers(body, "/cb", when=NOW + offset), body
        )
    assert response.status == 401
    assert f"{words} (tolerance 300 s either way)" in caplog.text


def test_an_answer_without_an_action_is_not_called_an_unset_action(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dispatcher = make_dispatcher()
    dispatcher.on_ace(lambda event: ace_response().say("Hello"))
    body = event_body("ace")
    with caplog.at_level(logging.INFO, logger="sinch_voice.webhooks"):
        response = dispatcher.handle("POST", "/cb", signed_headers(body, "/cb"), body)
    assert response.status == 200
    assert b'"instructions"' in response.body
    assert "UNSET" not in caplog.text
    assert repr(dice_response()) == "DiceResponse(instructions=[], action=None)"


def test_callbacks_are_named_with_the_right_article() -> None:
    with pytest.raises(ValueError, match=r"^an ace answer cannot carry"):
        ace_response().action(sv.SvamlActionConnectPstn(number="+46700000000"))
