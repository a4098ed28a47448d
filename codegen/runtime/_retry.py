"""When to send a request again: the ``RetryPolicy`` a user sets and the fixed rule.

The policy is what a team tunes (how many retries, the backoff, its jitter, which
statuses are worth another try). The rule around it is fixed, because it follows what a
retry can cost: a request that cannot have reached the platform is sent again whatever
its method; one that may have (a timeout, a broken connection, a 5xx) only when it is
idempotent, since a second POST of a callout places a second call; a 429 means the
platform did not act on it. Everything here is pure, for any driver to use.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

import attrs

from .errors import ConfigurationError

__all__ = ["IDEMPOTENT", "Decision", "RetryPolicy", "decide", "parse_retry_after"]

IDEMPOTENT = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
RETRY_AFTER_LIMIT = 60.0  # honoured up to this; above it, raise RateLimitError at once
RETRY_AFTER_SANE = 86_400.0  # anything larger is not a real instruction: use backoff


def _count(policy: Any, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigurationError(
            f"RetryPolicy.{attribute.name} must be a whole number, 0 or more; got {value!r}"
        )


def _seconds(policy: Any, attribute: attrs.Attribute[float], value: object) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:  # type: ignore[arg-type, operator]
        raise ConfigurationError(
            f"RetryPolicy.{attribute.name} must be finite seconds, 0 or more; got {value!r}"
        )


def _fraction(policy: Any, attribute: attrs.Attribute[float], value: object) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not 0.0 <= value <= 1.0:  # type: ignore[operator]
        raise ConfigurationError(
            f"RetryPolicy.{attribute.name} must be between 0 and 1; got {value!r}"
        )


def _statuses(value: object) -> frozenset[int]:
    statuses = frozenset(value) if isinstance(value, (set, frozenset, list, tuple)) else None
    if statuses is None or not all(
        isinstance(s, int) and not isinstance(s, bool) and 400 <= s <= 599 for s in statuses
    ):
        raise ConfigurationError(
            f"RetryPolicy.retry_statuses must be HTTP error statuses (400-599); got {value!r}"
        )
    return statuses


@attrs.frozen
class RetryPolicy:
    """How a client retries: at most ``max_retries`` more attempts, waiting an exponential
    backoff between them.

    The n-th retry waits ``min(max_backoff, initial_backoff * 2 ** (n - 1))`` seconds, of
    which the fraction ``jitter`` is random (0: always the full wait; 0.5, the default:
    between half and all of it; 1: anything up to it). A ``Retry-After`` of up to a minute
    replaces the backoff. ``retry_statuses`` are the statuses worth another try; whatever
    it holds, POST and PATCH are only sent again on a 429 or when they cannot have
    reached the platform.
    """

    max_retries: int = attrs.field(default=2, validator=_count)
    initial_backoff: float = attrs.field(default=0.5, validator=_seconds)
    max_backoff: float = attrs.field(default=8.0, validator=_seconds)
    jitter: float = attrs.field(default=0.5, validator=_fraction)
    retry_statuses: frozenset[int] = attrs.field(
        default=frozenset({429, 500, 502, 503, 504}), converter=_statuses
    )
    rng: Callable[[], float] = attrs.field(default=random.random, eq=False, repr=False)
    """Where the jitter comes from (tests pass a fixed function)."""

    def __attrs_post_init__(self) -> None:
        if self.max_backoff < self.initial_backoff:
            raise ConfigurationError(
                f"RetryPolicy.max_backoff ({self.max_backoff:g} s) is below initial_backoff "
                f"({self.initial_backoff:g} s)"
            )

    def delay(self, retry: int) -> float:
        """Seconds to wait before the ``retry``-th retry (1-based)."""
        ceiling = min(self.max_backoff, self.initial_backoff * 2.0 ** (retry - 1))
        return ceiling * (1.0 - self.jitter) + self.rng() * ceiling * self.jitter


class Decision(NamedTuple):
    """Whether to send a request again, and after how many seconds."""

    retry: bool
    delay: float = 0.0


STOP = Decision(False)


def decide(
    method: str,
    attempt: int,
    policy: RetryPolicy,
    *,
    status: int | None = None,
    failure: str | None = None,
    retry_after: float | None = None,
) -> Decision:
    """The retry rule, as a pure function of one attempt's outcome.

    ``attempt`` counts from 1; ``status`` is the HTTP status of an answer, ``failure`` the
    kind of a transport failure (``"tls"``, ``"no connection"``, ``"read timeout"``,
    ``"connection failed"``), ``retry_after`` the seconds a ``Retry-After`` asked for.
    A TLS failure does not heal by itself, and a ``Retry-After`` over a minute is left to
    the caller.
    """
    if attempt > policy.max_retries:
        return STOP
    idempotent = method in IDEMPOTENT
    if failure is not None:
        if failure == "no connection" or (failure != "tls" and idempotent):
            return Decision(True, policy.delay(attempt))
        return STOP
    if status is None or status not in policy.retry_statuses:
        return STOP
    if status != 429 and not idempotent:
        return STOP  # fixed: it reached the platform and may have taken effect
    if retry_after is None:
        return Decision(True, policy.delay(attempt))
    return Decision(True, retry_after) if retry_after <= RETRY_AFTER_LIMIT else STOP


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, or None when it says nothing usable.

    Accepts delta-seconds and HTTP dates. Negative, infinite, NaN, absurdly large, or
    unparseable values give None (the caller falls back to backoff); never raises.
    """
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        try:
            seconds = when.timestamp() - now
        except (OverflowError, OSError, ValueError):
            return None
        if seconds <= 0:
            return None  # a date already past says nothing: back off as usual
    if not math.isfinite(seconds) or seconds < 0 or seconds > RETRY_AFTER_SANE:
        return None
    return seconds
