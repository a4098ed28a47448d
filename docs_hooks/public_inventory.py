"""The site's ``objects.inv`` lists public paths only.

mkdocstrings records every path by which griffe knows an object, so ``RetryPolicy``
also appears as ``sinch_voice._call.RetryPolicy`` and ``Svaml`` as
``sinch_voice.client.Svaml`` (modules that import them). Those paths are not public: one
goes through a private module, the other is not in its module's ``__all__``. Another
project's intersphinx should link the public path, so this hook rewrites the inventory
after the build without them.
"""

from __future__ import annotations

import importlib
import zlib
from functools import cache
from pathlib import Path
from typing import Any

HEADER_LINES = 4  # then the zlib-compressed entries, one a line


def private(name: str) -> bool:
    """Whether a dotted path goes through a private part (``_x``; ``__init__`` is not)."""
    return any(p.startswith("_") and p != "__init__" for p in name.split("."))


@cache
def exported(module: str) -> frozenset[str] | None:
    """A module's ``__all__``; None when the path is not a module or it has none."""
    try:
        names = getattr(importlib.import_module(module), "__all__", None)
    except ImportError:
        return None
    return None if names is None else frozenset(names)


def public(name: str) -> bool:
    if private(name):
        return False
    module, _, last = name.rpartition(".")
    names = exported(module) if module else None
    if names is None or last in names:
        return True
    return isinstance(getattr(importlib.import_module(module), last, None), type(importlib))


def on_post_build(config: Any, **kwargs: Any) -> None:
    inventory = Path(config["site_dir"]) / "objects.inv"
    if not inventory.exists():
        return
    *header, packed = inventory.read_bytes().split(b"\n", HEADER_LINES)
    entries = zlib.decompress(packed).decode("utf-8").splitlines()
    kept = [line for line in entries if public(line.split(" ", 1)[0])]
    body = zlib.compress(("\n".join(kept) + "\n").encode("utf-8"), 9)
    inventory.write_bytes(b"\n".join([*header, body]))
