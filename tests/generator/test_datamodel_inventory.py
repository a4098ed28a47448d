"""datamodel-code-generator's honest job: an independent reading of the same spec.

It cannot emit attrs and has no operations, so it does not render anything; here its
inventory (models, their fields' wire names and required flags, found through
``--emit-model-metadata``) is compared with our IR. Every difference is fixed or listed
below with the reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from codegen import ir
from codegen.diagnostics import pointer

S = "/components/schemas"
TAG = "a union member's tag: a one-value enum to datamodel-codegen, a Literal field here"
ROOT = "a union or scalar alias: a RootModel to datamodel-codegen, a type alias here"
# Their models that are not models in our IR, with why.
THEIRS_ONLY = {
    f"{S}/iceRequest/properties/userRate": "`type: object` beside `$ref: money`: they copy "
    "money into a new class, we use Money itself (the $ref decides the shape)",
    f"{S}/diceRequest/properties/debit": "the same `type: object` + `$ref: money` case",
    f"{S}/aceRequest/properties/amd": "`description` beside `$ref: amdResult` (our overlay): "
    "they copy amdResult into a new class, we use AmdResult itself",
    f"{S}/timeStamp": "a string to them; a UTC datetime here (overrides.yaml types)",
    f"{S}/svaml.action": ROOT,
    f"{S}/svaml.instruction": ROOT,
    **{
        f"{S}/svaml.action.{a}/properties/name": TAG
        for a in (
            "hangup",
            "continue",
            "connectPstn",
            "connectMxp",
            "connectConf",
            "connectSip",
            "runMenu",
            "park",
        )
    },
    **{
        f"{S}/svaml.instruction.{i}/properties/name": TAG
        for i in (
            "playFiles",
            "say",
            "sendDtmf",
            "setCookie",
            "answer",
            "startRecording",
            "stopRecording",
        )
    },
}
# Our models and enums that they do not have, with why.
OURS_ONLY = {
    f"{S}/diceRequest/properties/to": "they reuse iceRequest's `to` class for the identical "
    "DICE shape; we name each place (DiceRequestTo) so a later spec change to one stays local",
    "open enums": "`x-enumDescriptions` without `enum` is a plain string to them; an open "
    "enum (documented values, others kept) here",
    "/components/parameters/callLeg/schema": "they do not read parameters",
    f"{S}/getNumbersResponseObj/properties/numbers/items/properties/capability": "with `sms` "
    "added (our overlay) its values equal updateNumbers' capability, and they reuse that class; "
    "we name each place (OwnedNumberCapability)",
}


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory, spec: Any) -> Any:
    folder = tmp_path_factory.mktemp("dmcg")
    (folder / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
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
            "out",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--emit-model-metadata",
            "meta.json",
        ],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return {pointer(*m["source_path"]): m for m in meta["models"]}


def test_every_model_has_the_same_fields_and_required_flags(inventory: Any, api: ir.Api) -> None:
    ours = {m.pointer: m for m in api.models}
    compared = 0
    for where, theirs in inventory.items():
        if where in ours:
            mine = {f.spec_name or f.wire_name: f.required for f in ours[where].fields}
            assert {f["alias"]: f["required"] for f in theirs["fields"]} == mine, where
            compared += 1
    assert compared >= 50


def test_their_other_models_are_our_enums_or_listed(inventory: Any, api: ir.Api) -> None:
    ours = {m.pointer for m in api.models}
    enums = {e.pointer: e for e in api.enums}
    for where, theirs in inventory.items():
        if where in ours:
            continue
        if where in enums:
            assert len(theirs["fields"]) == len(enums[where].values), where
            continue
        assert where in THEIRS_ONLY, f"datamodel-codegen has a model we do not: {where}"


def test_our_other_models_and_enums_are_listed(inventory: Any, api: ir.Api) -> None:
    for model in api.models:
        if model.pointer not in inventory:
            assert model.pointer in OURS_ONLY, (
                f"we have a model datamodel-codegen does not: {model.pointer}"
            )
    for enum in api.enums:
        if enum.pointer not in inventory:
            assert enum.open or enum.pointer in OURS_ONLY, enum.pointer


def test_the_allow_lists_hold_no_stale_entries(inventory: Any, api: ir.Api) -> None:
    ours = {m.pointer for m in api.models} | {e.pointer for e in api.enums}
    models = {m.pointer for m in api.models}
    for where in THEIRS_ONLY:
        assert where in inventory, where
        assert where not in models, where
    for where in OURS_ONLY:
        if where.startswith("/"):
            assert where in ours, where
            assert where not in inventory, where
