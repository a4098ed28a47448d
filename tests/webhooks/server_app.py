"""A small voice app served by gunicorn and uvicorn in the end-to-end tests.

ICE plays a menu, ACE lets the call continue, PIE hangs up after the menu, DICE is
recorded. ``wsgi_app`` is mounted under /voice the way a WSGI host mounts sub-apps.
"""

from __future__ import annotations

import os
from typing import Any

import sinch_voice as sv
from sinch_voice.webhooks import Dispatcher

dispatcher = Dispatcher(os.environ["SINCH_TEST_KEY"], os.environ["SINCH_TEST_SECRET"])


@dispatcher.on_ice
def ice(event: sv.IceRequest) -> sv.Svaml:
    return sv.Svaml(
        instructions=[sv.SvamlInstructionSay(text=f"Hello {event.cli}", locale="en-US")],
        action=sv.SvamlActionRunMenu(
            menus=[
                sv.Menu(
                    id="main",
                    main_prompt="#tts[Press 1]",
                    options=[sv.MenuOption(dtmf="1", action="return(one)")],
                )
            ],
        ),
    )


@dispatcher.on_ace
async def ace(event: sv.AceRequest) -> sv.Svaml:
    return sv.Svaml(action=sv.SvamlActionContinue())


@dispatcher.on_pie
def pie(event: sv.PieRequest) -> sv.Svaml:
    value = (
        event.menu_result.value if isinstance(event.menu_result, sv.PieRequestMenuResult) else "?"
    )
    return sv.Svaml(
        instructions=[sv.SvamlInstructionSay(text=f"You chose {value}")],
        action=sv.SvamlActionHangup(),
    )


@dispatcher.on_dice
def dice(event: sv.DiceRequest) -> None:
    return None


PREFIX = "/voice"


def wsgi_app(environ: dict[str, Any], start_response: Any) -> Any:
    """The dispatcher mounted under /voice, as WSGI hosts mount applications."""
    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX):
        start_response("404 Not Found", [("content-length", "0")])
        return [b""]
    environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX
    environ["PATH_INFO"] = path[len(PREFIX) :]
    return dispatcher.wsgi(environ, start_response)


asgi_app = dispatcher.asgi


async def asgi_mounted(scope: Any, receive: Any, send: Any) -> None:
    """The dispatcher mounted under /voice, as ASGI routers mount applications (the full
    path stays in ``path``; ``root_path`` says where the app is mounted)."""
    if scope["type"] == "http" and not scope.get("path", "").startswith(PREFIX):
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    if scope["type"] == "http":
        scope = {**scope, "root_path": scope.get("root_path", "") + PREFIX}
    await asgi_app(scope, receive, send)


def _behind_proxy() -> Any:
    """The dispatcher behind a proxy that strips /voice and says so in X-Forwarded-Prefix,
    with werkzeug's ProxyFix putting the prefix back in SCRIPT_NAME."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    return ProxyFix(dispatcher.wsgi, x_prefix=1)


wsgi_behind_proxy = _behind_proxy()
