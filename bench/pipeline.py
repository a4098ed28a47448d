"""The dispatcher's pipeline before and after a change, side by side in one process.

``python -m bench.pipeline OLD_ROOT [ROUNDS]`` loads the ``sinch_voice`` under OLD_ROOT
(a copy of ``generated/`` taken before the change) as a second package beside the
installed one, and times both on one signed ICE, alternating every few thousand calls so
that the machine's load falls on both alike; the clock is the process's CPU time (all
its threads), which a busy machine stretches less than wall time. Rows: the HMAC of
one callback's string to sign (``Secret._signature``), the webhook cycle as
``bench/serde.py`` runs it, ``dispatcher.handle``, the WSGI app and the ASGI
app (sync and async handler), the adapters included. A short check that a refactoring of
the pipeline costs nothing; ``make bench`` takes its two ASGI rows (``asgi_handlers``),
which say what a sync handler's hop to a thread costs under an ASGI server.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import io
import json
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

CALLS = 2000  # per timing; each timing is the best of 3
ICE = json.dumps(
    {
        "event": "ice",
        "callid": "c1",
        "version": 1,
        "timestamp": "2024-05-01T12:00:00Z",
        "cli": "46700000001",
        "to": {"type": "number", "endpoint": "+46700000000"},
        "domain": "pstn",
        "applicationKey": "bench-key",
        "originationType": "pstn",
    }
).encode()
KEY, TEXT = "bench-key", "BeIukql3pTKJ8RGL5zo0DA=="
PATH, STAMP, NOW = "/sinch/callback", "2024-05-01T12:00:00.000Z", 1714564800.0


def load(root: Path, name: str) -> ModuleType:
    """The package under ``root`` imported as ``name`` (its imports are all relative)."""
    folder = root / "sinch_voice"
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise SystemExit(f"no sinch_voice package under {root}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def rows(name: str) -> dict[str, Callable[[], Any]]:
    """Each row's function of ``CALLS`` calls, on the package imported as ``name``."""
    sv = importlib.import_module(name)
    signing = importlib.import_module(f"{name}.signing")
    webhooks = importlib.import_module(f"{name}.webhooks")
    secret = signing.Secret(TEXT)
    signature = signing.sign(secret, "POST", ICE, "application/json", STAMP, PATH)
    headers = {
        "content-type": "application/json",
        "x-timestamp": STAMP,
        "authorization": f"Application {KEY}:{signature}",
    }

    def answer(event: Any) -> Any:
        return sv.Svaml(
            instructions=[sv.SvamlInstructionSay(text="Thank you for calling", locale="en-US")],
            action=sv.SvamlActionHangup(),
        )

    async def answer_async(event: Any) -> Any:
        return answer(event)

    dispatcher = webhooks.Dispatcher(KEY, TEXT, clock=lambda: NOW)
    dispatcher.on_ice(answer)
    native = webhooks.Dispatcher(KEY, TEXT, clock=lambda: NOW)
    native.on_ice(answer_async)
    secrets = {KEY: [secret]}

    def cycle() -> bytes:
        signing.verify(secrets, "POST", PATH, headers, ICE, now=NOW)
        webhooks.parse_event(ICE)
        return bytes(sv.dumps(answer(None)))

    def handle() -> Any:
        return dispatcher.handle("POST", PATH, headers, ICE)

    wsgi = dispatcher.wsgi
    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": PATH,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(ICE)),
        "HTTP_X_TIMESTAMP": STAMP,
        "HTTP_AUTHORIZATION": headers["authorization"],
    }
    statuses: list[Any] = []

    def via_wsgi() -> Any:
        return wsgi({**environ, "wsgi.input": io.BytesIO(ICE)}, lambda s, h, e=None: None)

    scope = {
        "type": "http",
        "method": "POST",
        "path": PATH,
        "raw_path": PATH.encode(),
        "root_path": "",
        "headers": [(n.encode(), v.encode()) for n, v in headers.items()]
        + [(b"content-length", str(len(ICE)).encode())],
    }
    message = {"type": "http.request", "body": ICE, "more_body": False}

    async def receive() -> dict[str, Any]:
        return message

    async def send(sent: dict[str, Any]) -> None:
        if sent["type"] == "http.response.start":
            statuses.append(sent["status"])

    loop = asyncio.new_event_loop()

    def via_asgi(app: Any) -> Callable[[], Any]:
        async def many() -> None:
            for _ in range(CALLS):
                await app(scope, receive, send)

        return lambda: loop.run_until_complete(many())

    # each answers 200 with the same SVAML before it is timed
    assert handle().status == 200
    wsgi({**environ, "wsgi.input": io.BytesIO(ICE)}, lambda s, h, e=None: statuses.append(s))
    asgi, native_asgi = dispatcher.asgi, native.asgi
    loop.run_until_complete(asgi(scope, receive, send))
    loop.run_until_complete(native_asgi(scope, receive, send))
    assert statuses == ["200 OK", 200, 200], statuses
    statuses.clear()

    def times(fn: Callable[[], Any], number: int = CALLS) -> Callable[[], float]:
        return lambda: timeit.timeit(fn, number=number, timer=time.process_time)

    to_sign = signing.string_to_sign("POST", ICE, "application/json", STAMP, PATH).encode()

    def signature() -> bytes:
        return bytes(secret._signature(to_sign))

    return {
        "HMAC of one callback": times(signature),
        "webhook cycle": times(cycle),
        "dispatcher.handle": times(handle),
        "wsgi app": times(via_wsgi),
        "asgi app, sync handler": times(via_asgi(asgi), 1),
        "asgi app, async handler": times(via_asgi(native_asgi), 1),
    }


# the rows make bench shows, under the names its table gives them
ASGI_ROWS = {
    "asgi app, sync handler": "ASGI, sync handler",
    "asgi app, async handler": "ASGI, async handler",
}


def asgi_handlers(rounds: int) -> dict[str, list[float]]:
    """CPU microseconds per callback through the ASGI app, with a sync handler (run on a
    thread) and with an async one (awaited on the loop): each round the best of 3 x
    ``CALLS`` callbacks, the two rows alternating."""
    timed = rows("sinch_voice")
    samples: dict[str, list[float]] = {name: [] for name in ASGI_ROWS.values()}
    for _ in range(rounds):
        for row, name in ASGI_ROWS.items():
            samples[name].append(min(timed[row]() for _ in range(3)) / CALLS * 1e6)
    return samples


def main() -> None:
    load(Path(sys.argv[1]), "sinch_voice_before")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    sides = {"before": rows("sinch_voice_before"), "after": rows("sinch_voice")}
    samples: dict[str, dict[str, list[float]]] = {s: {r: [] for r in sides[s]} for s in sides}
    for _ in range(rounds):
        for row in sides["after"]:
            for side in ("before", "after"):
                best = min(sides[side][row]() for _ in range(3))
                samples[side][row].append(best / CALLS * 1e6)
    print(
        f"{rounds} rounds, each the best of 3 x {CALLS} calls per side, alternating;"
        " CPU us per call"
    )
    print(f"{'row':<24} {'before: median (min-max)':>26} {'after: median (min-max)':>26}  ratio")
    for row in sides["after"]:
        old, new = samples["before"][row], samples["after"][row]
        shown = [f"{statistics.median(s):6.2f} ({min(s):.2f}-{max(s):.2f})" for s in (old, new)]
        ratios = sorted(n / o for n, o in zip(new, old, strict=True))  # paired by round
        quartiles = statistics.quantiles(ratios, n=4)
        print(
            f"{row:<24} {shown[0]:>26} {shown[1]:>26}  {statistics.median(ratios):.3f}x"
            f" (quartiles {quartiles[0]:.3f}-{quartiles[2]:.3f})"
        )


if __name__ == "__main__":
    main()
