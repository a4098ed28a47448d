"""The package works installed from its wheel and vendored as a copied folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
USE = """
import sys, sinch_voice as sv
assert sv.__file__.startswith({where!r}), sv.__file__
body = b'{{"event": "ice", "callid": "c1", "to": {{"type": "did", "endpoint": "+1"}}}}'
ice = sv.loads(body, sv.IceRequest)
assert ice.call_id == "c1" and isinstance(ice.to, sv.IceRequestTo)
print(sv.dumps(sv.Svaml(action=sv.SvamlActionHangup())).decode())
"""


def run_with_path(folder: Path) -> str:
    code = f"import sys; sys.path.insert(0, {str(folder)!r})\n" + USE.format(where=str(folder))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_the_wheel_holds_the_package_and_works_when_installed(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("sinch_voice-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sinch_voice/py.typed" in names
    assert "sinch_voice/models.py" in names
    assert not any(n.startswith(("codegen/", "tests/", "spec/")) for n in names)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    assert run_with_path(target) == '{"action":{"name":"hangup"}}'


def test_a_vendored_copy_works_from_another_project(tmp_path: Path) -> None:
    vendor = tmp_path / "my_app" / "vendor"
    shutil.copytree(
        REPO / "generated" / "sinch_voice",
        vendor / "sinch_voice",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    assert run_with_path(vendor) == '{"action":{"name":"hangup"}}'
