"""The example IVR under gunicorn and under uvicorn, called by the platform over HTTP; the
command line as a maintainer and a CI script use it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sinch_voice.testing import LocalPlatform

from ..webhooks.test_servers import free_port, start

REPO = Path(__file__).resolve().parents[2]
KEY, SECRET = "local-application-key", "bG9jYWwtc2VjcmV0"


@pytest.fixture(scope="module", params=["gunicorn", "uvicorn"])
def served(request: pytest.FixtureRequest) -> Iterator[str]:
    port = free_port()
    if request.param == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "2",
                   "examples.ivr:wsgi"]  # fmt: skip
    else:
        command = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port),
                   "--log-level", "warning", "examples.ivr:asgi"]  # fmt: skip
    process = start(command, port)
    time.sleep(0.3)
    yield f"http://127.0.0.1:{port}/sinch/callback"
    process.terminate()
    process.wait(timeout=15)


@pytest.mark.slow
def test_a_call_through_the_app_under_a_real_server(served: str) -> None:
    with LocalPlatform({KEY: SECRET}) as platform:
        call = platform.call(url=served, press=["2", "1234"])
    call.assert_heard("Order 1 2 3 4 ships tomorrow.")
    call.assert_ended(reason="MANAGERHANGUP", result="ANSWERED")
    assert [c["event"] for c in call.callbacks] == ["ice", "pie", "dice"]


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sinch_voice.testing", *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=60,
    )


def test_the_call_command_prints_the_transcript() -> None:
    application = f"--application={KEY}:{SECRET}"
    text = run_cli(
        "call", "--app", "examples.ivr:wsgi", application, "--press", "2", "--press", "9"
    )
    assert text.returncode == 0, text.stderr
    assert "press      9" in text.stdout
    data = run_cli("call", "--app", "examples.ivr:asgi", application, "--json")
    assert data.returncode == 0, data.stderr
    entries = json.loads(data.stdout)["entries"]
    assert entries[-1]["text"] == "DICE -> 200 in " + entries[-1]["text"].split(" in ")[1]
    missing = run_cli("call", "--app", "examples.nothing:app", application)
    assert missing.returncode == 2
    assert "cannot load the app" in missing.stderr
    unreachable = run_cli("call", "--url", "http://127.0.0.1:9/cb", application)
    assert unreachable.returncode == 0  # the call ran: the ICE failed, as on the platform
    assert "CALLBACKERROR" in unreachable.stdout


def test_the_serve_command_prints_its_url() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sinch_voice.testing", "serve", "--port", str(port),
         f"--application={KEY}:{SECRET}"],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert (
            process.stdout.readline().strip() == f"local Sinch platform on http://127.0.0.1:{port}"
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_load_mode_reports_latency_against_the_deadline() -> None:
    result = run_cli(
        *("load", "--app", "examples.ivr:wsgi", f"--application={KEY}:{SECRET}"),
        *("--calls", "20", "--concurrency", "4", "--press", "2", "--press", "1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "20 calls, 4 at a time" in result.stdout
    assert "over the 2 s deadline: 0" in result.stdout
    assert "latency ms: p50" in result.stdout
