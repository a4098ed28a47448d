"""Serde and the webhook cycle, ours against yardsticks generated from the vendor's spec.

Yardsticks: datamodel-code-generator's pydantic v2 models and msgspec structs, generated
at bench time from the vendor document as shipped (``spec/sinch-voice.yaml``, without our
overlay: the yardsticks parse the examples unchanged), and plain ``json`` on dicts (the
untyped floor). Every candidate's output is checked equal to the spec's example before
it is timed; a candidate that cannot produce it is reported as not comparable, with the
reason. Every candidate is timed as its users write it: what one builds inside the
timed code (a model, a prompt), the others build there too.

Run alone (``python -m bench.serde``) it prints its results as JSON; ``bench`` runs it
twice, with orjson and with orjson blocked.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .timing import paired_ratio, sample

Candidate = Callable[[], Any]


def vendor_spec() -> Any:
    """The vendor's document as shipped: what the yardsticks are generated from."""
    from codegen.spec import SpecSource, load_yaml

    return load_yaml(SpecSource().spec)


def generate_yardsticks(spec: Any, folder: Path) -> dict[str, Any]:
    """datamodel-code-generator's pydantic and msgspec packages for ``spec``."""
    (folder / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    packages = {}
    for name, kind in (
        ("yard_pydantic", "pydantic_v2.BaseModel"),
        ("yard_msgspec", "msgspec.Struct"),
    ):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "datamodel_code_generator",
                "--input",
                "spec.json",
                "--input-file-type",
                "openapi",
                "--output",
                name,
                "--output-model-type",
                kind,
            ],
            cwd=folder,
            check=True,
            capture_output=True,
        )
    sys.path.insert(0, str(folder))
    for name in ("yard_pydantic", "yard_msgspec"):
        packages[name] = importlib.import_module(name)
    return packages


def platform_dialect(document: Any) -> Any:
    """The spec's example as the platform writes it, and as sinch_voice writes events:
    ``callid`` for ``callId``, timestamps in UTC with ``Z`` (see spec/README.md)."""
    if isinstance(document, dict):
        return {
            ("callid" if k == "callId" else k): (
                v if k != "timestamp" or v.endswith("Z") else v + "Z"
            )
            if isinstance(v, str)
            else platform_dialect(v)
            for k, v in document.items()
        }
    if isinstance(document, list):
        return [platform_dialect(v) for v in document]
    return document


def same_json(got: bytes | str, expected: Any) -> bool:
    """The same document, in the spec's dialect or in the platform's."""
    produced = json.loads(got)
    return produced in (expected, platform_dialect(expected))


def pydantic_json(model: Any) -> str:
    """A pydantic yardstick's JSON: what was set, under the wire names."""
    return str(model.model_dump_json(exclude_unset=True, by_alias=True))


class Case:
    """One operation: its candidates, each checked before timing."""

    def __init__(self, name: str, expected: Any) -> None:
        self.name = name
        self.expected = expected
        self.candidates: dict[str, Candidate] = {}
        self.skipped: dict[str, str] = {}

    def add(self, label: str, run: Candidate, check: Callable[[Any], bytes | str]) -> None:
        """``check(result)`` gives the candidate's JSON for its result, compared first."""
        try:
            produced = check(run())
        except Exception as error:  # a yardstick that cannot do it is reported, not hidden
            self.skipped[label] = f"{type(error).__name__}: {str(error)[:120]}"
            return
        if not same_json(produced, self.expected):
            self.skipped[label] = "its output differs from the example"
            return
        self.candidates[label] = run


def cases(spec: Any, yard: dict[str, Any]) -> list[Case]:
    import msgspec
    import sinch_voice as sv
    from sinch_voice.signing import Secret, sign

    examples = spec["components"]["examples"]
    ice_value = examples["ICEexample"]["value"]
    menu_value = examples["AcePlayMenuResponse"]["value"]
    ice = json.dumps(ice_value).encode()
    menu = json.dumps(menu_value).encode()
    pyd, msg = yard["yard_pydantic"], yard["yard_msgspec"]
    action, instruction = (
        importlib.import_module("yard_pydantic.svaml.action"),
        importlib.import_module("yard_pydantic.svaml.instruction"),
    )

    parse_ice = Case("parse ICE", ice_value)
    parse_ice.add("sinch_voice", lambda: sv.loads(ice, sv.IceRequest), sv.dumps)
    parse_ice.add("pydantic", lambda: pyd.IceRequest.model_validate_json(ice), pydantic_json)
    parse_ice.add(
        "msgspec", lambda: msgspec.json.decode(ice, type=msg.IceRequest), msgspec.json.encode
    )
    parse_ice.add("json", lambda: json.loads(ice), json.dumps)

    ours_menu = sv.loads(menu, sv.Svaml)
    pyd_menu = pyd.SVAMLRequestBody.model_validate_json(menu)
    render = Case("render SVAML", menu_value)
    render.add("sinch_voice", lambda: sv.dumps(ours_menu), lambda out: out)
    render.add("pydantic", lambda: pydantic_json(pyd_menu), lambda out: out)
    try:
        msg_menu = msgspec.json.decode(menu, type=msg.SVAMLRequestBody)
        render.add("msgspec", lambda: msgspec.json.encode(msg_menu), lambda out: out)
    except Exception as error:
        render.skipped["msgspec"] = f"{type(error).__name__}: {str(error)[:120]}"
    render.add(
        "json", lambda: json.dumps(menu_value, separators=(",", ":")).encode(), lambda out: out
    )

    parse_menu = Case("parse SVAML", menu_value)
    parse_menu.add("sinch_voice", lambda: sv.loads(menu, sv.Svaml), sv.dumps)
    parse_menu.add(
        "pydantic", lambda: pyd.SVAMLRequestBody.model_validate_json(menu), pydantic_json
    )
    parse_menu.add(
        "msgspec", lambda: msgspec.json.decode(menu, type=msg.SVAMLRequestBody), msgspec.json.encode
    )
    parse_menu.add("json", lambda: json.loads(menu), json.dumps)

    main_prompt = menu_value["action"]["menus"][0]["mainPrompt"]
    sub_prompt = menu_value["action"]["menus"][1]["mainPrompt"]
    repeat = menu_value["action"]["menus"][1]["repeatPrompt"]

    def ours_build() -> Any:
        return sv.Svaml(
            action=sv.SvamlActionRunMenu(
                barge=True,
                menus=[
                    sv.Menu(
                        id="main",
                        main_prompt=main_prompt,
                        options=[
                            sv.MenuOption(dtmf="1", action="return(support)"),
                            sv.MenuOption(dtmf="2", action="menu(sub)"),
                        ],
                    ),
                    sv.Menu(
                        id="sub",
                        main_prompt=sub_prompt,
                        repeat_prompt=repeat,
                        repeats=3,
                        max_digits=4,
                    ),
                ],
            )
        )

    def pydantic_build() -> Any:
        return pyd.SVAMLRequestBody(
            action=action.RunMenu(
                name="runMenu",
                barge=True,
                menus=[
                    pyd.Menu(
                        id="main",
                        mainPrompt=main_prompt,
                        options=[
                            pyd.Option(dtmf="1", action="return(support)"),
                            pyd.Option(dtmf="2", action="menu(sub)"),
                        ],
                    ),
                    pyd.Menu(
                        id="sub", mainPrompt=sub_prompt, repeatPrompt=repeat, repeats=3, maxDigits=4
                    ),
                ],
            )
        )

    def json_build() -> Any:
        return {
            "action": {
                "name": "runMenu",
                "barge": True,
                "menus": [
                    {
                        "id": "main",
                        "mainPrompt": main_prompt,
                        "options": [
                            {"dtmf": "1", "action": "return(support)"},
                            {"dtmf": "2", "action": "menu(sub)"},
                        ],
                    },
                    {
                        "id": "sub",
                        "mainPrompt": sub_prompt,
                        "repeatPrompt": repeat,
                        "repeats": 3,
                        "maxDigits": 4,
                    },
                ],
            }
        }

    build = Case("build SVAML", menu_value)
    build.add("sinch_voice", ours_build, sv.dumps)
    build.add("pydantic", pydantic_build, pydantic_json)
    build.add("json", json_build, json.dumps)

    # the README's way: MenuBuilder and a callback's builder, prompts made with tts()
    from sinch_voice.svaml import MenuBuilder, ace_response, goto, return_, tts

    main_text, sub_text, repeat_text = (p[5:-1] for p in (main_prompt, sub_prompt, repeat))

    def ours_builder() -> Any:
        menus = (
            MenuBuilder()
            .menu("main", tts(main_text), options={"1": return_("support"), "2": goto("sub")})
            .menu("sub", tts(sub_text), repeat_prompt=tts(repeat_text), repeats=3, max_digits=4)
        )
        return ace_response().run_menu(menus, barge=True).build()

    builder = Case("builder path", menu_value)
    builder.add("sinch_voice", ours_builder, sv.dumps)
    builder.add("pydantic", pydantic_build, pydantic_json)  # its direct build
    builder.add("json", json_build, json.dumps)

    # the webhook cycle: verify, parse ICE, build say + hangup, render
    from sinch_voice.signing import verify
    from sinch_voice.webhooks import Dispatcher, parse_event

    key, secret_text, path, stamp = (
        "bench-key",
        "BeIukql3pTKJ8RGL5zo0DA==",
        "/sinch/callback",
        "2024-05-01T12:00:00.000Z",
    )
    secret = Secret(secret_text)
    headers = {
        "content-type": "application/json",
        "x-timestamp": stamp,
        "authorization": f"Application {key}:"
        + sign(secret, "POST", ice, "application/json", stamp, path),
    }
    dispatcher = Dispatcher(key, secret_text, clock=lambda: 1714564800.0)
    dispatcher.on_ice(
        lambda event: sv.Svaml(
            instructions=[sv.SvamlInstructionSay(text="Thank you for calling", locale="en-US")],
            action=sv.SvamlActionHangup(),
        )
    )
    answer = {
        "instructions": [{"name": "say", "text": "Thank you for calling", "locale": "en-US"}],
        "action": {"name": "hangup"},
    }

    secrets = {key: [secret]}

    def pydantic_cycle() -> str:
        # the same verification as the dispatcher's: signature, timestamp window
        verify(secrets, "POST", path, headers, ice, now=1714564800.0)
        pyd.IceRequest.model_validate_json(ice)
        reply = pyd.SVAMLRequestBody(
            instructions=[
                instruction.Say(name="say", text="Thank you for calling", locale="en-US")
            ],
            action=action.Hangup(name="hangup"),
        )
        return pydantic_json(reply)

    def ours_cycle() -> bytes:
        verify(secrets, "POST", path, headers, ice, now=1714564800.0)
        parse_event(ice)  # refuses repeated keys, unlike the yardstick's parser
        reply = sv.Svaml(
            instructions=[sv.SvamlInstructionSay(text="Thank you for calling", locale="en-US")],
            action=sv.SvamlActionHangup(),
        )
        return sv.dumps(reply)

    cycle = Case("webhook cycle", answer)
    cycle.add("sinch_voice", ours_cycle, lambda out: out)
    cycle.add("pydantic", pydantic_cycle, lambda out: out)
    # the whole dispatcher (405/413/415 checks, event table, answer check, Response):
    # informational, next to the same yardstick
    full = Case("dispatcher.handle", answer)
    full.add("sinch_voice", lambda: dispatcher.handle("POST", path, headers, ice), lambda r: r.body)
    full.add("pydantic", pydantic_cycle, lambda out: out)
    # what safety costs: a presence check (``is not UNSET``) on a parsed PIE, and the
    # client's checked writing of a request body, each beside the yardsticks' equivalent
    pie_value = examples["PIEexample"]["value"]
    pie_bytes = json.dumps(pie_value).encode()
    ours_pie = sv.loads(pie_bytes, sv.PieRequest)
    pyd_pie = pyd.PieRequest.model_validate_json(pie_bytes)
    dict_pie = json.loads(pie_bytes)
    presence = Case("presence check", True)
    presence.add("sinch_voice", lambda: ours_pie.menu_result is not sv.UNSET, json.dumps)
    presence.add("pydantic", lambda: pyd_pie.menuResult is not None, json.dumps)
    presence.add("json", lambda: "menuResult" in dict_pie, json.dumps)

    callout_value = examples["ttsCalloutRequestCall"]["value"]
    callout_bytes = json.dumps(callout_value).encode()
    ours_callout = sv.loads(callout_bytes, sv.CalloutRequest)
    pyd_callout = pyd.CalloutRequest.model_validate_json(callout_bytes)
    checked = Case("request check", callout_value)
    checked.add("sinch_voice", lambda: sv.checked_dumps(ours_callout), lambda out: out)
    checked.add("pydantic", lambda: pydantic_json(pyd_callout), lambda out: out)
    checked.add("json", lambda: sv.dumps(ours_callout), lambda out: out)  # unchecked, ours
    return [parse_ice, render, parse_menu, build, builder, cycle, full, presence, checked]


def run(samples: int, rounds: int = 3) -> dict[str, Any]:
    """Each case's medians per round: every round samples every case again."""
    from sinch_voice import _json

    from codegen.spec import effective_spec

    spec = effective_spec()
    with tempfile.TemporaryDirectory(prefix="sinch-voice-bench-") as scratch:
        yard = generate_yardsticks(vendor_spec(), Path(scratch))
        timed = cases(spec, yard)
        results: dict[str, Any] = {
            case.name: {"rounds": [], "not_comparable": case.skipped} for case in timed
        }
        for _ in range(rounds):
            for case in timed:
                timings = sample(case.candidates, samples)
                results[case.name]["rounds"].append(
                    {
                        "median_s": {name: statistics.median(t) for name, t in timings.items()},
                        # samples taken side by side share the machine's drift: the
                        # round's ratio is the median of theirs
                        "ratio": paired_ratio(timings["sinch_voice"], timings["pydantic"]),
                    }
                )
    return {"orjson": _json.HAVE_ORJSON, "cases": results}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-orjson", action="store_true", help="block orjson first")
    parser.add_argument("--samples", type=int, default=21)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.no_orjson:
        sys.modules["orjson"] = None  # type: ignore[assignment]
    print(json.dumps(run(args.samples, args.rounds)))


if __name__ == "__main__":
    main()
