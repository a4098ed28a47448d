"""The example IVR under gunicorn and under uvicorn, called by the platform over HTTP; the
command line as a maintainer and a CI script use it."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform
from sinch_voice.testing.__main__ import build_parser
from sinch_voice.testing.platform import wait_until

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
    assert unreachable.returncode == 2, unreachable.stderr  # as --help says
    assert "CALLBACKERROR" in unreachable.stdout  # the transcript, all the same
    assert "unreachable" in unreachable.stderr


def test_a_secret_that_is_not_base64_is_one_line_not_a_traceback() -> None:
    for command in (["call", "--app", "examples.ivr:wsgi"], ["serve"]):
        result = run_cli(*command, "--application", "my-key:not base64!")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "my-key" in result.stderr
        assert "not valid base64" in result.stderr


def test_every_command_and_option_has_help() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {c.dest for c in commands._choices_actions} == {"serve", "call", "load"}
    assert all(c.help for c in commands._choices_actions)
    for name, command in commands.choices.items():
        for option in command._actions:
            assert option.help, (name, option.dest)
        assert {"--hold", "--callee"} <= set(command._option_string_actions), name
    assert "Exits 0" in " ".join(commands.choices["call"].format_help().split())


def test_call_scripts_callees_and_hold() -> None:
    application = f"--application={KEY}:{SECRET}"
    result = run_cli(
        *("call", "--app", "examples.ivr:wsgi", application, "--press", "1", "--press", "1"),
        *("--callee", "+46700000100=busy", "--json"),
    )
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)["entries"]
    assert any(e["kind"] == "connect" and e["data"].get("outcome") == "busy" for e in entries)
    wrong = run_cli("call", "--app", "examples.ivr:wsgi", "--callee", "+4670=maybe")
    assert wrong.returncode == 2
    assert "human, machine, busy or no-answer" in wrong.stderr


def test_the_serve_command_prints_its_url_and_runs_callouts_as_scripted() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sinch_voice.testing", "serve", "--port", str(port),
         f"--application={KEY}:{SECRET}", "--hold", "30", "--callee", "+46700000002=busy"],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert (
            process.stdout.readline().strip() == f"local Sinch platform on http://127.0.0.1:{port}"
        )
        url = f"http://127.0.0.1:{port}"
        with sv.VoiceClient(KEY, SECRET, base_url=url, allow_http=True) as client:
            busy = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000002")
            rung = client.callouts.tts(destination=busy, text="Hi")
            joins = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000003")
            joined = client.callouts.conference(destination=joins, conference_id="room")
            final = sv.CallInformationStatus.FINAL
            assert wait_until(lambda: client.calls.get(rung.call_id).status is final)
            assert client.calls.get(rung.call_id).result is sv.CallResult.BUSY
            time.sleep(0.5)  # held 30 s: still in the conference
            participants = client.conferences.get("room").participants
            assert participants is not sv.UNSET
            assert [p.id for p in participants] == [joined.call_id]
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
