"""The platform corpus: payloads from the official Sinch SDKs' test resources.

``tests/fixtures/platform/manifest.json`` names each file's repository, path, commit and
kind; the tests that replay them import this module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FOLDER = Path(__file__).resolve().parent / "fixtures" / "platform"
MANIFEST: dict[str, Any] = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))


def entries(*kinds: str) -> list[Any]:
    """pytest parameters, one per fixture of the given kinds, named by file."""
    return [
        pytest.param(entry, id=entry["file"])
        for entry in MANIFEST["fixtures"]
        if not kinds or entry["kind"] in kinds
    ]


def payload(entry: dict[str, Any]) -> bytes:
    return (FOLDER / entry["file"]).read_bytes()
