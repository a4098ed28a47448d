"""Every exception sinch_voice raises derives from ``SinchVoiceError``."""

from __future__ import annotations

from typing import Any


class SinchVoiceError(Exception):
    """The base of every error this package raises."""


class DecodeError(SinchVoiceError, ValueError):
    """A document is not valid JSON (or not UTF-8, or holds a non-finite number)."""


class EncodeError(SinchVoiceError, ValueError):
    """A value cannot be written as JSON."""


class StructureError(SinchVoiceError, ValueError):
    """A JSON document does not have the shape of the model it was read into.

    ``str(error)`` names the place and the problem, e.g.
    ``$.action.menus[1].options[0].dtmf: expected a string, got 1``.
    """

    def __init__(self, problem: str, path: tuple[str | int, ...] = ()) -> None:
        self.problem = problem
        self.path = path
        super().__init__(problem)

    @classmethod
    def expected(cls, what: str, value: Any) -> StructureError:
        return cls(f"expected {what}, got {_describe(value)}")

    def at(self, segment: str | int) -> StructureError:
        """The same error one level further out (the caller's key or index)."""
        self.path = (segment, *self.path)
        return self

    @property
    def json_path(self) -> str:
        parts = ["$"]
        for segment in self.path:
            parts.append(f"[{segment}]" if isinstance(segment, int) else f".{segment}")
        return "".join(parts)

    def __str__(self) -> str:
        return f"{self.json_path}: {self.problem}"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    return f"{type(value).__name__} {value!r}"[:60]
