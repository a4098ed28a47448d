"""Sending requests: one urllib3 PoolManager, our own retry loop, typed errors.

urllib3's own ``Retry`` is switched off: it would resend the same bytes with a stale
signature and timestamp. Here every attempt is signed afresh, and the rules follow
what a retry can cost: GET, PUT and DELETE are retried on connection errors, read
timeouts, 429 and 5xx; POST and PATCH (a callout places a real phone call) only when the
request cannot have reached the server (no connection) or on 429.
"""

from __future__ import annotations

import base64
import copy
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from . import _json
from .errors import (
    ApiConnectionError,
    ApiStatusError,
    ApiTimeoutError,
    ConfigurationError,
    DecodeError,
    RateLimitError,
    TransportError,
    status_error_class,
)
from .signing import Secret, sign, timestamp_at

if TYPE_CHECKING:
    import urllib3

__all__ = ["Decision", "RetryPolicy", "Transport", "decide", "parse_retry_after"]

log = logging.getLogger("sinch_voice")

DEFAULT_DEADLINE = 60.0  # seconds for a whole call, retries and waits included
IDEMPOTENT = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
RETRY_AFTER_LIMIT = 60.0  # honoured up to this; above it, raise RateLimitError at once
RETRY_AFTER_SANE = 86_400.0  # anything larger is not a real instruction: use backoff
JSON_TYPE = "application/json"


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
    A request that cannot have reached the server is retried whatever its method; one that
    may have (a timeout, a broken connection, a 5xx) only when it is idempotent, since a
    second POST of a callout places a second call; 429 means it was not acted on. A TLS
    failure does not heal by itself, and a ``Retry-After`` over a minute is left to the
    caller.
    """
    if attempt > policy.max_retries:
        return STOP
    idempotent = method in IDEMPOTENT
    if failure is not None:
        if failure == "no connection" or (failure != "tls" and idempotent):
            return Decision(True, policy.delay(attempt))
        return STOP
    if status is None or not (status == 429 or (status >= 500 and idempotent)):
        return STOP
    if retry_after is None:
        return Decision(True, policy.delay(attempt))
    return Decision(True, retry_after) if retry_after <= RETRY_AFTER_LIMIT else STOP


class RetryPolicy:
    """Exponential backoff: 0.5 s doubling per retry, capped at 8 s, with equal jitter.

    ``delay(n)`` for the n-th retry (1-based) lies between half the base and the base:
    0.25-0.5 s, 0.5-1 s, 1-2 s, ... 4-8 s.
    """

    def __init__(
        self,
        max_retries: int = 2,
        base: float = 0.5,
        cap: float = 8.0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        if max_retries < 0:
            raise ConfigurationError("max_retries must be 0 or more")
        self.max_retries = max_retries
        self.base = base
        self.cap = cap
        self.rng = rng

    def delay(self, retry: int) -> float:
        ceiling = min(self.cap, self.base * 2.0 ** (retry - 1))
        return ceiling / 2 + self.rng() * ceiling / 2


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


class Transport:
    """Signs and sends requests; thread-safe, one connection pool per client."""

    def __init__(
        self,
        *,
        application_key: str,
        secret: Secret,
        auth: str,
        timeout: float | tuple[float, float] | urllib3.Timeout,
        retry: RetryPolicy,
        user_agent: str,
        allow_http: bool,
        ca_certs: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        pool_manager: urllib3.PoolManager | None = None,
        signed_header: str = "Authorization",
        deadline: float | None = DEFAULT_DEADLINE,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        import urllib3  # here, not at import: only clients pay for urllib3

        if auth not in ("signed", "basic"):
            raise ConfigurationError("auth must be 'signed' or 'basic'")
        self._urllib3 = urllib3
        self.application_key = application_key
        self._secret = secret
        self._basic = (
            "Basic " + base64.b64encode(f"{application_key}:{secret.text}".encode()).decode()
            if auth == "basic"
            else ""
        )
        self.auth = auth
        self.signed_header = signed_header  # the signed scheme's header, from the spec
        self.timeout = to_timeout(urllib3, timeout)
        self.retry = retry
        self.user_agent = user_agent
        self.allow_http = allow_http
        self.sleep = sleep
        self.clock = clock
        self.deadline = _check_deadline(deadline)
        self.monotonic = monotonic
        self._pool = pool_manager or urllib3.PoolManager(
            num_pools=8,
            maxsize=16,
            block=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs,
            retries=False,
        )
        self._closed = threading.Event()

    def __repr__(self) -> str:
        return f"Transport(application_key={self.application_key!r}, auth={self.auth!r})"

    def close(self) -> None:
        self._closed.set()
        self._pool.clear()

    def with_options(
        self,
        *,
        timeout: Any = None,
        max_retries: int | None = None,
        deadline: float | Literal["keep"] | None = "keep",
    ) -> Transport:
        """This transport with other limits, sharing its connection pool and credentials."""
        changed = copy.copy(self)
        if timeout is not None:
            changed.timeout = to_timeout(self._urllib3, timeout)
        if max_retries is not None:
            changed.retry = RetryPolicy(
                max_retries, self.retry.base, self.retry.cap, self.retry.rng
            )
        if deadline != "keep":
            changed.deadline = _check_deadline(deadline)
        return changed

    # -- one call ---------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        path: str,
        body: bytes | None,
        timeout: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Mapping[str, str], bytes]:
        """Send with retries; return (status, headers, body) of a 2xx, raise otherwise.

        ``headers`` are the operation's header parameters; every attempt is signed afresh.
        """
        if self._closed.is_set():
            raise ConfigurationError("this client has been closed")
        limits = to_timeout(self._urllib3, timeout) if timeout is not None else self.timeout
        ends = None if self.deadline is None else self.monotonic() + self.deadline
        attempt = 0
        while True:
            attempt += 1
            sent = self._headers(method, path, body)
            if headers:
                sent = {**headers, **sent}
            try:
                response = self._pool.urlopen(
                    method,
                    url,
                    body=body,
                    headers=sent,
                    timeout=self._within(limits, ends, attempt, method),
                    redirect=False,
                    retries=False,
                    preload_content=False,
                )
                data = self._read(response, ends, method)
            except TransportError:
                raise  # the deadline: final
            except Exception as error:  # urllib3 raises several families; sorted below
                failure = self._transport_failure(error, method)
                decision = decide(method, attempt, self.retry, failure=failure.reason)
                if not decision.retry or self._past(ends, decision.delay):
                    raise failure.error from None
                log.debug(
                    "%s %s: %s; retry %d in %.2fs",
                    method,
                    path,
                    failure.reason,
                    attempt,
                    decision.delay,
                )
                self.sleep(decision.delay)
                continue
            status = response.status
            log.debug("%s %s -> %d (attempt %d)", method, path, status, attempt)
            if 200 <= status < 300:
                return status, response.headers, data
            problem = _status_error(status, data, response.headers)
            wait = parse_retry_after(response.headers.get("Retry-After"), self.clock())
            if isinstance(problem, RateLimitError):
                problem.retry_after = wait
            decision = decide(method, attempt, self.retry, status=status, retry_after=wait)
            if not decision.retry or self._past(ends, decision.delay):
                raise problem
            log.debug(
                "%s %s: HTTP %d; retry %d in %.2fs", method, path, status, attempt, decision.delay
            )
            self.sleep(decision.delay)

    # -- the call's deadline, across attempts ------------------------------------------
    def _within(self, limits: Any, ends: float | None, attempt: int, method: str) -> Any:
        """This attempt's timeouts, cut to what is left of the deadline."""
        if ends is None:
            return limits
        left = ends - self.monotonic()
        if left <= 0:
            raise self._late(attempt > 1 and method not in IDEMPOTENT)
        connect, read = limits.connect_timeout, limits.read_timeout
        numbers = isinstance(connect, (int, float)) and isinstance(read, (int, float))
        if numbers and left >= connect and left >= read:
            return limits  # the deadline is further off than either wait
        return self._urllib3.Timeout(
            connect=min(connect, left) if isinstance(connect, (int, float)) else left,
            read=min(read, left) if isinstance(read, (int, float)) else left,
        )

    def _read(self, response: Any, ends: float | None, method: str) -> bytes:
        """The body, read as it comes so that a server trickling bytes cannot hold the
        call past its deadline (a read timeout only bounds the wait for each byte)."""
        if ends is None:
            return bytes(response.data or b"")
        parts: list[bytes] = []
        # without a content coding, the body is complete when its length is read: no
        # further read to find the end (a decoder may still hold bytes: read on then)
        counted = "content-encoding" not in response.headers
        try:
            while True:
                chunk = response.read1(65536)
                if not chunk:
                    return b"".join(parts)
                parts.append(chunk)
                if self.monotonic() > ends:
                    raise self._late(True)
                if counted and response.length_remaining == 0:
                    return b"".join(parts)
        finally:
            response.release_conn()

    def _past(self, ends: float | None, delay: float) -> bool:
        """Whether waiting ``delay`` seconds would pass the deadline (no retry then)."""
        return ends is not None and self.monotonic() + delay > ends

    def _late(self, may_have_been_sent: bool) -> ApiTimeoutError:
        note = (
            " The request may have reached the platform (for a callout: the call may have"
            " been placed); check before sending it again."
            if may_have_been_sent
            else ""
        )
        return ApiTimeoutError(
            f"the call's deadline of {self.deadline:g} s passed.{note}",
            request_may_have_been_sent=may_have_been_sent,
        )

    def _headers(self, method: str, path: str, body: bytes | None) -> dict[str, str]:
        headers = {"User-Agent": self.user_agent, "Accept": JSON_TYPE}
        content_type = JSON_TYPE if body is not None else ""
        if content_type:
            headers["Content-Type"] = content_type
        if self.auth == "basic":
            headers["Authorization"] = self._basic
        else:
            stamp = timestamp_at(self.clock())
            signature = sign(self._secret, method, body, content_type, stamp, path)
            headers["x-timestamp"] = stamp
            headers[self.signed_header] = f"Application {self.application_key}:{signature}"
        return headers

    def _transport_failure(self, error: Exception, method: str) -> _Failure:
        exceptions = self._urllib3.exceptions
        cause = error.reason if isinstance(error, exceptions.MaxRetryError) else error
        if isinstance(cause, exceptions.SSLError):
            # a certificate that does not verify will not verify next time either
            tls = ApiConnectionError(
                f"TLS failed: {_short(cause)}", request_may_have_been_sent=False, tls=True
            )
            return _Failure(tls, "tls")
        if isinstance(cause, (exceptions.NewConnectionError, exceptions.ConnectTimeoutError)):
            error = ApiConnectionError(
                f"could not connect: {_short(cause)}", request_may_have_been_sent=False
            )
            return _Failure(error, "no connection")
        note = (
            " The request may have reached the platform (for a callout: the call may have"
            " been placed); check before sending it again."
            if method not in IDEMPOTENT
            else ""
        )
        if isinstance(cause, (exceptions.ReadTimeoutError, exceptions.TimeoutError)):
            timeout = ApiTimeoutError(
                f"no response in time.{note}", request_may_have_been_sent=True
            )
            return _Failure(timeout, "read timeout")
        broken = ApiConnectionError(
            f"the connection broke after the request went out: {_short(cause)}.{note}",
            request_may_have_been_sent=True,
        )
        return _Failure(broken, "connection failed")


class _Failure(NamedTuple):
    error: Exception
    reason: str  # the failure kind ``decide`` reads


def _short(error: BaseException) -> str:
    return str(error).split(": ", 1)[-1][:200]


def to_timeout(urllib3: Any, value: Any) -> Any:
    """A urllib3 ``Timeout`` from seconds, a (connect, read) pair, or a Timeout."""
    if isinstance(value, urllib3.Timeout):
        return value
    if isinstance(value, tuple):
        connect, read = value
        return urllib3.Timeout(connect=connect, read=read)
    if isinstance(value, (int, float)) and value > 0:
        return urllib3.Timeout(connect=value, read=value)
    raise ConfigurationError(
        "timeout must be positive seconds, a (connect, read) pair or a Timeout"
    )


def _status_error(status: int, body: bytes, headers: Mapping[str, str]) -> ApiStatusError:
    """The typed error for an error response, whatever its body looks like."""
    error_code: str | None = None
    message = ""
    reference: str | None = None
    document: Any = None
    if body.strip():
        try:
            document = _json.loads(body)
        except DecodeError:  # not JSON, truncated, not UTF-8: keep the text
            document = None
    if isinstance(document, dict):
        code = document.get("errorCode", document.get("code"))
        if isinstance(code, (int, str)) and not isinstance(code, bool):
            error_code = str(code)
        elif isinstance(document.get("type"), str):  # RFC 7807 problem details
            error_code = document["type"]
        for key in ("message", "detail", "title", "error"):
            if isinstance(document.get(key), str) and document[key]:
                message = document[key]
                break
        if isinstance(document.get("reference"), str):
            reference = document["reference"]
    elif body.strip():
        message = body[:200].decode("utf-8", errors="replace").strip()
    cls = status_error_class(status)
    lowered = {name.lower(): value for name, value in headers.items()}
    return cls(
        status,
        error_code=error_code,
        message=message,
        reference=reference,
        body=body,
        headers=lowered,
    )


def _check_deadline(deadline: float | None) -> float | None:
    if deadline is not None and not deadline > 0:
        raise ConfigurationError("deadline must be positive seconds, or None for none")
    return deadline
