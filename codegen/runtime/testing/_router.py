"""Routes of the local platform: (method, path template) -> operation, matched by regex."""

from __future__ import annotations

import re
import urllib.parse


class Route:
    """One operation's route; the path template is compiled once."""

    __slots__ = ("answers", "method", "operation", "params", "path", "pattern", "pointer", "status")

    def __init__(
        self, *, operation: str, method: str, path: str, pointer: str, answers: bool, status: int
    ) -> None:
        self.operation = operation
        self.method = method
        self.path = path
        self.pointer = pointer  # the operation in the spec
        self.answers = answers  # whether a 2xx carries a JSON body
        self.status = status  # the 2xx the spec gives
        self.params = tuple(re.findall(r"\{([^}]+)\}", path))
        regex = re.escape(path)
        for name in self.params:
            regex = regex.replace(re.escape("{" + name + "}"), "([^/]+)")
        self.pattern = re.compile(regex + "$")

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """The path parameters (decoded) when this route serves the request."""
        if method != self.method:
            return None
        found = self.pattern.match(path)
        if found is None:
            return None
        return {
            name: urllib.parse.unquote(value)
            for name, value in zip(self.params, found.groups(), strict=True)
        }
