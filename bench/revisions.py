"""The package at another revision beside the working tree's, in one run.

``python -m bench.revisions REV`` extracts ``generated/sinch_voice`` as it is at ``REV``
(``git archive``) into a scratch folder, imports it as ``sinch_voice_before`` beside the
working tree's ``sinch_voice``, and samples four of the serde cases of ``bench.serde``
(parse ICE, render SVAML, build SVAML, the webhook cycle) for both in turn. It prints
each case's medians and the median of the paired ratios (now / then) per round, with
their spread. The generated package imports itself relatively, so it runs under
another name unchanged.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .timing import paired_ratio, sample

REPO = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"
BEFORE = "sinch_voice_before"


def extract(revision: str, folder: Path) -> None:
    """``generated/sinch_voice`` at ``revision`` as ``folder/sinch_voice_before``."""
    archive = subprocess.run(
        [GIT, "archive", "--format=tar", revision, "generated/sinch_voice"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "generated" / "sinch_voice").rename(folder / BEFORE)


def cases(package: str) -> dict[str, Callable[[], Any]]:
    """The four cases, as ``bench.serde`` writes them, for ``package``."""
    from codegen.spec import effective_spec

    sv = importlib.import_module(package)
    signing = importlib.import_module(f"{package}.signing")
    webhooks = importlib.import_module(f"{package}.webhooks")
    examples = effective_spec()["components"]["examples"]
    ice = json.dumps(examples["ICEexample"]["value"]).encode()
    menu_value = examples["AcePlayMenuResponse"]["value"]
    menu = sv.loads(json.dumps(menu_value).encode(), sv.Svaml)
    first, second = menu_value["action"]["menus"]

    def build() -> bytes:
        return sv.dumps(
            sv.Svaml(
                action=sv.SvamlActionRunMenu(
                    barge=True,
                    menus=[
                        sv.Menu(
                            id="main",
                            main_prompt=first["mainPrompt"],
                            options=[
                                sv.MenuOption(dtmf="1", action="return(support)"),
                                sv.MenuOption(dtmf="2", action="menu(sub)"),
                            ],
                        ),
                        sv.Menu(
                            id="sub",
                            main_prompt=second["mainPrompt"],
                            repeat_prompt=second["repeatPrompt"],
                            repeats=3,
                            max_digits=4,
                        ),
                    ],
                )
            )
        )

    key, path, stamp = "bench-key", "/sinch/callback", "2024-05-01T12:00:00.000Z"
    secret = signing.Secret("BeIukql3pTKJ8RGL5zo0DA==")
    signature = signing.sign(secret, "POST", ice, "application/json", stamp, path)
    headers = {
        "content-type": "application/json",
        "x-timestamp": stamp,
        "authorization": f"Application {key}:{signature}",
    }
    secrets = {key: [secret]}

    def cycle() -> bytes:
        signing.verify(secrets, "POST", path, headers, ice, now=1714564800.0)
        webhooks.parse_event(ice)
        reply = sv.Svaml(
            instructions=[sv.SvamlInstructionSay(text="Thank you for calling", locale="en-US")],
            action=sv.SvamlActionHangup(),
        )
        return sv.dumps(reply)

    return {
        "parse ICE": lambda: sv.loads(ice, sv.IceRequest),
        "render SVAML": lambda: sv.dumps(menu),
        "build SVAML": build,
        "webhook cycle": cycle,
    }


def compare(
    first: dict[str, Callable[[], Any]],
    second: dict[str, Callable[[], Any]],
    labels: tuple[str, str],
    rounds: int,
    samples: int,
) -> None:
    """Print each case's medians and its ratio second / first (median of the rounds'
    paired ratios, and their spread)."""
    print(f"{'case':<16}{labels[0]:>12}{labels[1]:>12}{'ratio':>9}  spread of {rounds} rounds")
    for name in first:
        ratios, a, b = [], [], []
        for _ in range(rounds):
            timings = sample({"a": first[name], "b": second[name]}, samples)
            ratios.append(paired_ratio(timings["b"], timings["a"]))
            a.append(statistics.median(timings["a"]))
            b.append(statistics.median(timings["b"]))
        print(
            f"{name:<16}{statistics.median(a) * 1e6:>9.2f} us{statistics.median(b) * 1e6:>9.2f} us"
            f"{statistics.median(ratios):>8.3f}x  {min(ratios):.3f}-{max(ratios):.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.revisions", description=__doc__)
    parser.add_argument("revision", help="the revision to compare with, such as HEAD~3")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sinch-voice-revision-") as scratch:
        extract(args.revision, Path(scratch))
        sys.path.insert(0, scratch)
        then, now = cases(BEFORE), cases("sinch_voice")
        for name in then:  # both write the same JSON, or the timing compares nothing
            if name != "parse ICE":
                assert then[name]() == now[name](), name
        compare(then, now, (args.revision[:10], "now"), args.rounds, args.samples)


if __name__ == "__main__":
    main()
