"""Which asyncio HTTP library the async client is built on: aiohttp against httpx.

Both make the same signed call (``bench.by_hand``: a fresh signature, the JSON answer
read) from ``CONCURRENCY`` tasks sharing one session or client, against the local
platform (``python -m sinch_voice.testing serve``) in its own process. Each library is
set up as its documentation suggests for many concurrent requests: one session or
client, a connection pool as large as the concurrency. The figures decided the
transport (docs/guide/performance.md records them); ``python -m bench.transports``
measures them again. It is not part of ``make bench``: it compares two libraries, not
the SDK.
"""

from __future__ import annotations

import asyncio
import base64
import json
import platform
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import by_hand
from .servers import KEY, SECRET, free_port, wait_for_port

CONCURRENCY = 50
PATH = "/v1/configuration/numbers"

Call = Callable[[], Awaitable[Any]]


@contextmanager
def local_platform() -> Iterator[str]:
    """The local platform serving the API in its own process; its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "sinch_voice.testing", "serve", "--port", str(port)]
    command += ["--application", f"{KEY}:{SECRET}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, "the local platform")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


async def _rate(call: Call, seconds: float) -> tuple[int, float]:
    """Calls made by ``CONCURRENCY`` tasks calling for ``seconds``, and the time taken."""
    done = 0
    ends = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < ends:
            await call()
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return done, time.perf_counter() - start


async def _measure(url: str, rounds: int, seconds: float) -> list[dict[str, float]]:
    import aiohttp
    import httpx

    secret = base64.b64decode(SECRET)
    target = url + PATH
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY)) as session,
        httpx.AsyncClient(limits=httpx.Limits(max_connections=CONCURRENCY), timeout=30.0) as client,
    ):

        async def with_aiohttp() -> Any:
            headers = by_hand.signed_headers(KEY, secret, "GET", PATH)
            async with session.get(target, headers=headers) as response:
                response.raise_for_status()
                return await response.json()

        async def with_httpx() -> Any:
            headers = by_hand.signed_headers(KEY, secret, "GET", PATH)
            response = await client.get(target, headers=headers)
            response.raise_for_status()
            return response.json()

        calls: dict[str, Call] = {"aiohttp": with_aiohttp, "httpx": with_httpx}
        for call in calls.values():
            assert (await call())["numbers"], "the platform answered no numbers"
        results = []
        slices = max(1, round(seconds / 0.5))
        for _ in range(rounds):
            done = dict.fromkeys(calls, 0)
            spent = dict.fromkeys(calls, 0.0)
            for slice_ in range(slices):  # slices in turn: the machine's drift hits both
                order = list(calls) if slice_ % 2 == 0 else list(calls)[::-1]
                for name in order:
                    count, elapsed = await _rate(calls[name], seconds / slices)
                    done[name] += count
                    spent[name] += elapsed
            results.append({name: done[name] / spent[name] for name in calls})
    return results


def main() -> None:
    import aiohttp
    import httpx

    with local_platform() as url:
        results = asyncio.run(_measure(url, rounds=3, seconds=4.0))
    print(
        f"{CONCURRENCY} concurrent signed calls against the local platform, calls/s "
        f"(Python {platform.python_version()}, aiohttp {aiohttp.__version__}, "
        f"httpx {httpx.__version__})"
    )
    for number, result in enumerate(results, 1):
        shown = ", ".join(f"{name} {rate:.0f}" for name, rate in result.items())
        print(f"round {number}: {shown}; httpx/aiohttp {result['httpx'] / result['aiohttp']:.2f}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
