"""What only the asyncio client has: the optional extra, the loop never blocked, task
cancellation, awaited hooks and a session of one's own. Its behaviour shared with
``VoiceClient`` is tested both ways by the other files (``[async]``)."""

from __future__ import annotations

import asyncio
import inspect
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Awaitable
from typing import Any

import aiohttp
import pytest
import sinch_voice as sv
from sinch_voice._request import Request
from sinch_voice.client import AsyncVoiceClient
from sinch_voice.testing import LocalPlatform

from .conftest import KEY, SECRET, authorization_verdict

HANGUP = sv.Svaml(action=sv.SvamlActionHangup())
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000000")


def local_client(platform: LocalPlatform, **options: Any) -> AsyncVoiceClient:
    return sv.AsyncVoiceClient(KEY, SECRET, base_url=platform.url, allow_http=True, **options)


def waited_for_a_cpu() -> float:
    """Seconds this thread has spent runnable but not running (Linux's schedstat; 0
    elsewhere): on a loaded machine, time the loop lost to other processes."""
    try:
        with open("/proc/thread-self/schedstat") as stats:
            return int(stats.read().split()[1]) / 1e9
    except OSError:
        return 0.0


async def heartbeat(gaps: list[float], stop: asyncio.Event, every: float = 0.005) -> None:
    """Tick every ``every`` seconds until stopped, recording each gap between ticks: the
    time the loop was busy or blocked, not counting time the machine gave to others."""
    last, queued = time.perf_counter(), waited_for_a_cpu()
    while not stop.is_set():
        await asyncio.sleep(every)
        now, now_queued = time.perf_counter(), waited_for_a_cpu()
        gaps.append((now - last) - (now_queued - queued))
        last, queued = now, now_queued


async def with_heartbeat(work: Awaitable[Any]) -> tuple[Any, float]:
    """What ``work`` gives, and the longest gap of a heartbeat on the same loop meanwhile."""
    gaps: list[float] = []
    stop = asyncio.Event()
    beating = asyncio.create_task(heartbeat(gaps, stop))
    try:
        result = await work
    finally:
        stop.set()
        await beating
    return result, max(gaps)


def test_import_works_without_aiohttp_and_the_client_names_the_extra() -> None:
    script = textwrap.dedent(f"""
        import sys
        sys.modules["aiohttp"] = None  # blocked: import aiohttp raises ImportError
        import sinch_voice as sv
        from sinch_voice.client import AsyncVoiceClient, VoiceClient
        VoiceClient({KEY!r}, {SECRET!r}).close()
        assert AsyncVoiceClient is sv.AsyncVoiceClient
        try:
            sv.AsyncVoiceClient({KEY!r}, {SECRET!r})
        except sv.ConfigurationError as error:
            print(error)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("AsyncVoiceClient needs aiohttp: pip install 'sinch-voice[aiohttp]'\n")


def test_both_clients_have_the_same_groups_methods_signatures_and_docs() -> None:
    for group in ("callouts", "calls", "conferences", "applications"):
        sync_group = sv.VoiceClient.__annotations__[group]
        async_group = sv.AsyncVoiceClient.__annotations__[group]
        assert async_group == "Async" + sync_group
        sync_class = getattr(sv.client, sync_group)
        async_class = getattr(sv.client, async_group)
        methods = [name for name in vars(sync_class) if not name.startswith("_")]
        assert methods
        assert methods == [name for name in vars(async_class) if not name.startswith("_")]
        for name in methods:
            sync_method = getattr(sync_class, name)
            async_method = getattr(async_class, name)
            assert inspect.iscoroutinefunction(async_method), name
            assert inspect.signature(sync_method) == inspect.signature(async_method), name
            assert sync_method.__doc__ == async_method.__doc__, name


def test_both_clients_hand_their_driver_the_same_request() -> None:
    def calls(client: Any) -> list[Any]:
        return [
            client.calls.get("c 1/x", timeout=3.0),
            client.calls.update("c1", HANGUP),
            client.applications.list_numbers(),
            client.callouts.tts(destination=DEST, text="Hi"),
        ]

    sent: list[Request[Any]] = []
    sync_client = sv.VoiceClient(KEY, SECRET)
    sync_client._transport.send = lambda call: sent.append(call.request)  # type: ignore[method-assign, func-returns-value]
    calls(sync_client)

    async def record(call: Any) -> None:
        awaited.append(call.request)

    awaited: list[Request[Any]] = []
    async_client = sv.AsyncVoiceClient(KEY, SECRET)
    async_client._transport.send = record  # type: ignore[method-assign, assignment]

    async def run() -> None:
        await asyncio.gather(*calls(async_client))

    asyncio.run(run())
    assert len(sent) == 4
    assert awaited == sent


SLOW_SERVER = """
import asyncio, json, sys

async def connection(reader, writer):
    try:
        while head := await reader.readuntil(b"\\r\\n\\r\\n"):
            lines = head.decode("latin-1").split("\\r\\n")
            method, path, _ = lines[0].split(" ")
            print(json.dumps([method, path, lines[1:]]), flush=True)
            await asyncio.sleep(float(sys.argv[1]))
            body = json.dumps({"callId": path.rsplit("/", 1)[-1], "status": "ONGOING"})
            writer.write(
                b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n"
                + f"Content-Length: {len(body)}\\r\\n\\r\\n{body}".encode()
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()

async def main():
    server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=128)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"""


class SlowServer:
    """A small asyncio HTTP/1.1 server in a process of its own (so that it takes no
    time from the client's loop): it answers every request with a call's JSON ``delay``
    seconds late and keeps connections open. (The local platform's threaded server keeps
    five pending connections; fifty at once would test its backlog, not the client.)"""

    def __init__(self, delay: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SLOW_SERVER, str(delay)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = f"http://127.0.0.1:{self.process.stdout.readline().strip()}"

    def verdicts(self) -> list[str]:
        """Stops the server; the verdict on each request's signature, in order."""
        self.process.terminate()
        output, _ = self.process.communicate(timeout=10)
        verdicts = []
        for line in output.splitlines():
            method, path, lines = json.loads(line)
            fields = (line.split(": ", 1) for line in lines if line)
            headers = {name.lower(): value for name, value in fields}
            verdicts.append(authorization_verdict(method, path, headers, b""))
        return verdicts


def test_fifty_concurrent_calls_on_a_slow_server_never_block_the_loop() -> None:
    ids = [f"call-{n}" for n in range(50)]
    server = SlowServer(delay=0.2)

    async def run() -> tuple[list[sv.CallInformation], float]:
        async with sv.AsyncVoiceClient(KEY, SECRET, base_url=server.url, allow_http=True) as c:
            await c.calls.get("c1")  # the first call makes the session
            return await with_heartbeat(asyncio.gather(*(c.calls.get(i) for i in ids)))

    try:
        started = time.monotonic()
        answers, longest_gap = asyncio.run(run())
        elapsed = time.monotonic() - started
    finally:
        verdicts = server.verdicts()
    assert [answer.call_id for answer in answers] == ids
    assert verdicts == ["signed ok"] * 51
    assert longest_gap < 0.05, f"the loop was blocked for {longest_gap * 1000:.0f} ms"
    assert elapsed < 10 * 0.2  # concurrent, not one after another (that takes 10 s)


def test_the_heartbeat_sees_a_blocked_loop() -> None:
    """The measure above can fail: a coroutine that blocks (here with time.sleep)
    shows as a long gap."""

    async def run() -> float:
        async def blocking() -> None:
            await asyncio.sleep(0.02)
            time.sleep(0.1)

        return (await with_heartbeat(blocking()))[1]

    assert asyncio.run(run()) >= 0.09


def test_a_retry_wait_is_an_asyncio_sleep_that_leaves_the_loop_free(
    platform: LocalPlatform,
) -> None:
    async def run() -> tuple[sv.CallInformation, float]:
        async with local_client(platform) as client:
            await client.calls.get("c1")  # the first call makes the session
            platform.faults.next(status=503, retry_after=0.5)
            return await with_heartbeat(client.calls.get("c1"))

    started = time.monotonic()
    answer, longest_gap = asyncio.run(run())
    assert answer.call_id == "c1"
    assert time.monotonic() - started >= 0.5  # the Retry-After was waited out
    assert longest_gap < 0.05
    assert len(platform.requests) == 3


def acquired(client: AsyncVoiceClient) -> int:
    """Connections the client's session holds for requests in flight."""
    session = client._transport._session
    assert session is not None
    return len(session.connector._acquired)  # type: ignore[union-attr]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in 3.11")
def test_asyncio_timeout_cancels_the_call_and_releases_its_connection(
    platform: LocalPlatform,
) -> None:
    platform.faults.delay(2.0)

    async def run() -> None:
        async with local_client(platform) as client:
            with pytest.raises(TimeoutError) as caught:
                async with asyncio.timeout(0.3):
                    await client.calls.get("c1")
            assert not isinstance(caught.value, sv.SinchVoiceError)
            assert isinstance(caught.value.__context__, asyncio.CancelledError)
            assert acquired(client) == 0
            assert (await client.calls.get("c1")).call_id == "c1"  # the client goes on

    asyncio.run(run())


def test_a_cancelled_task_raises_cancelled_error_and_releases_its_connection(
    platform: LocalPlatform,
) -> None:
    platform.faults.delay(2.0, times=2)

    async def run() -> None:
        async with local_client(platform) as client:
            task = asyncio.create_task(client.calls.get("c1"))
            await asyncio.sleep(0.3)
            assert acquired(client) == 1
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert acquired(client) == 0
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.calls.get("c1"), 0.01)
            assert acquired(client) == 0

    asyncio.run(run())


def test_async_and_plain_hooks_both_see_each_attempt(platform: LocalPlatform) -> None:
    seen: list[tuple[str, int, int | None]] = []

    async def on_request(event: sv.RequestEvent) -> None:
        await asyncio.sleep(0)
        seen.append(("request", event.attempt, None))

    def on_response(event: sv.ResponseEvent) -> None:
        seen.append(("response", event.attempt, event.status))

    platform.faults.next(status=503)
    hooks: sv.EventHooks = {"request": [on_request], "response": [on_response]}

    async def run() -> None:
        async with local_client(platform, event_hooks=hooks, sleep=lambda _: None) as client:
            await client.calls.get("c1")

    asyncio.run(run())
    assert seen == [
        ("request", 1, None),
        ("response", 1, 503),
        ("request", 2, None),
        ("response", 2, 200),
    ]


def test_a_session_passed_in_is_used_and_left_open(platform: LocalPlatform) -> None:
    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(2):
                async with local_client(platform, http_client=session) as client:
                    await client.calls.get("c1")
                    await client.with_options(max_retries=0).calls.get("c1")  # views share it
                    assert client._transport._session is session
            assert not session.closed
            async with session.get(f"{platform.url}/calling/v1/calls/id/c1") as response:
                assert response.status == 401  # still open (and unsigned)

    asyncio.run(run())
    assert len(platform.requests) == 5


def test_a_session_the_client_made_is_closed_with_it(platform: LocalPlatform) -> None:
    async def run() -> None:
        client = local_client(platform)
        await client.calls.get("c1")
        session = client._transport._session
        assert session is not None
        await client.close()
        assert session.closed
        with pytest.raises(sv.ConfigurationError, match="this client has been closed"):
            await client.calls.get("c1")

    asyncio.run(run())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"http_client": object()}, "http_client must be an aiohttp.ClientSession; got object"),
        ({"proxy": "http://h:1"}, "proxy= configures the session the client makes"),
        ({"ca_certs": "ca.pem"}, "ca_certs= configures the session the client makes"),
    ],
)
def test_what_applies_to_the_clients_own_session_is_refused_with_a_given_one(
    options: dict[str, object], message: str
) -> None:
    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            settings: dict[str, object] = {"http_client": session, **options}
            with pytest.raises(sv.ConfigurationError, match=message):
                sv.AsyncVoiceClient(KEY, SECRET, **settings)  # type: ignore[arg-type]

    asyncio.run(run())
