"""Throughput under real servers, and the client's overhead over raw urllib3.

Each server is its own process on loopback; the load generator is wrk (Debian's
package) when present, otherwise a Python generator (slower: it is reported so).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import by_hand
from .timing import round_summaries, sample

REPO = Path(__file__).resolve().parent.parent
PATH = "/sinch/callback"
KEY, SECRET = "bench-key", "BeIukql3pTKJ8RGL5zo0DA=="


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# how each server is deployed: (command line after ``python -m``, its kind of app)
SERVERS: dict[str, list[str]] = {
    # gunicorn's default worker: one request at a time, a connection per request
    "gunicorn-sync": ["gunicorn", "--worker-class", "sync", "--workers", "1"],
    "gunicorn-gthread": [
        "gunicorn",
        "--worker-class",
        "gthread",
        "--workers",
        "1",
        "--threads",
        "4",
    ],
    # uvicorn alone (pure Python) and uvicorn[standard] (what most deployments install)
    "uvicorn-h11": ["uvicorn", "--loop", "asyncio", "--http", "h11"],
    "uvicorn-httptools": ["uvicorn", "--loop", "uvloop", "--http", "httptools"],
}


@contextmanager
def serving(server: str, app: str) -> Iterator[str]:
    """A server of ``SERVERS`` in its own process, serving ``bench.apps:<app>``."""
    port = free_port()
    command = [sys.executable, "-m", *SERVERS[server]]
    if command[2] == "gunicorn":
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    else:
        command += ["--host", "127.0.0.1", "--port", str(port)]
        command += ["--log-level", "warning", "--no-access-log"]
    command.append(f"bench.apps:{app}")
    env = {**os.environ, "BENCH_KEY": KEY, "BENCH_SECRET": SECRET}
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, process, f"{server} serving {app}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    """Return once ``process`` accepts connections on ``port``; RuntimeError naming
    ``what`` if it exits or has not started in 30 s."""
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.05)


def signed_request() -> tuple[bytes, dict[str, str]]:
    from sinch_voice.signing import Secret, sign, timestamp_now

    body = json.dumps(
        {
            "event": "ice",
            "callid": "c1",
            "version": 1,
            "cli": "+46700000000",
            "to": {"type": "did", "endpoint": "+3197121281500"},
            "domain": "pstn",
            "timestamp": "2022-03-21T13:13:59",
            "originationType": "PSTN",
        }
    ).encode()
    stamp = timestamp_now()
    signature = sign(Secret(SECRET), "POST", body, "application/json", stamp, PATH)
    return body, {
        "Content-Type": "application/json",
        "X-Timestamp": stamp,
        "Authorization": f"Application {KEY}:{signature}",
    }


def load(url: str, body: bytes, headers: dict[str, str], seconds: float) -> float:
    """Requests per second of POSTs to ``url``."""
    if shutil.which("wrk"):
        return _wrk(url, body, headers, seconds)
    return _python_load(url, body, headers, seconds)


def _wrk(url: str, body: bytes, headers: dict[str, str], seconds: float) -> float:
    wrk = shutil.which("wrk") or "wrk"
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body.decode())}"]
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    try:
        result = subprocess.run(
            [wrk, "-t1", "-c8", f"-d{max(1, round(seconds))}s", "-s", script.name, url + PATH],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise RuntimeError(f"{errors.group(1)} requests failed:\n{result.stdout}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if not match:
        raise RuntimeError(f"could not read wrk's output:\n{result.stdout}")
    return float(match.group(1))


def _python_load(url: str, body: bytes, headers: dict[str, str], seconds: float) -> float:
    import http.client

    host, port = url.removeprefix("http://").split(":")
    count = [0] * 4
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection(host, int(port))
        while time.monotonic() < stop:
            connection.request("POST", PATH, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"status {response.status}")
            count[slot] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(count) / seconds


# (server, bare app, dispatcher app): the async handler on the event loop; the sync
# handler under ASGI runs in a thread pool, shown for information
PAIRS = (
    ("gunicorn-sync", "bare_wsgi", "dispatcher_wsgi"),
    ("gunicorn-gthread", "bare_wsgi", "dispatcher_wsgi"),
    ("uvicorn-h11", "bare_asgi", "dispatcher_asgi"),
    ("uvicorn-httptools", "bare_asgi", "dispatcher_asgi"),
    ("uvicorn-httptools", "bare_asgi", "dispatcher_asgi_sync"),
)


def throughput(seconds: float = 4.0, rounds: int = 3) -> dict[str, Any]:
    """Requests per second: the dispatcher against a bare app, same server and load.

    Both apps are served at once, each by its own server process; each round alternates
    one-second bursts of load between them (``seconds`` of each in all), so that the
    machine's drift hits both alike, and sums them.
    """
    results: dict[str, Any] = {"load_generator": "wrk" if shutil.which("wrk") else "python"}
    bursts = max(1, round(seconds))
    for server, bare, ours in PAIRS:
        pairs = []
        with serving(server, bare) as bare_url, serving(server, ours) as our_url:
            urls = {bare: bare_url, ours: our_url}
            body, headers = signed_request()
            for app in (bare, ours):
                load(urls[app], body, headers, 1)  # warm up
            for _ in range(rounds):
                body, headers = signed_request()  # signed now: well within the tolerance
                done: dict[str, list[float]] = {bare: [], ours: []}
                for burst in range(bursts):
                    for app in (bare, ours) if burst % 2 == 0 else (ours, bare):
                        done[app].append(load(urls[app], body, headers, 1))
                pairs.append(
                    {
                        "bare_rps": statistics.mean(done[bare]),
                        "dispatcher_rps": statistics.mean(done[ours]),
                        # adjacent bursts share the machine's state: a round's share is
                        # the median of theirs, so one disturbed second does not decide it
                        "share": statistics.median(
                            d / b for d, b in zip(done[ours], done[bare], strict=True)
                        ),
                    }
                )
        results[f"{server} {ours}"] = {"server": server, "app": ours, "rounds": pairs}
    return results


def client_overhead(samples: int = 15, rounds: int = 3, seconds: float = 3.0) -> dict[str, Any]:
    """The client against raw urllib3 on the same loopback server: per-call latency
    (one thread), throughput of eight threads sharing one client, and the SDK's own CPU
    per call with a pool that answers at once."""
    import sinch_voice as sv
    import urllib3

    with serving("uvicorn-httptools", "platform_asgi") as url:
        client = sv.VoiceClient(KEY, SECRET, base_url=url, allow_http=True)
        # the same transport settings as the client (finite timeouts: CPython then polls the
        # socket before each read), so that the ratio is the SDK's own cost
        pool = urllib3.PoolManager(
            maxsize=16, retries=False, timeout=urllib3.Timeout(connect=5.0, read=30.0)
        )
        path = "/calling/v1/calls/id/c1"
        target = url + path
        secret = base64.b64decode(SECRET)
        by_hand.check(KEY, SECRET, "GET", path)
        fixed = {
            "User-Agent": "bench",
            "Accept": "application/json",
            "x-timestamp": "2024-01-01T00:00:00.000Z",
            "Authorization": f"Application {KEY}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        }
        assert client.calls.get("c1").call_id == "c1"

        def raw() -> bytes:
            return bytes(pool.request("GET", target, headers=fixed, redirect=False).data)

        def hand_written() -> Any:
            headers = by_hand.signed_headers(KEY, secret, "GET", path)
            return json.loads(pool.request("GET", target, headers=headers, redirect=False).data)

        assert json.loads(raw())["callId"] == "c1"
        assert hand_written()["callId"] == "c1"
        calls = {
            "sinch_voice": lambda: client.calls.get("c1"),
            "urllib3": raw,
            "by_hand": hand_written,
        }
        latency = [sample(calls, samples, budget=0.05) for _ in range(rounds)]
        threads = [_threaded_rates(calls, 8, seconds) for _ in range(rounds)]
        client.close()
    return {
        "rounds": round_summaries(latency, "urllib3"),
        "threads": threads,
        "cpu_per_call_s": [own_cpu_per_call() for _ in range(rounds)],
    }


def _threaded_rates(calls: dict[str, Any], threads: int, seconds: float) -> dict[str, float]:
    """Calls per second of each of ``calls`` (``threads`` threads calling it) over about
    ``seconds`` each, in 0.25 s slices taken in turn, each call first in turn: the
    machine's drift (shared cores) falls on all of them alike."""
    slices = max(1, round(seconds / 0.25))
    done = dict.fromkeys(calls, 0.0)
    spent = dict.fromkeys(calls, 0.0)
    order = list(calls)
    for slice_ in range(slices):
        shift = slice_ % len(order)
        for name in order[shift:] + order[:shift]:
            count, elapsed = _threaded_calls(calls[name], threads, seconds / slices)
            done[name] += count
            spent[name] += elapsed
    return {name: done[name] / spent[name] for name in calls}


def _threaded_calls(call: Any, threads: int, seconds: float) -> tuple[int, float]:
    """Calls made by ``threads`` threads calling ``call`` for ``seconds``, and the
    seconds it took (the threads' start and end included)."""
    counts = [0] * threads
    start = time.monotonic()
    stop = start + seconds

    def worker(slot: int) -> None:
        while time.monotonic() < stop:
            call()
            counts[slot] += 1

    running = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return sum(counts), time.monotonic() - start


def _answering_pool(body: bytes) -> Any:
    """A urllib3 PoolManager that answers every request at once, without a network
    (passed to the client as ``http_client``)."""
    import io

    import urllib3

    class AnsweringPool(urllib3.PoolManager):
        def urlopen(self, method: str, url: str, redirect: bool = True, **kw: Any) -> Any:
            return urllib3.HTTPResponse(
                body=io.BytesIO(body),
                headers={"content-type": "application/json", "content-length": str(len(body))},
                status=200,
                preload_content=False,
            )

    return AnsweringPool()


def own_cpu_per_call(calls: int = 5000) -> dict[str, float]:
    """CPU seconds per ``calls.get`` with no network at all, and the stand-in's own share."""
    import sinch_voice as sv

    from .apps import CALL

    pool = _answering_pool(CALL)
    client = sv.VoiceClient(
        KEY, SECRET, base_url="http://127.0.0.1:9", allow_http=True, http_client=pool
    )
    assert client.calls.get("c1").call_id == "c1"
    start = time.process_time()
    for _ in range(calls):
        client.calls.get("c1")
    total = (time.process_time() - start) / calls
    start = time.process_time()
    for _ in range(calls):
        pool.urlopen("GET", "http://127.0.0.1:9/calling/v1/calls/id/c1").read()
    stand_in = (time.process_time() - start) / calls
    return {"sdk_s": total - stand_in, "stand_in_s": stand_in}
