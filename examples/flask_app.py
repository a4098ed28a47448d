"""Sinch callbacks in a Flask app: hand Flask's raw body bytes to the dispatcher."""

from __future__ import annotations

import os

import sinch_voice as sv
from flask import Flask, Response, request
from sinch_voice.webhooks import Dispatcher

app = Flask(__name__)
dispatcher = Dispatcher(os.environ["SINCH_APPLICATION_KEY"], os.environ["SINCH_APPLICATION_SECRET"])


@dispatcher.on_ice
def incoming_call(event: sv.IceRequest) -> sv.Svaml:
    return sv.Svaml(
        instructions=[sv.SvamlInstructionSay(text="Thanks for calling.", locale="en-US")],
        action=sv.SvamlActionHangup(),
    )


@app.post("/sinch/callback")
def sinch_callback() -> Response:
    answer = dispatcher.handle(
        request.method,
        request.script_root + request.path,  # the path as received, mount prefix included
        request.headers.items(),
        request.get_data(cache=False),  # the raw bytes: the signature covers them exactly
    )
    return Response(answer.body, status=answer.status, headers=list(answer.headers))
