"""Throughput under real servers, and the client's overhead over raw urllib3.

Each server is its own process on loopback; the load generator is wrk (Debian's
package) when present, otherwise a Python generator (slower: it is reported so).
"""

from __future__ import annotations

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

from .timing import paired_ratio, sample

REPO = Path(__file__).resolve().parent.parent
PATH = "/sinch/callback"
KEY, SECRET = "bench-key", "BeIukql3pTKJ8RGL5zo0DA=="


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(kind: str, app: str) -> Iterator[str]:
    """A gunicorn (WSGI) or uvicorn (ASGI) process serving ``bench.apps:<app>``."""
    port = free_port()
    if kind == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
            f"bench.apps:{app}",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            f"bench.apps:{app}",
        ]
    env = {**os.environ, "BENCH_KEY": KEY, "BENCH_SECRET": SECRET}
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{kind} serving {app} did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


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


def throughput(seconds: float = 4.0, rounds: int = 3) -> dict[str, Any]:
    """Requests per second: the dispatcher against a bare app, same server and load."""
    body, headers = signed_request()
    results: dict[str, Any] = {"load_generator": "wrk" if shutil.which("wrk") else "python"}
    for kind, bare, ours in (
        ("gunicorn", "bare_wsgi", "dispatcher_wsgi"),
        ("uvicorn", "bare_asgi", "dispatcher_asgi"),
        ("uvicorn-sync", "bare_asgi", "dispatcher_asgi_sync"),
    ):
        samples: dict[str, list[float]] = {bare: [], ours: []}
        for _ in range(rounds):  # alternate, so that drift hits both
            for app in (bare, ours):
                with serving(kind.split("-")[0], app) as url:
                    load(url, body, headers, 1)  # warm up
                    samples[app].append(load(url, body, headers, seconds))
        results[kind] = {
            "bare_rps": statistics.median(samples[bare]),
            "dispatcher_rps": statistics.median(samples[ours]),
            "samples": samples,
        }
    return results


def client_overhead(samples: int = 15) -> dict[str, Any]:
    """Per-call latency of a signed, typed operation against raw urllib3, same server."""
    import sinch_voice as sv
    import urllib3

    with serving("uvicorn", "platform_asgi") as url:
        client = sv.VoiceClient(KEY, SECRET, base_url=url, allow_http=True)
        # the same transport settings as the client (finite timeouts: CPython then polls the
        # socket before each read), so that the ratio is the SDK's own cost
        pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=5.0, read=30.0))
        target = url + "/calling/v1/calls/id/c1"
        fixed = {
            "User-Agent": "bench",
            "Accept": "application/json",
            "x-timestamp": "2024-01-01T00:00:00.000Z",
            "Authorization": f"Application {KEY}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        }
        assert client.calls.get("c1").call_id == "c1"

        def raw() -> bytes:
            return bytes(pool.request("GET", target, headers=fixed, redirect=False).data)

        assert json.loads(raw())["callId"] == "c1"
        timings = sample(
            {"sinch_voice": lambda: client.calls.get("c1"), "urllib3": raw}, samples, budget=0.05
        )
        client.close()
    return {
        "median_s": {name: statistics.median(values) for name, values in timings.items()},
        "paired_ratio": paired_ratio(timings["sinch_voice"], timings["urllib3"]),
    }
