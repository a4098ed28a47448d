"""A test as a user of the package writes it: the ``sinch_platform`` fixture (from the
pytest plugin the package registers) runs a call through the example IVR, and scripts
the failures a test of retry handling needs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sinch_voice as sv

from examples.ivr import dispatcher

pytest_plugins: list[str] = []  # the fixture comes from the installed plugin, not from here


def test_a_caller_checks_an_order(sinch_platform: Any) -> None:
    call = sinch_platform.call(app=dispatcher.asgi, press=["2", "4711"])
    call.assert_heard("Welcome to Example Corp.")
    call.assert_heard("Order 4 7 1 1 ships tomorrow.")
    call.assert_ended(reason="MANAGERHANGUP", result="ANSWERED")


def test_a_caller_reaches_an_agent_unless_a_machine_answers(sinch_platform: Any) -> None:
    call = sinch_platform.call(app=dispatcher.wsgi, press=["1", "1"])
    call.assert_connected("+46700000100")
    call.assert_ended(reason="CALLEEHANGUP")
    machine = sinch_platform.call(
        app=dispatcher.wsgi, press=["1", "1"], callees={"+46700000100": "machine"}
    )
    machine.assert_ended(reason="MANAGERHANGUP")


def test_a_failed_assertion_prints_the_call(sinch_platform: Any) -> None:
    call = sinch_platform.call(app=dispatcher.wsgi, press=[])
    with pytest.raises(AssertionError) as caught:
        call.assert_heard("Goodbye, and thanks")
    assert "menu       main: #tts[Press 1 for support" in str(caught.value)


def test_a_user_tests_their_retry_handling_with_faults(sinch_platform: Any) -> None:
    waits: list[float] = []
    client = sv.VoiceClient(
        sinch_platform.key, sinch_platform.secret, base_url=sinch_platform.url,
        allow_http=True, sleep=waits.append,
    )  # fmt: skip
    to = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000001")
    sinch_platform.faults.next(status=503, operation="Callouts")
    with pytest.raises(sv.ServerError):  # a callout is not sent again on a 5xx
        client.callouts.tts(destination=to, text="Hi")
    placed = client.callouts.tts(destination=to, text="Hi")
    sinch_platform.faults.next(status=503, retry_after=1, operation="Calling_GetCallResult")
    assert client.calls.get(placed.call_id).call_id == placed.call_id  # a read is retried
    assert [r["status"] for r in sinch_platform.requests] == [503, 200, 503, 200]
    assert waits == [1.0]
    client.close()


# -- the fixture's applications, and the guide's page as a user copies it ------------------

REPO = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"(<!-- not run: [^>]+ -->\n)?```(\w+)\n(.*?)```", re.S)


def run_pytest(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         *extra, str(folder)],
        capture_output=True, text=True, check=False, cwd=folder, timeout=120,
    )  # fmt: skip


def test_the_testing_guide_runs_under_pytest_as_written(tmp_path: Path) -> None:
    page = (REPO / "docs" / "guide" / "testing.md").read_text("utf-8")
    blocks = [code for skip, lang, code in BLOCK.findall(page) if lang == "python" and not skip]
    upto = next(i for i, code in enumerate(blocks) if "def test_sales(sinch_platform)" in code)
    (tmp_path / "test_guide.py").write_text("\n".join(blocks[: upto + 1]), "utf-8")
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


TEST = """
import sinch_voice as sv
from sinch_voice.webhooks import Dispatcher

dispatcher = Dispatcher("my-key", "bXktc2VjcmV0")
dispatcher.on_ice(lambda event: sv.Svaml(action=sv.SvamlActionHangup()))

{marker}
def test_signed_with_my_key(sinch_platform):
    call = sinch_platform.call(app=dispatcher)
    assert sinch_platform.key == {key!r}
    call.assert_ended(reason="MANAGERHANGUP")
"""


@pytest.mark.parametrize(
    ("marker", "ini", "key", "outcome"),
    [
        ('@__import__("pytest").mark.sinch_platform(applications={"my-key": "bXktc2VjcmV0"})',
         "", "my-key", "1 passed"),
        ("", "[pytest]\nsinch_applications =\n    my-key:bXktc2VjcmV0\n", "my-key", "1 passed"),
        ("", "", "local-application-key", "1 failed"),
    ],
    ids=["marker", "ini", "default"],
)  # fmt: skip
def test_the_fixtures_applications_are_configurable(
    tmp_path: Path, marker: str, ini: str, key: str, outcome: str
) -> None:
    (tmp_path / "test_app.py").write_text(TEST.format(marker=marker, key=key), "utf-8")
    (tmp_path / "pytest.ini").write_text(ini or "[pytest]\n", "utf-8")
    result = run_pytest(tmp_path)
    assert outcome in result.stdout, result.stdout + result.stderr
    if outcome == "1 failed":  # the default application: the app refuses it, and says so
        assert "the platform signed with application key 'local-application-key'" in (result.stdout)
