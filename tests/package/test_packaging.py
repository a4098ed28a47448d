"""The package works installed from its wheel and vendored as a copied folder."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from codegen import __version__
from codegen.dist import build

REPO = Path(__file__).resolve().parents[2]
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
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


@pytest.fixture(scope="module")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and the sdist, built as a release would build them."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.mark.slow
def test_the_distributions_pass_the_metadata_check(distributions: Path) -> None:
    files = sorted(str(p) for p in distributions.iterdir())
    assert sorted(Path(f).suffix for f in files) == [".gz", ".whl"]
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_wheel_lists_only_what_users_install(distributions: Path) -> None:
    wheel = next(distributions.glob("sinch_voice-*.whl"))
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    assert "sinch_voice/py.typed" in names
    assert "sinch_voice/models.py" in names
    assert "sinch_voice/testing/spec.json" in names  # the local platform's copy of the spec
    assert json.loads(archive.read("sinch_voice/testing/spec.json"))["paths"]
    assert not any(n.startswith(("codegen/", "tests/", "spec/")) for n in names)
    metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    requires = sorted(line for line in metadata.splitlines() if line.startswith("Requires-Dist"))
    assert requires == [
        'Requires-Dist: aiohttp>=3.9; extra == "aiohttp"',
        "Requires-Dist: attrs>=23.1",
        "Requires-Dist: cattrs>=23.2",
        'Requires-Dist: jsonschema>=4.18; extra == "testing"',
        'Requires-Dist: msgspec>=0.18; extra == "msgspec"',
        'Requires-Dist: orjson>=3.9; extra == "orjson"',
        "Requires-Dist: urllib3<3,>=2.0",
    ]
    assert "Provides-Extra: orjson" in metadata
    assert "Provides-Extra: msgspec" in metadata
    assert "Provides-Extra: testing" in metadata
    assert "Provides-Extra: aiohttp" in metadata
    entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "sinch_voice = sinch_voice.testing.pytest_plugin" in entry_points
    description = metadata.split("\n\n", 1)[1]
    assert "pip install sinch-voice" in description
    assert "make generate" not in description  # contributor details stay in the repository


def install_in_a_fresh_venv(distributions: Path, venv: Path, extras: str = "") -> Path:
    """The wheel (with ``extras``, such as ``[testing]``) installed in a new venv at
    ``venv``; its Python."""
    wheel = next(distributions.glob("sinch_voice-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"{wheel}{extras}"],
        check=True,
        capture_output=True,
    )
    return python


@pytest.mark.slow
def test_the_wheel_works_in_a_fresh_venv_without_dev_tools(
    distributions: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    python = install_in_a_fresh_venv(distributions, venv)
    installed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {line.split("==")[0].lower() for line in installed.splitlines()}
    assert {"sinch-voice", "attrs", "cattrs", "urllib3"} <= names
    assert not names & {"jinja2", "pytest", "mypy", "ruff", "orjson", "msgspec", "pydantic"}
    where = str(venv)
    code = USE.format(where=where) + "from sinch_voice.webhooks import Dispatcher\n"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"action":{"name":"hangup"}}'


PLATFORM = """
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform, _schema
assert _schema.__file__.startswith({where!r}), _schema.__file__
with LocalPlatform({{"key": "c2VjcmV0"}}) as platform:
    with sv.VoiceClient("key", "c2VjcmV0", base_url=platform.url, allow_http=True) as client:
        to = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000001")
        placed = client.callouts.tts(destination=to, text="Hi")
        platform.wait_for_calls()  # spoken and hung up, with no callback URL
        print(client.calls.get(placed.call_id).status)
body = _schema.request_body_pointer("/paths/~1calling~1v1~1callouts/post")
print(_schema.problems(body, {{"method": "ttsCallout", "surprise": 1}}) != [])
"""


@pytest.mark.slow
def test_the_local_platform_works_from_an_installed_wheel(
    distributions: Path, tmp_path: Path
) -> None:
    """The spec the platform checks with is package data: found in an installed wheel."""
    venv = tmp_path / "venv"
    python = install_in_a_fresh_venv(distributions, venv, "[testing]")
    code = PLATFORM.format(where=str(venv))
    result = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FINAL", "True"]


def test_a_vendored_copy_works_from_another_project(tmp_path: Path) -> None:
    vendor = tmp_path / "my_app" / "vendor"
    shutil.copytree(
        REPO / "generated" / "sinch_voice",
        vendor / "sinch_voice",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    assert run_with_path(vendor) == '{"action":{"name":"hangup"}}'


def package_data() -> dict[str, list[str]]:
    """``[tool.setuptools.package-data]`` of pyproject.toml (Python 3.10 has no tomllib)."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[tool.setuptools.package-data]\n", 1)[1].split("\n[", 1)[0]
    found: dict[str, list[str]] = {}
    pending = ""
    for line in section.splitlines():
        pending += line.split("#", 1)[0].strip()
        if "=" in pending and pending.count("[") == pending.count("]"):
            key, value = pending.split("=", 1)
            found[key.strip().strip('"')] = ast.literal_eval(value.strip())
            pending = ""
    return found


@pytest.mark.slow
def test_every_package_data_file_pyproject_lists_is_in_the_wheel(distributions: Path) -> None:
    names = set(zipfile.ZipFile(next(distributions.glob("sinch_voice-*.whl"))).namelist())
    listed = package_data()
    assert "py.typed" in listed["sinch_voice"]
    for package, patterns in listed.items():
        folder = REPO / "generated" / package.replace(".", "/")
        for pattern in patterns:
            files = [p for p in folder.glob(pattern) if p.is_file()]
            assert files, f"package-data {package}: {pattern} matches no file in generated/"
            for file in files:
                assert file.relative_to(REPO / "generated").as_posix() in names


@pytest.mark.slow
@pytest.mark.once  # the build backend's output, whatever Python runs the test
def test_make_dist_builds_the_same_bytes_twice_from_a_clean_checkout(tmp_path: Path) -> None:
    first = build("HEAD", tmp_path / "first")
    second = build("HEAD", tmp_path / "second")
    assert sorted(p.name for p in first) == sorted(p.name for p in second)
    assert len(first) == 2
    for a, b in zip(sorted(first), sorted(second), strict=True):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    wheel = next(p for p in first if p.suffix == ".whl")
    committed = subprocess.run(
        ["git", "ls-files", "generated"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    for name in committed:  # every committed module, built from the commit alone
        if name.endswith(".py"):
            assert name.removeprefix("generated/") in in_wheel


def interpreter(version: str) -> str:
    found = sorted(PYENV.glob(f"{version}.*/bin/python{version}")) or [
        Path(p) for p in [shutil.which(f"python{version}")] if p
    ]
    if not found:
        pytest.fail(
            f"Python {version} is not on this machine (pyenv or PATH): the package claims it"
        )
    return str(found[-1])


@pytest.mark.slow
@pytest.mark.once  # it installs the wheel into every Python itself
@pytest.mark.parametrize("version", PYTHONS)
def test_the_wheel_installs_and_imports_on_each_python(
    version: str, distributions: Path, tmp_path: Path
) -> None:
    if os.environ.get("NOX_CURRENT_SESSION") and sys.version[:4].rstrip(".") != version:
        pytest.skip("under nox each Python runs this for itself")
    wheel = next(distributions.glob("sinch_voice-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([interpreter(version), "-m", "venv", str(venv)], check=True, capture_output=True)
    python = str(venv / "bin" / "python")
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", str(wheel)], capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    code = (
        USE.format(where=str(venv))
        + "from importlib.metadata import version\n"
        + "from importlib.resources import files\n"
        + "from sinch_voice.webhooks import Dispatcher\n"
        + f"assert sys.version.startswith({version!r})\n"
        + f"assert sv.__version__ == version('sinch-voice') == {__version__!r}\n"
        + "assert files('sinch_voice').joinpath('py.typed').is_file()\n"
    )
    # -I: no repository on the path, no PYTHON* variables; run from an empty folder
    result = subprocess.run(
        [python, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"action":{"name":"hangup"}}'
