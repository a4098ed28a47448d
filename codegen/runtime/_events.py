"""What event hooks receive: one value per attempt sent and per outcome seen.

Hooks are for metrics counters and structured log lines (as httpx's ``event_hooks``):
``VoiceClient(event_hooks={"request": [...], "response": [...]})``. The headers they see
are those on the wire, with the credentials' values redacted.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypedDict, TypeVar

import attrs

from .errors import ConfigurationError

T = TypeVar("T")

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
    def of(cls, hooks: EventHooks | Mapping[str, object] | None, *, awaited: bool) -> Hooks:
        """The hooks given, checked; ``awaited`` says whether the client awaits what a
        hook returns (the asyncio client): the blocking one refuses ``async def`` hooks,
        which it would call without ever running them."""
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
                if not awaited and is_async(hook):
                    raise ConfigurationError(NOT_AWAITED.format(name=name, hook=hook_name(hook)))
            lists[name] = tuple(given)
        return cls(request=lists["request"], response=lists["response"])


NOT_AWAITED = (
    "event_hooks[{name!r}]: {hook} is async; VoiceClient calls its hooks without awaiting "
    "them: give it a plain function, or use AsyncVoiceClient"
)


def is_async(hook: object) -> bool:
    """Whether calling ``hook`` gives a coroutine (an ``async def`` function or method,
    a partial of one, or an object whose ``__call__`` is one)."""
    # a callable instance's __call__ is its class's (``hook`` is known to be callable)
    return inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(type(hook).__call__)


def hook_name(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or type(hook).__name__


def call_unawaited(hook: Callable[[T], object], event: T) -> None:
    """Call a blocking client's hook; one that still gives an awaitable (a lambda
    around an ``async def``, say) is refused rather than left never run."""
    result = hook(event)
    if inspect.isawaitable(result):
        if inspect.iscoroutine(result):
            result.close()  # never awaited: no "was never awaited" warning later
        name = "request" if isinstance(event, RequestEvent) else "response"
        raise ConfigurationError(NOT_AWAITED.format(name=name, hook=hook_name(hook)))


def redacted(headers: Mapping[str, str], secret_headers: frozenset[str]) -> dict[str, str]:
    """``headers`` with the value of each secret one (lower-case names) replaced."""
    return {
        name: REDACTED if name.lower() in secret_headers else value
        for name, value in headers.items()
    }
