"""The asyncio client against raw aiohttp on the same loopback server: per-call latency
(paired samples, one call at a time), throughput of 50 concurrent calls on one client,
and how long the loop went without running a heartbeat while they ran.

Raw aiohttp gets the same transport settings as the client (one session, the same
socket timeouts, a fixed signed-looking header set), so that the ratios are the SDK's
own cost: signing, the request description, the retry logic, reading into a model.
``python -m bench.async_client`` runs these rows alone.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from .servers import KEY, SECRET, serving
from .timing import paired_ratio

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


async def _concurrent_rate(call: Call, seconds: float) -> tuple[float, float]:
    """Calls per second of ``CONCURRENCY`` tasks calling for ``seconds``, and the longest
    gap of a 5 ms heartbeat on the same loop meanwhile (seconds)."""
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
    return done / elapsed, max(gaps)


async def _measure(url: str, samples: int, rounds: int, seconds: float) -> dict[str, Any]:
    import aiohttp
    import sinch_voice as sv

    timeout = aiohttp.ClientTimeout(total=None, sock_connect=5.0, sock_read=30.0)
    target = url + "/calling/v1/calls/id/c1"
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

        assert (await ours()).call_id == "c1"
        assert json.loads(await raw())["callId"] == "c1"
        # calls per sample: about 50 ms of the slower one
        count = max(5, int(0.05 / await _per_call(ours, 20)))
        latency = []
        for _ in range(rounds):
            timings: dict[str, list[float]] = {"sinch_voice": [], "aiohttp": []}
            for _ in range(samples):
                timings["sinch_voice"].append(await _per_call(ours, count))
                timings["aiohttp"].append(await _per_call(raw, count))
            latency.append(timings)
        concurrent = []
        for round_ in range(rounds):
            order: list[tuple[str, Call]] = [("sinch_voice", ours), ("aiohttp", raw)]
            measured: dict[str, float] = {}
            for name, call in order if round_ % 2 == 0 else order[::-1]:
                rate, gap = await _concurrent_rate(call, seconds)
                measured[name] = rate
                measured[f"{name}_max_gap_s"] = gap
            concurrent.append(measured)
    return {
        "rounds": [
            {
                "median_s": {name: statistics.median(v) for name, v in timings.items()},
                "paired_ratio": paired_ratio(timings["sinch_voice"], timings["aiohttp"]),
            }
            for timings in latency
        ],
        "concurrent": concurrent,
    }


def async_overhead(samples: int = 15, rounds: int = 3, seconds: float = 3.0) -> dict[str, Any]:
    """The figures of ``_measure`` against the local platform under uvicorn (httptools),
    the server the blocking client's rows use."""
    with serving("uvicorn-httptools", "platform_asgi") as url:
        return asyncio.run(_measure(url, samples, rounds, seconds))


def async_rows(result: dict[str, Any], row: Callable[..., list[str]]) -> list[list[str]]:
    """The table rows; ``row`` is the table's row maker (``bench.__main__.row``)."""
    rounds = result["rounds"]
    concurrent = result["concurrent"]
    gaps = [c["sinch_voice_max_gap_s"] * 1000 for c in concurrent]
    raw_gaps = [c["aiohttp_max_gap_s"] * 1000 for c in concurrent]
    return [
        row(
            "async client: calls.get on loopback, signed (us/call)",
            f"{statistics.median(r['median_s']['sinch_voice'] for r in rounds) * 1e6:.0f}",
            [r["paired_ratio"] for r in rounds],
            1.15,
            yardsticks=(
                "raw aiohttp "
                f"{statistics.median(r['median_s']['aiohttp'] for r in rounds) * 1e6:.0f}",
                "",
                "",
            ),
        ),
        row(
            f"async client: {CONCURRENCY} concurrent calls, one client (calls/s)",
            f"{statistics.median(c['sinch_voice'] for c in concurrent):.0f}",
            [c["sinch_voice"] / c["aiohttp"] for c in concurrent],
            0.9,
            at_most=False,
            yardsticks=(
                f"raw aiohttp {statistics.median(c['aiohttp'] for c in concurrent):.0f}",
                "",
                "",
            ),
            percent=True,
        ),
        [
            f"async client: loop lag, max heartbeat gap in {CONCURRENCY} concurrent calls (ms)",
            f"{statistics.median(gaps):.1f}",
            f"raw aiohttp {statistics.median(raw_gaps):.1f}",
            "",
            "",
            "",
            f"{min(gaps):.1f}-{max(gaps):.1f}",
            "",
            "(info)",
        ],
    ]


def main() -> None:
    from .__main__ import row

    result = async_overhead()
    for line in async_rows(result, row):
        print(" | ".join(line))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
