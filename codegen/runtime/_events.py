"""What event hooks receive: one value per attempt sent and per outcome seen.

Hooks are for metrics counters and structured log lines (as httpx's ``event_hooks``):
``VoiceClient(event_hooks={"request": [...], "response": [...]})``. The headers they see
are those on the wire, with the credentials' values redacted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypedDict

import attrs

from .errors import ConfigurationError

if TYPE_CHECKING:
    from .errors import SinchVoiceError

__all__ = ["REDACTED", "EventHooks", "RequestEvent", "ResponseEvent", "redacted"]

REDACTED = "[redacted]"


@attrs.frozen
class RequestEvent:
    """An attempt about to be sent. ``attempt`` counts from 1; ``headers`` are the
    request's, with the signature (or Basic credentials) redacted."""

    operation: str
    method: str
    url: str
    headers: Mapping[str, str]
    attempt: int


@attrs.frozen
class ResponseEvent:
    """What one attempt came to: an HTTP ``status`` (with the response's ``headers``,
    lower-case names), or no status and the ``error`` it failed with. ``elapsed`` is the
    attempt's seconds; ``retrying`` says whether the client will send it again."""

    operation: str
    method: str
    url: str
    status: int | None
    headers: Mapping[str, str]
    attempt: int
    elapsed: float
    retrying: bool
    error: SinchVoiceError | None = None


class EventHooks(TypedDict, total=False):
    """``{"request": [callables], "response": [callables]}``; each is called in order, in
    the calling thread, and what it raises is raised from the call."""

    request: Sequence[Callable[[RequestEvent], object]]
    response: Sequence[Callable[[ResponseEvent], object]]


@attrs.frozen
class Hooks:
    """The hooks of a client, checked once."""

    request: tuple[Callable[[RequestEvent], object], ...] = ()
    response: tuple[Callable[[ResponseEvent], object], ...] = ()

    @classmethod
    def of(cls, hooks: EventHooks | Mapping[str, object] | None) -> Hooks:
        if not hooks:
            return cls()
        unknown = sorted(set(hooks) - {"request", "response"})
        if unknown:
            raise ConfigurationError(
                f"event_hooks: unknown event {unknown[0]!r}; the events are 'request' and "
                "'response'"
            )
        lists = {}
        for name in ("request", "response"):
            given = hooks.get(name, ())
            if callable(given) or not isinstance(given, (list, tuple)):
                raise ConfigurationError(f"event_hooks[{name!r}] must be a list of callables")
            for hook in given:
                if not callable(hook):
                    raise ConfigurationError(
                        f"event_hooks[{name!r}] holds {type(hook).__name__}, not a callable"
                    )
            lists[name] = tuple(given)
        return cls(request=lists["request"], response=lists["response"])


def redacted(headers: Mapping[str, str], secret_headers: frozenset[str]) -> dict[str, str]:
    """``headers`` with the value of each secret one (lower-case names) replaced."""
    return {
        name: REDACTED if name.lower() in secret_headers else value
        for name, value in headers.items()
    }
