"""Sinch callbacks with Starlette or FastAPI: mount the ASGI app, or use a route.

Mounting is the shortest: the dispatcher reads the raw body and the mount prefix itself.
A route works too when you want the callback next to your other endpoints.
"""

from __future__ import annotations

import os

import sinch_voice as sv
from sinch_voice.webhooks import Dispatcher
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

dispatcher = Dispatcher(os.environ["SINCH_APPLICATION_KEY"], os.environ["SINCH_APPLICATION_SECRET"])


@dispatcher.on_ace
async def answered(event: sv.AceRequest) -> sv.Svaml:
    return sv.Svaml(
        instructions=[sv.SvamlInstructionSay(text="Hello!")], action=sv.SvamlActionContinue()
    )


async def sinch_callback(request: Request) -> Response:
    """The same in a route (FastAPI: ``@app.post("/sinch/callback")`` with ``request: Request``)."""
    answer = await dispatcher.handle_async(
        request.method,
        request.url.path,
        request.headers.items(),
        await request.body(),  # the raw bytes, not a re-serialised model
    )
    return Response(answer.body, status_code=answer.status, headers=dict(answer.headers))


app = Starlette(
    routes=[
        Mount("/voice", app=dispatcher.asgi),  # callbacks at /voice/...
        Route("/sinch/callback", sinch_callback, methods=["POST", "GET"]),
    ]
)
