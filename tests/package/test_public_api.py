"""The public Python API is guarded: a change ships only with the version and changelog.

The first test is the guard itself (``make test`` runs it; ``make api-check`` alone): it
fails, saying what to do, when the live package differs from api/public-api.json in a
way CHANGELOG.md and codegen/__init__.py's version do not account for.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen import __version__, public_api, versioning
from codegen.changes import compare as compare_wire
from codegen.generate import generate_package
from codegen.overrides import DEFAULT_OVERRIDES
from codegen.report import build_surface, changelog_entry
from codegen.spec import DEFAULT_OVERLAY, DEFAULT_SPEC, REPO, SpecSource, load_yaml
from tests.maintainer import mutations as m


@pytest.fixture(scope="module")
def live() -> dict[str, Any]:
    return public_api.snapshot()


def test_the_public_api_matches_its_snapshot_or_the_changelog_accounts_for_it(
    live: dict[str, Any],
) -> None:
    found, asked = public_api.problems(public_api.load(), live, __version__, versioning.CHANGELOG)
    assert not asked, public_api.explain(found, asked)


def test_the_snapshot_reaches_generated_and_hand_written_names(live: dict[str, Any]) -> None:
    get = live["sinch_voice.client.VoiceClient.calls.get"]
    assert get["kind"] == "method"
    assert get["returns"] == "CallInformation"
    assert [p["name"] for p in get["parameters"]] == ["call_id", "timeout"]
    assert live["sinch_voice.VoiceClient"] == {
        "kind": "alias",
        "of": "sinch_voice.client.VoiceClient",
    }
    assert live["sinch_voice.models.IceRequest.call_id"]["kind"] == "attribute"
    assert live["sinch_voice.models.CallResult.BUSY"] == {"kind": "member", "value": "BUSY"}
    assert live["sinch_voice.signing.verify"]["kind"] == "function"  # hand-written runtime
    assert "sinch_voice.webhooks.Dispatcher.on_ice" in live
    assert "sinch_voice.svaml.ice_response" in live
    assert not any(part.startswith("_") for path in live for part in path.split("."))


def test_the_version_is_written_once(live: dict[str, Any]) -> None:
    from importlib.metadata import version

    import sinch_voice

    assert sinch_voice.__version__ == __version__ == version("sinch-voice")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    project = pyproject.split("[project]\n", 1)[1].split("\n[", 1)[0]
    assert re.search(r"(?m)^version\s*=", project) is None
    assert 'dynamic = ["version"]' in project


def entry(*params: dict[str, Any], returns: str = "None") -> dict[str, Any]:
    return {"kind": "function", "parameters": list(params), "returns": returns}


def param(name: str, kind: str = "keyword_only", **more: str) -> dict[str, Any]:
    return {"name": name, "kind": kind, "annotation": "str", **more}


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (entry(param("a")), entry(), ("breaking", "parameter 'a' removed")),
        (entry(), entry(param("b")), ("breaking", "new required parameter 'b'")),
        (
            entry(),
            entry(param("b", default="None")),
            ("compatible", "new optional parameter 'b'"),
        ),
        (
            entry(param("a", default="1")),
            entry(param("a")),
            ("breaking", "parameter 'a' is now required"),
        ),
        (
            entry(param("a", default="1")),
            entry(param("a", default="2")),
            ("behaviour", "parameter 'a' default 1 -> 2"),
        ),
        (
            entry(param("a", "positional_or_keyword")),
            entry(param("a")),
            ("breaking", "parameter 'a': positional_or_keyword -> keyword_only"),
        ),
        (
            entry(param("a")),
            entry(param("a", "positional_or_keyword")),
            ("compatible", "parameter 'a': keyword_only -> positional_or_keyword"),
        ),
        (
            entry(param("a")),
            entry({**param("a"), "annotation": "int"}),
            ("breaking", "parameter 'a': str -> int"),
        ),
        (entry(), entry(returns="int"), ("breaking", "returns None -> int")),
    ],
)
def test_signature_changes_are_classified(
    before: dict[str, Any], after: dict[str, Any], expected: tuple[str, str]
) -> None:
    (change,) = public_api.compare({"m.f": before}, {"m.f": after})
    assert (change.severity, change.detail) == expected


RECORDED = {
    "released": "0.1.0",
    "version": "0.1.0",
    "api": {"pkg.mod.Thing.x": {"kind": "attribute"}},
}


def changelog(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "CHANGELOG.md"
    path.write_text("# Changelog\n\n" + text + "\n## [0.1.0] - 2026-12-06\n", encoding="utf-8")
    return path


def test_a_breaking_change_asks_for_the_minor_version_and_its_name_in_the_changelog(
    tmp_path: Path,
) -> None:
    found, asked = public_api.problems(RECORDED, {}, "0.1.0", changelog(tmp_path, ""))
    assert [c.qualname for c in found] == ["Thing.x"]
    message = public_api.explain(found, asked)
    assert '__version__ = "0.2.0"' in message
    assert "`## [0.2.0] - Unreleased`" in message
    assert "Thing.x" in asked[-1]
    _, asked = public_api.problems(RECORDED, {}, "0.1.1", changelog(tmp_path, "## [0.1.1]\n"))
    assert any('"0.2.0"' in step for step in asked)  # a patch is not enough
    section = "## [0.2.0] - Unreleased\n\n### Removed\n\n- **Breaking:** `Thing.x`.\n"
    assert public_api.problems(RECORDED, {}, "0.2.0", changelog(tmp_path, section))[1] == []


def test_an_addition_asks_for_a_patch_release_with_a_section(tmp_path: Path) -> None:
    live = {**RECORDED["api"], "pkg.mod.Thing.y": {"kind": "attribute"}}
    _, asked = public_api.problems(RECORDED, live, "0.1.0", changelog(tmp_path, ""))
    assert '__version__ = "0.1.1"' in asked[0]
    assert "`## [0.1.1] - Unreleased`" in asked[1]
    done = changelog(tmp_path, "## [0.1.1] - Unreleased\n\n### Added\n\n- `Thing.y`.\n")
    assert public_api.problems(RECORDED, live, "0.1.1", done)[1] == []


def test_the_policy_bumps() -> None:
    assert versioning.next_version("0.1.3", breaking=True) == "0.2.0"
    assert versioning.next_version("0.1.3", breaking=False) == "0.1.4"
    assert versioning.next_version("1.4.2", breaking=True) == "2.0.0"
    assert versioning.allows("0.1.0", "0.3.0", breaking=True)
    assert not versioning.allows("0.1.0", "0.1.9", breaking=True)


def test_a_draft_joins_the_unreleased_version_when_it_already_allows_the_change() -> None:
    assert versioning.draft_version("0.1.0", "0.2.0", breaking=True) == "0.2.0"
    assert versioning.draft_version("0.1.0", "0.1.1", breaking=False) == "0.1.1"
    assert versioning.draft_version("0.1.0", "0.1.1", breaking=True) == "0.2.0"
    assert versioning.draft_version("0.1.0", "0.1.0", breaking=False) == "0.1.1"


def package_snapshot(folder: Path) -> dict[str, Any]:
    code = (
        f"import sys, json; sys.path.insert(0, {str(folder)!r})\n"
        "import sinch_voice\n"
        f"assert sinch_voice.__file__.startswith({str(folder)!r})\n"
        "from codegen.public_api import snapshot\n"
        "print(json.dumps(snapshot()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "overrides", "python"),
    [
        (m.remove_read_field, None, "sinch_voice.models.DiceRequest.duration"),
        (
            m.remove_kick_all,
            m.without_kick_all,
            "sinch_voice.client.VoiceClient.conferences.kick_all",
        ),
    ],
    ids=["a removed field", "a removed operation"],
)
def test_breaking_on_the_wire_is_breaking_in_python_and_the_draft_names_it(
    change: Any, overrides: Any, python: str, live: dict[str, Any], tmp_path: Path
) -> None:
    spec = load_yaml(DEFAULT_SPEC)
    change(spec)
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    overrides_path = DEFAULT_OVERRIDES
    if overrides is not None:
        data = load_yaml(DEFAULT_OVERRIDES)
        overrides(data)
        overrides_path = tmp_path / "overrides.json"
        overrides_path.write_text(json.dumps(data), encoding="utf-8")
    source = SpecSource(spec_path, DEFAULT_OVERLAY)
    generate_package(source, tmp_path / "out", overrides_path)

    python_changes = public_api.compare(live, package_snapshot(tmp_path / "out"))
    removed = {c.path for c in python_changes if c.severity == "breaking"}
    assert python in removed

    old, new = build_surface(SpecSource()), build_surface(source, overrides_path)
    wire = compare_wire(old, new)
    assert wire
    assert all(c.severity == "breaking" for c in wire)
    draft = changelog_entry(old, new, wire, "0.1.0")  # what make generate prints
    path = tmp_path / "CHANGELOG.md"
    path.write_text("# Changelog\n\n" + draft, encoding="utf-8")
    recorded = {"released": "0.1.0", "version": "0.1.0", "api": live}
    found, asked = public_api.problems(recorded, package_snapshot(tmp_path / "out"), "0.2.0", path)
    assert found
    assert asked == [], public_api.explain(found, asked)
