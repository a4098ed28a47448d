"""The change report as text and as a changelog draft; ``diff`` and ``make generate`` print it.

``generate`` compares the IR it just built with ``api/generated-from.json``, the surface
(see ``changes.surface``) of the IR the committed ``generated/`` was made from, prints the
report and records the new surface. That file is committed beside ``generated/`` rather
than the old spec read back from git because what users see depends on three inputs (the
vendor document, our overlay and overrides.yaml) and on the generator itself; the surface
is the result of all four, needs no history (a tarball or a shallow clone works), and its
``spec_sha256`` ties it to ``generated/sinch_voice/_provenance.py``. When git does hold the
vendor document the surface was made from, the report also lists what the overlay hides.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import __version__, changes, surface
from .builders import build_api
from .diagnostics import Diagnostic, GenerationError
from .overlay import apply_overlay
from .overrides import DEFAULT_OVERRIDES, load_overrides
from .spec import DEFAULT_OVERLAY, DEFAULT_SPEC, REPO, SpecSource, effective_spec, load_yaml
from .versioning import draft_version, last_released

JSON = Any
SURFACE_FILE = REPO / "api" / "generated-from.json"


def summary_line(found: Iterable[changes.Change]) -> str:
    """``1 breaking, 0 behaviour, 3 compatible``."""
    counts = dict.fromkeys(changes.SEVERITIES, 0)
    for change in found:
        counts[change.severity] += 1
    return ", ".join(f"{counts[s]} {s}" for s in changes.SEVERITIES)


def report(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    found: list[changes.Change],
    hidden: Iterable[str] = (),
) -> str:
    """The change report as text: a heading, then each class with its entries."""
    title = new["title"] if old["title"] == new["title"] else f"{old['title']} -> {new['title']}"
    lines = [
        f"Change report: {title} {old['version']} -> {new['version']}",
        f"spec {old['spec_sha256'][:12]} -> {new['spec_sha256'][:12]}, "
        f"overrides {old['overrides_sha256'][:12]} -> {new['overrides_sha256'][:12]}",
        summary_line(found),
    ]
    if not found:
        lines.append("\nno change a user of the package can see")
    for severity in changes.SEVERITIES:
        chosen = [c for c in found if c.severity == severity]
        if chosen:
            lines.append(f"\n{severity} ({len(chosen)})")
            lines.extend(f"  {c.line()}" for c in chosen)
    hidden = list(hidden)
    if hidden:
        lines.append(f"\nhidden from users by spec/overlays/corrections.yaml ({len(hidden)})")
        lines.extend(f"  #{at}" for at in hidden)
    return "\n".join(lines) + "\n"


_SECTIONS = {
    "added": "Added",
    "deprecated": "Deprecated",
    "removed": "Removed",
    "changed": "Changed",
}


def _section(change: changes.Change) -> str:
    if change.rule.endswith("-deprecated"):
        return "deprecated"
    if change.rule.endswith("-removed"):
        return "removed"
    if change.rule.endswith("-added") and change.severity == "compatible":
        return "added"
    return "changed"


def changelog_entry(
    old: Mapping[str, Any], new: Mapping[str, Any], found: list[changes.Change], current: str
) -> str:
    """A Keep a Changelog section drafted from the report; the maintainer edits it."""
    released = last_released() or current
    version = draft_version(released, current, any(c.severity == "breaking" for c in found))
    lines = [
        f"## [{version}] - Unreleased",
        "",
        f"Generated from {new['title']} {new['version']} (was {old['version']}).",
    ]
    for key, heading in _SECTIONS.items():
        chosen = [c for c in found if _section(c) == key]
        if not chosen:
            continue
        lines += ["", f"### {heading}", ""]
        for change in chosen:
            prefix = {"breaking": "**Breaking:** ", "behaviour": "**Behaviour:** "}.get(
                change.severity, ""
            )
            note = f" ({change.note})" if change.note else ""
            lines.append(f"- {prefix}`{change.python}`: {change.detail}{note}.")
    return "\n".join(lines) + "\n"


def build_surface(source: SpecSource, overrides: Path | None = None) -> dict[str, Any]:
    """The surface of the package that ``source`` and ``overrides`` generate."""
    spec = effective_spec(source)
    api = build_api(spec, load_overrides(overrides or DEFAULT_OVERRIDES), source.sha256())
    return surface.surface(api, spec)


def _is_surface(data: JSON) -> bool:
    return isinstance(data, dict) and "openapi" not in data and "operations" in data


def _load_side(
    path: Path, overlay: Path | None, overrides: Path | None
) -> tuple[dict[str, Any], JSON, JSON]:
    """A side of ``diff``: its surface, and the vendor and effective documents if it is a spec."""
    if not path.is_file():
        raise GenerationError([Diagnostic("", f"{path}: no such file")], "cannot compare")
    document = load_yaml(path)
    if _is_surface(document):
        if document.get("format") != surface.SURFACE_FORMAT:
            raise GenerationError(
                [Diagnostic("", f"{path} is a surface of another format; regenerate it")]
            )
        return document, None, None
    source = SpecSource(path, overlay)
    effective = effective_spec(source)
    return build_surface(source, overrides), document, effective


def diff_command(
    old_path: Path,
    new_path: Path,
    overlay: Path | None,
    overrides: tuple[Path | None, Path | None],
    *,
    changelog: bool = False,
    fail_on_breaking: bool = False,
) -> int:
    old, old_vendor, old_effective = _load_side(old_path, overlay, overrides[0])
    new, new_vendor, new_effective = _load_side(new_path, overlay, overrides[1])
    found = changes.compare(old, new)
    hidden: list[str] = []
    if overlay is not None and old_vendor is not None and new_vendor is not None:
        hidden = changes.hidden_by_overlay(old_vendor, new_vendor, old_effective, new_effective)
    if changelog:
        print(changelog_entry(old, new, found, __version__), end="")
    else:
        print(report(old, new, found, hidden), end="")
    breaking = any(c.severity == "breaking" for c in found)
    return 2 if fail_on_breaking and breaking else 0


def _committed_vendor(old: dict[str, Any]) -> tuple[JSON, JSON] | None:
    """The vendor document and effective spec ``old`` was made from, if git's HEAD has them."""
    texts: dict[Path, bytes] = {}
    for path in (DEFAULT_SPEC, DEFAULT_OVERLAY):
        shown = subprocess.run(
            ["git", "show", f"HEAD:{path.relative_to(REPO).as_posix()}"],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            check=False,
        )
        if shown.returncode != 0:
            return None
        texts[path] = shown.stdout
    with tempfile.TemporaryDirectory(prefix="sinch-voice-head-") as scratch:
        spec, overlay = Path(scratch) / "spec.yaml", Path(scratch) / "overlay.yaml"
        spec.write_bytes(texts[DEFAULT_SPEC])
        overlay.write_bytes(texts[DEFAULT_OVERLAY])
        if SpecSource(spec, overlay).sha256() != old["spec_sha256"]:
            return None
        vendor = load_yaml(spec)
        return vendor, apply_overlay(vendor, load_yaml(overlay), overlay.name)


def report_and_record(source: SpecSource) -> None:
    """After ``generate`` into generated/: print the report against the last surface, then
    record the new one."""
    new = build_surface(source)
    if SURFACE_FILE.exists():
        old = json.loads(SURFACE_FILE.read_text(encoding="utf-8"))
        found = changes.compare(old, new)
        hidden: list[str] = []
        before = _committed_vendor(old) if source.spec == DEFAULT_SPEC else None
        if before is not None and source.overlay is not None:
            hidden = changes.hidden_by_overlay(
                before[0], load_yaml(source.spec), before[1], effective_spec(source)
            )
        if found or hidden or old["spec_sha256"] != new["spec_sha256"]:
            print()
            print(report(old, new, found, hidden), end="")
            if found:
                print("\nA CHANGELOG.md entry drafted from it (edit, then paste it at the top):\n")
                print(changelog_entry(old, new, found, __version__), end="")
    else:
        print(f"no {_shown(SURFACE_FILE)} yet: nothing to compare with; recorded it now")
    SURFACE_FILE.parent.mkdir(parents=True, exist_ok=True)
    SURFACE_FILE.write_text(surface.dumps_surface(new), encoding="utf-8")


def check_surface(source: SpecSource) -> int:
    """0 when ``api/generated-from.json`` is the surface of what ``generate`` writes."""
    fresh = surface.dumps_surface(build_surface(source))
    committed = SURFACE_FILE.read_text(encoding="utf-8") if SURFACE_FILE.exists() else ""
    if committed != fresh:
        print(f"{_shown(SURFACE_FILE)} is not the surface of this generation (run `make generate`)")
        return 1
    return 0


def _shown(path: Path) -> str:
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)
