"""The release policy: which version a change asks for, and where CHANGELOG.md records it.

Versions are ``MAJOR.MINOR.PATCH``. While MAJOR is 0, a release with a breaking change
raises MINOR (0.1.3 -> 0.2.0) and any other release raises PATCH (0.1.3 -> 0.1.4); from
1.0 on, MAJOR and MINOR. The version lives in one place, ``codegen/__init__.py``: the
package's ``__version__`` and the wheel's metadata are read from what it generates.
CHANGELOG.md follows Keep a Changelog: one ``## [X.Y.Z] - DATE`` section per release,
newest first (``- Unreleased`` instead of a date until it ships).
"""

from __future__ import annotations

import re
from pathlib import Path

from .spec import REPO

CHANGELOG = REPO / "CHANGELOG.md"
_HEADING = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\](?P<rest>.*)$", re.MULTILINE)


def parse(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split(".")[:3])
    return major, minor, patch


def next_version(current: str, breaking: bool) -> str:
    """The smallest version after ``current`` that the policy allows for such a change."""
    major, minor, patch = parse(current)
    if major == 0:
        return f"0.{minor + 1}.0" if breaking else f"0.{minor}.{patch + 1}"
    return f"{major + 1}.0.0" if breaking else f"{major}.{minor + 1}.0"


def draft_version(released: str, current: str, breaking: bool) -> str:
    """The version a change since ``released`` ships in: the unreleased ``current`` when
    it already allows the change (a second breaking change in 0.2.0 stays in 0.2.0),
    else the smallest version the policy allows."""
    if parse(current) > parse(released) and allows(released, current, breaking):
        return current
    return next_version(released, breaking)


def allows(released: str, current: str, breaking: bool) -> bool:
    """Whether going from ``released`` to ``current`` is the bump the policy asks for."""
    return parse(current) >= parse(next_version(released, breaking))


def changelog_section(version: str, path: Path = CHANGELOG) -> str | None:
    """The text of CHANGELOG.md's section for ``version``, or None when it has none."""
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    headings = list(_HEADING.finditer(text))
    for number, heading in enumerate(headings):
        if heading["version"] == version:
            end = headings[number + 1].start() if number + 1 < len(headings) else len(text)
            return text[heading.start() : end]
    return None


def last_released(path: Path = CHANGELOG) -> str | None:
    """The newest version CHANGELOG.md gives a release date (not ``Unreleased``)."""
    if not path.exists():
        return None
    for heading in _HEADING.finditer(path.read_text(encoding="utf-8")):
        if "unreleased" not in heading["rest"].lower():
            return heading["version"]
    return None
