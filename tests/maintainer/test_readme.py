"""README.md's "Customising" examples, followed step by step in a copy of the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
STEP = re.compile(r"<!-- example: (\w+); (.+?) -->\n```(\w+)\n(.*?)```", re.DOTALL)


def add(target: Any, snippet: Any) -> None:
    """What "merge into" asks of a reader: add the snippet's entries (lists grow)."""
    for key, value in snippet.items():
        if isinstance(target.get(key), dict) and isinstance(value, dict):
            add(target[key], value)
        elif isinstance(target.get(key), list) and isinstance(value, list):
            target[key].extend(value)
        else:
            target[key] = value


def steps() -> dict[str, list[tuple[str, str]]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found: dict[str, list[tuple[str, str]]] = {}
    for name, what, _language, body in STEP.findall(text):
        found.setdefault(name, []).append((what, body))
    return found


def test_the_readme_has_the_three_worked_examples() -> None:
    assert set(steps()) == {"rename", "helper", "patch"}
    for name, parts in steps().items():
        assert parts[-1][0] == "check", name


@pytest.mark.parametrize("example", ["rename", "helper", "patch"])
def test_a_customising_example_works(example: str, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    for folder in ("codegen", "spec"):
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    yaml = YAML(typ="safe", pure=True)
    check = ""
    for what, body in steps()[example]:
        if what.startswith("merge into "):
            target = copy / what.removeprefix("merge into ")
            data = yaml.load(target.read_text(encoding="utf-8"))
            add(data, yaml.load(body))
            with target.open("w", encoding="utf-8") as handle:
                yaml.dump(data, handle)
        elif what.startswith("write "):
            (copy / what.removeprefix("write ")).write_text(body, encoding="utf-8")
        else:
            check = body
    generated = subprocess.run(
        [sys.executable, "-m", "codegen", "generate"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    script = f"import sys; sys.path.insert(0, {str(copy / 'generated')!r})\n{check}"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
