"""The change report classifies each kind of spec update, in both directions.

Each case builds the surface (codegen.surface) of two specs, the vendor document with
one side changed or both (and, for renames, overrides.yaml changed), and checks every
change ``compare`` finds, forwards and backwards, against what a user of the package
would see. The report for one real-looking update is a golden file; ``make generate``
prints it after the vendor document is replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from codegen.__main__ import main
from codegen.changes import compare
from codegen.overrides import DEFAULT_OVERRIDES
from codegen.report import build_surface, changelog_entry, report
from codegen.spec import DEFAULT_OVERLAY, DEFAULT_SPEC, REPO, SpecSource, load_yaml
from tests.maintainer import mutations as m

Change = Callable[[Any], None]
Found = set[tuple[str, str, str]]
GOLDEN = REPO / "tests" / "golden" / "change-report" / "report.txt.expected"


@attrs.frozen
class Case:
    name: str
    new: Change | None = None
    forward: Found = attrs.field(factory=set)  # (rule, class, Python name)
    backward: Found = attrs.field(factory=set)
    old: Change | None = None
    new_overrides: Change | None = None


def side(tmp_path: Path, name: str, change: Change | None, overrides: Change | None) -> Any:
    spec = load_yaml(DEFAULT_SPEC)
    if change is not None:
        change(spec)
    path = tmp_path / f"{name}.json"  # JSON is YAML
    path.write_text(json.dumps(spec), encoding="utf-8")
    chosen = None
    if overrides is not None:
        data = load_yaml(DEFAULT_OVERRIDES)
        overrides(data)
        chosen = tmp_path / f"{name}-overrides.json"
        chosen.write_text(json.dumps(data), encoding="utf-8")
    return build_surface(SpecSource(path, DEFAULT_OVERLAY), chosen)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return side(tmp_path_factory.mktemp("base"), "base", None, None)


GET = "VoiceClient.calls.get"
SV = "sinch_voice."
CASES = [
    Case(
        "a new optional query parameter",
        m.add_optional_query_parameter,
        {("parameter-added", "compatible", f"{GET}(include_legs=)")},
        {("parameter-removed", "breaking", f"{GET}(include_legs=)")},
    ),
    Case(
        "a new required query parameter",
        m.add_required_query_parameter,
        {("parameter-added", "breaking", f"{GET}(region=)")},
        {("parameter-removed", "breaking", f"{GET}(region=)")},
    ),
    Case(
        "a parameter widened from integer to number",
        m.query_parameter_of("number"),
        {("parameter-type-changed", "compatible", f"{GET}(max_legs=)")},
        {("parameter-type-changed", "breaking", f"{GET}(max_legs=)")},
        old=m.query_parameter_of("integer"),
    ),
    Case(
        "another response model",
        m.change_response_model,
        {("response-changed", "breaking", GET)},
        {("response-changed", "breaking", GET)},
    ),
    Case(
        "an operation removed (and its overrides.yaml entry)",
        m.remove_kick_all,
        {("operation-removed", "breaking", "VoiceClient.conferences.kick_all")},
        {("operation-added", "compatible", "VoiceClient.conferences.kick_all")},
        new_overrides=m.without_kick_all,
    ),
    Case(
        "a new optional request field",
        m.add_sent_field(required=False),
        {("field-added", "compatible", f"{SV}TtsCalloutRequest.priority")},
        {("field-removed", "breaking", f"{SV}TtsCalloutRequest.priority")},
    ),
    Case(
        "a new required request field",
        m.add_sent_field(required=True),
        {("field-added", "breaking", f"{SV}TtsCalloutRequest.priority")},
        {("field-removed", "breaking", f"{SV}TtsCalloutRequest.priority")},
    ),
    Case(
        "a new required field in a callback (read, never sent)",
        m.add_required_read_field,
        {("field-added", "compatible", f"{SV}IceRequest.region")},
        {("field-removed", "breaking", f"{SV}IceRequest.region")},
    ),
    Case(
        "a field removed",
        m.remove_read_field,
        {("field-removed", "breaking", f"{SV}DiceRequest.duration")},
        {("field-added", "compatible", f"{SV}DiceRequest.duration")},
    ),
    Case(
        "a read field widened from integer to number",
        m.widen_read_field,
        {("field-type-changed", "breaking", f"{SV}DiceRequest.duration")},
        {("field-type-changed", "compatible", f"{SV}DiceRequest.duration")},
    ),
    Case(
        "a read field made required",
        m.require_read_field,
        {("field-required-changed", "compatible", f"{SV}IceRequest.cli")},
        {("field-required-changed", "breaking", f"{SV}IceRequest.cli")},
    ),
    Case(
        "a read field made nullable (allowed in overrides.yaml: its type becomes any)",
        m.nullable_read_field,
        {
            ("field-nullable-changed", "breaking", f"{SV}IceRequest.cli"),
            ("field-type-changed", "breaking", f"{SV}IceRequest.cli"),
        },
        {
            ("field-nullable-changed", "compatible", f"{SV}IceRequest.cli"),
            ("field-type-changed", "compatible", f"{SV}IceRequest.cli"),
        },
        new_overrides=m.allow_nullable_cli,
    ),
    Case(
        "a changed default",
        m.change_default,
        {("field-default-changed", "behaviour", f"{SV}Menu.max_timeout_mills")},
        {("field-default-changed", "behaviour", f"{SV}Menu.max_timeout_mills")},
    ),
    Case(
        "a value removed from a closed enum",
        m.remove_enum_value,
        {("enum-value-removed", "breaking", f"{SV}CallResult.BUSY")},
        {("enum-value-added", "compatible", f"{SV}CallResult.BUSY")},
    ),
    Case(
        "a value added to an open enum",
        m.add_open_enum_value,
        {("enum-value-added", "compatible", f"{SV}IceRequestDomain.SIP")},
        {("enum-value-removed", "breaking", f"{SV}IceRequestDomain.SIP")},
    ),
    Case(
        "a new callback",
        m.add_callback,
        {
            ("callback-added", "compatible", "Dispatcher.on_qce"),
            ("model-added", "compatible", f"{SV}QceRequest"),
        },
        {
            ("callback-removed", "breaking", "Dispatcher.on_qce"),
            ("model-removed", "breaking", f"{SV}QceRequest"),
        },
    ),
    Case(
        "a new SVAML action",
        m.add_svaml_action,
        {
            ("svaml-action-added", "compatible", f"{SV}SvamlActionConnectVideo"),
            ("callback-action-added", "compatible", "Dispatcher.on_ice"),
        },
        {
            ("svaml-action-removed", "breaking", f"{SV}SvamlActionConnectVideo"),
            ("callback-action-removed", "breaking", "Dispatcher.on_ice"),
        },
    ),
    Case(
        "a new SVAML instruction",
        m.add_svaml_instruction,
        {("svaml-instruction-added", "compatible", f"{SV}SvamlInstructionPlayTone")},
        {("svaml-instruction-removed", "breaking", f"{SV}SvamlInstructionPlayTone")},
    ),
    Case(
        "an action allowed in one more callback (overrides.yaml svaml.answers)",
        None,
        {
            ("svaml-action-callbacks-changed", "compatible", f"{SV}SvamlActionConnectMxp"),
            ("callback-action-added", "compatible", "Dispatcher.on_pie"),
        },
        {
            ("svaml-action-callbacks-changed", "breaking", f"{SV}SvamlActionConnectMxp"),
            ("callback-action-removed", "breaking", "Dispatcher.on_pie"),
        },
        new_overrides=m.mxp_answers_pie,
    ),
    Case(
        "a region removed",
        m.remove_region,
        {
            ("server-removed", "breaking", "VoiceClient"),
            ("region-removed", "breaking", "VoiceClient(region='apse2')"),
        },
        {
            ("server-added", "compatible", "VoiceClient"),
            ("region-added", "compatible", "VoiceClient(region='apse2')"),
        },
    ),
    Case(
        "a security scheme changed",
        m.basic_becomes_bearer,
        {("security-changed", "breaking", "VoiceClient")},
        {("security-changed", "breaking", "VoiceClient")},
    ),
    Case(
        "a class renamed through overrides.yaml (the wire unchanged)",
        None,
        {
            ("model-renamed", "breaking", f"{SV}CallDetails"),
            ("response-changed", "breaking", GET),
            ("enum-renamed", "breaking", f"{SV}CallDetailsDomain"),
            ("enum-renamed", "breaking", f"{SV}CallDetailsReason"),
            ("enum-renamed", "breaking", f"{SV}CallDetailsStatus"),
            ("field-type-changed", "breaking", f"{SV}CallDetails.domain"),
            ("field-type-changed", "breaking", f"{SV}CallDetails.reason"),
            ("field-type-changed", "breaking", f"{SV}CallDetails.status"),
        },
        {
            ("model-renamed", "breaking", f"{SV}CallInformation"),
            ("response-changed", "breaking", GET),
            ("enum-renamed", "breaking", f"{SV}CallInformationDomain"),
            ("enum-renamed", "breaking", f"{SV}CallInformationReason"),
            ("enum-renamed", "breaking", f"{SV}CallInformationStatus"),
            ("field-type-changed", "breaking", f"{SV}CallInformation.domain"),
            ("field-type-changed", "breaking", f"{SV}CallInformation.reason"),
            ("field-type-changed", "breaking", f"{SV}CallInformation.status"),
        },
        new_overrides=m.rename_class,
    ),
    Case(
        "a property renamed on the wire, its Python name kept by overrides.yaml words",
        m.vendor_renames_max_duration,
        {("field-renamed-on-wire", "behaviour", f"{SV}SvamlActionPark.max_duration")},
        {("field-renamed-on-wire", "behaviour", f"{SV}SvamlActionPark.max_duration")},
        new_overrides=m.keep_max_duration,
    ),
    Case(
        "a limit in a description that the SVAML builder checks",
        m.lower_text_limit,
        {("svaml-checks-changed", "behaviour", f"{SV}svaml")},
        {("svaml-checks-changed", "behaviour", f"{SV}svaml")},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_kind_of_change_is_classified_both_ways(case: Case, base: Any, tmp_path: Path) -> None:
    old = side(tmp_path, "old", case.old, None) if case.old else base
    new = side(tmp_path, "new", case.new, case.new_overrides)
    forward = {(c.rule, c.severity, c.python) for c in compare(old, new)}
    backward = {(c.rule, c.severity, c.python) for c in compare(new, old)}
    assert forward == case.forward
    assert backward == case.backward


def test_a_rename_kept_by_overrides_says_so(base: Any, tmp_path: Path) -> None:
    new = side(tmp_path, "new", m.vendor_renames_max_duration, m.keep_max_duration)
    (change,) = compare(base, new)
    assert change.note == "overrides.yaml keeps the Python name"
    assert change.pointer == "#/components/schemas/svaml.action.park/properties/maxDurationSeconds"


def test_nothing_changed_reports_nothing(base: Any) -> None:
    assert compare(base, base) == []


def write(tmp_path: Path, name: str, change: Change | None) -> Path:
    spec = load_yaml(DEFAULT_SPEC)
    if change is not None:
        change(spec)
    path = tmp_path / name
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def test_diff_names_what_the_overlay_hides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.json", None)
    new = write(tmp_path, "new.json", m.vendor_renames_signed_header)
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "0 breaking, 0 behaviour, 0 compatible" in out
    assert "hidden from users by spec/overlays/corrections.yaml (1)" in out
    assert "#/components/securitySchemes/Application/name" in out


def test_diff_can_fail_on_a_breaking_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.json", None)
    new = write(tmp_path, "new.json", m.remove_enum_value)
    assert main(["diff", str(old), str(new), "--fail-on-breaking"]) == 2
    assert main(["diff", str(new), str(old), "--fail-on-breaking"]) == 0
    capsys.readouterr()


def real_looking_release(spec: Any) -> None:
    m.real_looking(spec)
    spec["info"]["version"] = "1.0.2"


def golden_text(old: Any, new: Any) -> str:
    found = compare(old, new)
    text = report(old, new, found) + "\n" + changelog_entry(old, new, found, "0.1.0")
    for digest in (old["spec_sha256"], new["spec_sha256"], new["overrides_sha256"]):
        text = text.replace(digest[:12], "<sha256>")  # the vendor file may be corrected
    return text


def test_the_report_of_a_real_looking_update_matches_its_golden_file(
    base: Any, tmp_path: Path
) -> None:
    new = side(tmp_path, "new", real_looking_release, None)
    text = golden_text(base, new)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the change report changed; if that is intended: "
        "UPDATE_GOLDEN=1 pytest tests/maintainer/test_change_report.py -k golden, "
        "and review the diff"
    )


@pytest.mark.slow
def test_make_generate_prints_the_report_after_the_spec_is_replaced(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    for folder in ("codegen", "spec", "api"):
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "CHANGELOG.md"):  # the changelog knows the last release
        shutil.copy(REPO / name, copy / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "as generated"]):
        subprocess.run([*git, *command], cwd=copy, check=True, capture_output=True)
    spec = load_yaml(DEFAULT_SPEC)
    real_looking_release(spec)
    m.vendor_renames_signed_header(spec)  # the overlay undoes it; git HEAD has the old spec
    (copy / "spec" / "sinch-voice.yaml").write_text(json.dumps(spec), encoding="utf-8")

    def generate() -> str:
        result = subprocess.run(
            [sys.executable, "-m", "codegen", "generate"],
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    out = generate()
    assert "Change report: Voice API | Sinch 1.0.1 -> 1.0.2" in out
    assert "1 breaking, 0 behaviour, 3 compatible" in out
    assert "[enum-value-removed] sinch_voice.CallResult.BUSY" in out
    assert "hidden from users by spec/overlays/corrections.yaml (1)" in out
    assert "#/components/securitySchemes/Application/name" in out
    assert "## [0.2.0] - Unreleased" in out  # the drafted changelog entry
    recorded = json.loads((copy / "api" / "generated-from.json").read_text(encoding="utf-8"))
    assert "connectVideo" in recorded["svaml"]["actions"]
    assert "Change report" not in generate()  # recorded: the next run has nothing to say


def test_diff_names_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "vendor-1.0.2.yaml"
    assert main(["diff", str(DEFAULT_SPEC), str(missing)]) == 1
    assert f"{missing}: no such file" in capsys.readouterr().err
