"""What ``mypy --strict`` tells a user of the package: it rejects reading through an
absent property, a handler for the wrong event and a handler that answers the wrong
thing (another callback's builder included), and accepts handlers of one or two
parameters, sync or async, and the README's examples as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

USER_FILE = """
import sinch_voice as sv
from sinch_voice.svaml import DiceResponse, IceResponse, dice_response, ice_response
from sinch_voice.webhooks import CallbackRequest, Dispatcher

dispatcher = Dispatcher("key", "BeIukql3pTKJ8RGL5zo0DA==")


@dispatcher.on_pie
def menu(event: sv.PieRequest) -> sv.Svaml:
    said = event.menu_result.value  # LINE unguarded
    if event.menu_result is not sv.UNSET:
        said = event.menu_result.value  # checked first: fine
    return ice_response().say(f"You entered {said}").hangup().build()


@dispatcher.on_ice  # LINE wrong event
def wrong_event(event: sv.AceRequest) -> sv.Svaml:
    return sv.Svaml(action=sv.SvamlActionContinue())


@dispatcher.on_ace  # LINE wrong answer
def wrong_answer(event: sv.AceRequest) -> str:
    return "continue"


@dispatcher.on_dice
async def later(event: sv.DiceRequest) -> None:
    return None


@dispatcher.on_ace
def with_request(event: sv.AceRequest, request: CallbackRequest) -> sv.Svaml | None:
    return None  # the documented two-parameter form


@dispatcher.on_notify
async def noted(event: sv.NotifyRequest | sv.NotifyErrorRequest, request: CallbackRequest) -> None:
    return None


@dispatcher.on_pie  # LINE another callback's builder
def pie_with_ice_builder(event: sv.PieRequest) -> IceResponse:
    return ice_response().hangup()


@dispatcher.on_ice  # LINE a builder for no answer
def ice_with_dice_builder(event: sv.IceRequest, request: CallbackRequest) -> DiceResponse:
    return dice_response().hangup()
"""


def readme_examples() -> str:
    """The README's Python blocks that use the package as users do, joined."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    markers = ("VoiceClient(APP_KEY", "on_ice", "MenuBuilder")
    chosen = [b for b in blocks if any(marker in b for marker in markers)]
    assert len(chosen) == 3, "the README's client, callback and builder examples"
    preamble = "import sinch_voice as sv\nAPP_KEY = APP_SECRET = ''\nbody_bytes = b''\n"
    return preamble + "\n".join(chosen)


def mypy(tmp_path: Path, source: str) -> list[str]:
    user = tmp_path / "user.py"
    user.write_text(textwrap.dedent(source), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(REPO / "generated")},
    )
    return [line for line in result.stdout.splitlines() if ": error:" in line]


@pytest.mark.slow
def test_mypy_reports_the_mistakes_and_nothing_else(tmp_path: Path) -> None:
    errors = mypy(tmp_path, USER_FILE)
    lines = USER_FILE.splitlines()
    marked = {i + 1: line.split("# LINE ")[1] for i, line in enumerate(lines) if "# LINE" in line}
    by_line: dict[str, list[str]] = {}
    for error in errors:
        number = int(error.split(":")[1])
        by_line.setdefault(marked.get(number, f"unexpected line {number}"), []).append(error)
    assert set(by_line) == {
        "unguarded",
        "wrong event",
        "wrong answer",
        "another callback's builder",
        "a builder for no answer",
    }, errors
    assert (
        'Item "sentinel" of "PieRequestMenuResult | UNSET" has no attribute "value"'
        in (by_line["unguarded"][0])
    )
    assert "IceHandler" in by_line["wrong event"][0]
    assert "AceHandler" in by_line["wrong answer"][0]
    assert "PieHandler" in by_line["another callback's builder"][0]
    assert "IceHandler" in by_line["a builder for no answer"][0]


@pytest.mark.slow
def test_mypy_accepts_the_readme_examples(tmp_path: Path) -> None:
    assert mypy(tmp_path, readme_examples()) == []
