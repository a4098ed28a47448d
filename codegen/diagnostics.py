"""Problems found while reading the spec, each tied to the JSON pointer it is about."""

from __future__ import annotations

from collections.abc import Iterable

import attrs


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "".join("/" + part for part in escaped)


@attrs.frozen
class Diagnostic:
    """One problem: where it is and what is wrong."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}" if self.pointer else self.message


class GenerationError(Exception):
    """Generation stopped; the message lists every problem with its JSON pointer."""

    def __init__(
        self, diagnostics: Iterable[Diagnostic], heading: str = "generation stopped"
    ) -> None:
        self.diagnostics = tuple(diagnostics)
        lines = "\n".join(f"  {d}" for d in self.diagnostics)
        super().__init__(f"{heading}:\n{lines}")
