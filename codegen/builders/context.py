"""What the IR builders share while they read one spec: the document, the override
file's usage, and the problems found so far (each with its JSON pointer)."""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostic
from ..overrides import Overrides, Usage

JSON = Any
JSON_MEDIA = "application/json"  # the one media type bodies may have (requests and answers)
# Links in descriptions are relative to the vendor's API reference, at several depths;
# generated docs are read elsewhere, so they point at the vendor's site.
DOCS_SITE = "https://developers.sinch.com"
API_REFERENCE = DOCS_SITE + "/docs/voice/api-reference/"
RELATIVE_LINK = re.compile(r"\]\((/|(?:\.\./)+)([^)\s]*)\)")


class Context:
    def __init__(self, spec: JSON, overrides: Overrides) -> None:
        self.spec = with_absolute_links(spec)
        self.overrides = overrides
        self.usage = Usage(overrides)
        self.problems: list[Diagnostic] = []
        self.schemas: dict[str, JSON] = self.spec.get("components", {}).get("schemas", {})

    def problem(self, pointer: str, message: str) -> None:
        self.problems.append(Diagnostic(pointer, message))

    def allowed(self, pointer: str) -> bool:
        """Whether overrides.yaml ``allow`` lists this construct (with its reason)."""
        return self.usage.lookup("allow", pointer) is not None


def absolute_link(match: re.Match[str]) -> str:
    lead, target = match.groups()
    if lead == "/" or target.startswith("docs/"):
        return f"]({DOCS_SITE}/{target})"
    if target.startswith("tag/"):
        target = "voice/" + target
    return f"]({API_REFERENCE}{target})"


def with_absolute_links(node: JSON, prose: bool = False) -> JSON:
    """A copy of ``node`` whose prose (descriptions, summaries, enum descriptions) links
    to the vendor's site instead of relative paths."""
    if isinstance(node, dict):
        return {k: with_absolute_links(v, prose or k in PROSE) for k, v in node.items()}
    if isinstance(node, list):
        return [with_absolute_links(v) for v in node]
    if prose and isinstance(node, str):
        return RELATIVE_LINK.sub(absolute_link, node)
    return node


PROSE = {"description", "summary", "x-enumDescriptions"}
