"""The apps the server benchmarks serve: the dispatcher, and bare apps beside it.

The bare apps read the body and answer a fixed JSON body: the least any callback
endpoint does. The dispatcher verifies, parses ICE and answers say + hangup.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import sinch_voice as sv
from sinch_voice.webhooks import Dispatcher

ANSWER = (
    b'{"instructions":[{"name":"say","text":"Thank you for calling"}],"action":{"name":"hangup"}}'
)

dispatcher = Dispatcher(
    os.environ.get("BENCH_KEY", "bench-key"),
    os.environ.get("BENCH_SECRET", "BeIukql3pTKJ8RGL5zo0DA=="),
)


@dispatcher.on_ice
def ice(event: sv.IceRequest) -> sv.Svaml:
    return sv.Svaml(
        instructions=[sv.SvamlInstructionSay(text="Thank you for calling")],
        action=sv.SvamlActionHangup(),
    )


dispatcher_wsgi = dispatcher.wsgi
dispatcher_asgi_sync = dispatcher.asgi  # the sync handler runs in a thread pool under ASGI

# ASGI apps write async handlers: they run on the event loop, no thread hand-off
async_dispatcher = Dispatcher(
    os.environ.get("BENCH_KEY", "bench-key"),
    os.environ.get("BENCH_SECRET", "BeIukql3pTKJ8RGL5zo0DA=="),
)


@async_dispatcher.on_ice
async def ice_async(event: sv.IceRequest) -> sv.Svaml:
    return sv.Svaml(
        instructions=[sv.SvamlInstructionSay(text="Thank you for calling")],
        action=sv.SvamlActionHangup(),
    )


dispatcher_asgi = async_dispatcher.asgi


def bare_wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(length)
    start_response(
        "200 OK", [("content-type", "application/json"), ("content-length", str(len(ANSWER)))]
    )
    return [ANSWER]


async def lifespan(receive: Any, send: Any) -> None:
    """Answer the server's startup and shutdown messages."""
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


async def bare_asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send_json(send, ANSWER)


CALL = b'{"callId":"c1","status":"FINAL","result":"ANSWERED","duration":60}'


async def platform_asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A stand-in API for the client benchmark: every request gets a call's details."""
    if scope["type"] != "http":
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
        return
    await receive()
    await send_json(send, CALL)


async def send_json(send: Any, body: bytes) -> None:
    """A 200 with a JSON body, as two ASGI messages."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
