"""An example IVR, answered by the dispatcher and the SVAML builder (``make demo``).

A welcome prompt and a two-level menu: 1 leads to support (1 again connects an agent,
with answering machine detection; 2 goes back), 2 asks for a four-digit order number and
reads it back, 3 joins the team's conference. Serve it with any WSGI or ASGI server::

    gunicorn examples.ivr:wsgi        uvicorn examples.ivr:asgi

The application key and secret come from SINCH_APPLICATION_KEY and
SINCH_APPLICATION_SECRET (the local platform's default application otherwise).
"""

from __future__ import annotations

import os

import sinch_voice as sv
from sinch_voice.svaml import (
    AceResponse,
    IceResponse,
    MenuBuilder,
    PieResponse,
    ace_response,
    goto,
    ice_response,
    pie_response,
    return_,
    tts,
)
from sinch_voice.webhooks import Dispatcher

KEY = os.environ.get("SINCH_APPLICATION_KEY", "local-application-key")
SECRET = os.environ.get("SINCH_APPLICATION_SECRET", "bG9jYWwtc2VjcmV0")
SUPPORT = "+46700000100"

dispatcher = Dispatcher(KEY, SECRET)

MENUS = (
    MenuBuilder()
    .menu(
        "main",
        tts("Press 1 for support, 2 to check an order, 3 to join the team conference."),
        options={"1": goto("support"), "2": goto("order"), "3": return_("conference")},
    )
    .menu(
        "support",
        tts("Press 1 to talk to an agent, 2 to go back."),
        options={"1": return_("agent"), "2": goto("main")},
    )
    .menu("order", tts("Enter your four-digit order number."), max_digits=4)
)


@dispatcher.on_ice
def incoming(event: sv.IceRequest) -> IceResponse:
    return ice_response().say("Welcome to Example Corp.", locale="en-US").run_menu(MENUS)


@dispatcher.on_pie
def chosen(event: sv.PieRequest) -> PieResponse:
    result = event.menu_result
    if result is sv.UNSET or result.type is sv.UNSET:
        return pie_response().hangup()
    if result.type == sv.MenuResultType.RETURN and result.value == "agent":
        agent = sv.AmdOptions(enabled=True)
        return pie_response().say("Connecting you to an agent.").connect_pstn(SUPPORT, amd=agent)
    if result.type == sv.MenuResultType.RETURN and result.value == "conference":
        return pie_response().say("Joining the team conference.").connect_conf("team")
    if result.type == sv.MenuResultType.SEQUENCE and isinstance(result.value, str):
        spoken = " ".join(result.value)
        return pie_response().say(f"Order {spoken} ships tomorrow. Goodbye.").hangup()
    return pie_response().say("Sorry, we did not get that. Goodbye.").hangup()


@dispatcher.on_ace
def answered(event: sv.AceRequest) -> AceResponse:
    if event.amd is not sv.UNSET and event.amd.status == sv.AmdStatus.MACHINE:
        return ace_response().hangup()  # an answering machine: no message left
    return ace_response().continue_()


@dispatcher.on_dice
def ended(event: sv.DiceRequest) -> None:
    return None


wsgi = dispatcher.wsgi
asgi = dispatcher.asgi
