"""The asyncio client against raw aiohttp on the same loopback server: per-call latency
(paired samples, one call at a time), throughput of 50 concurrent calls on one client,
and how long the loop went without running a heartbeat while they ran.

Raw aiohttp gets the same transport settings as the client (one session, the same
socket timeouts), twice: with a fixed signed-looking header set, keeping the answer's
bytes (the transport's floor: the ratios are the SDK's whole cost, signing and reading
into a model included), and as a user writes a call by hand (signed afresh with the
standard library, the answer read with ``response.json()``; ``bench.by_hand``).
``python -m bench.async_client`` runs these rows alone.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from . import by_hand
from .servers import KEY, SECRET, serving
from .timing import round_summaries

CONCURRENCY = 50
FIXED_HEADERS = {
    "User-Agent": "bench",
    "Accept": "application/json",
    "x-timestamp": "2024-01-01T00:00:00.000Z",
    "Authorization": f"Application {KEY}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
}

Call = Callable[[], Awaitable[Any]]


async def _per_call(call: Call, count: int) -> float:
    """Seconds per call, ``count`` calls one after another."""
    start = time.perf_counter()
    for _ in range(count):
        await call()
    return (time.perf_counter() - start) / count


async def _concurrent_rates(calls: dict[str, Call], seconds: float) -> dict[str, float]:
    """Calls per second of each of ``calls`` (``CONCURRENCY`` tasks calling it) over about
    ``seconds`` each, and the longest heartbeat gap of each (``<name>_max_gap_s``).

    The time is cut into slices taken in turn, each call first in turn, so that the
    machine's drift (shared cores) falls on all of them alike rather than on whichever
    ran during a busy second.
    """
    slices = max(1, round(seconds / 0.25))
    done = dict.fromkeys(calls, 0.0)
    spent = dict.fromkeys(calls, 0.0)
    gaps = dict.fromkeys(calls, 0.0)
    order = list(calls)
    for slice_ in range(slices):
        shift = slice_ % len(order)
        for name in order[shift:] + order[:shift]:
            rate, gap, elapsed = await _concurrent_rate(calls[name], seconds / slices)
            done[name] += rate * elapsed
            spent[name] += elapsed
            gaps[name] = max(gaps[name], gap)
    measured = {name: done[name] / spent[name] for name in calls}
    measured.update({f"{name}_max_gap_s": gap for name, gap in gaps.items()})
    return measured


async def _concurrent_rate(call: Call, seconds: float) -> tuple[float, float, float]:
    """Calls per second of ``CONCURRENCY`` tasks calling for ``seconds``, the longest
    gap of a 5 ms heartbeat on the same loop meanwhile, and the seconds it took."""
    done = 0
    ends = time.perf_counter() + seconds
    gaps: list[float] = []
    stop = asyncio.Event()

    async def heartbeat() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < ends:
            await call()
            done += 1

    beating = asyncio.create_task(heartbeat())
    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - start
    stop.set()
    await beating
    return done / elapsed, max(gaps), elapsed


async def _measure(url: str, samples: int, rounds: int, seconds: float) -> dict[str, Any]:
    import aiohttp
    import sinch_voice as sv

    timeout = aiohttp.ClientTimeout(total=None, sock_connect=5.0, sock_read=30.0)
    path = "/calling/v1/calls/id/c1"
    target = url + path
    secret = base64.b64decode(SECRET)
    by_hand.check(KEY, SECRET, "GET", path)
    async with (
        sv.AsyncVoiceClient(KEY, SECRET, base_url=url, allow_http=True) as client,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session,
    ):

        async def ours() -> Any:
            return await client.calls.get("c1")

        async def raw() -> bytes:
            async with session.get(
                target, headers=FIXED_HEADERS, timeout=timeout, allow_redirects=False
            ) as response:
                return await response.read()

        async def hand_written() -> Any:
            headers = by_hand.signed_headers(KEY, secret, "GET", path)
            async with session.get(
                target, headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                return await response.json()

        calls: dict[str, Call] = {"sinch_voice": ours, "aiohttp": raw, "by_hand": hand_written}
        assert (await ours()).call_id == "c1"
        assert json.loads(await raw())["callId"] == "c1"
        assert (await hand_written())["callId"] == "c1"
        # calls per sample: about 50 ms of the slower one
        count = max(5, int(0.05 / await _per_call(ours, 20)))
        latency = []
        for _ in range(rounds):
            timings: dict[str, list[float]] = {name: [] for name in calls}
            for _ in range(samples):
                for name, call in calls.items():
                    timings[name].append(await _per_call(call, count))
            latency.append(timings)
        concurrent = [await _concurrent_rates(calls, seconds) for _ in range(rounds)]
    return {
        "rounds": round_summaries(latency, "aiohttp"),
        "concurrent": concurrent,
    }


def async_overhead(samples: int = 15, rounds: int = 3, seconds: float = 3.0) -> dict[str, Any]:
    """The figures of ``_measure`` against the local platform under uvicorn (httptools),
    the server the blocking client's rows use."""
    with serving("uvicorn-httptools", "platform_asgi") as url:
        return asyncio.run(_measure(url, samples, rounds, seconds))


def main() -> None:
    from .__main__ import async_client_rows

    result = async_overhead()
    for line in async_client_rows(result):
        print(" | ".join(line))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
