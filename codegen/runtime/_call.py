"""One call's logic, without I/O: what each attempt sends and what each outcome means.

A driver (the urllib3 one in ``_http``; an asyncio one can reuse all of this) asks a
``Call`` for its next ``Attempt`` (headers signed afresh, timeouts cut to the overall
deadline), sends it, and reports back an HTTP answer or a transport ``Failure``. The call
answers with an ``Outcome``: the event for the hooks, and either the delay before the
next attempt or the final result or error. The driver only does the I/O, the waiting and
the calling of hooks.
"""

from __future__ import annotations

import logging
import math
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, Generic, NamedTuple, TypeVar

import attrs

from . import _json, serde
from ._events import Hooks, RequestEvent, ResponseEvent, redacted
from ._request import NO_CONTENT, Request
from ._retry import IDEMPOTENT, RetryPolicy, decide, parse_retry_after
from .errors import (
    ApiConnectionError,
    ApiStatusError,
    ApiTimeoutError,
    ConfigurationError,
    DecodeError,
    RateLimitError,
    SinchVoiceError,
    StructureError,
    TransportError,
    UnexpectedResponseError,
    status_error_class,
)
from .signing import Secret, basic_authorization, sign, timestamp_at

__all__ = ["Attempt", "Call", "Credentials", "Failure", "Options", "Outcome", "Timeouts"]

T = TypeVar("T")

log = logging.getLogger("sinch_voice.client")

JSON_TYPE = "application/json"
DEFAULT_DEADLINE = 60.0  # seconds for a whole call, retries and waits included
MAY_HAVE_TAKEN_EFFECT = (
    " The request may have reached the platform (for a callout: the call may have been"
    " placed); check before sending it again."
)
TOOK_EFFECT_BEFORE_FAILING = (
    "The request reached the platform and may have taken effect before it failed (for a"
    " callout: the call may have been placed); check before sending it again."
)


class Timeouts(NamedTuple):
    """Seconds to wait for a connection and for each read; None waits without limit."""

    connect: float | None
    read: float | None

    @classmethod
    def of(cls, value: object) -> Timeouts:
        """From seconds, a (connect, read) pair, or a urllib3 ``Timeout`` (its ``total``,
        when set, bounds both)."""
        if isinstance(value, Timeouts):
            return value
        if isinstance(value, tuple) and len(value) == 2:
            if all(v is None or _positive(v) for v in value):
                return cls(*(None if v is None else float(v) for v in value))
        elif _positive(value):
            return cls(float(value), float(value))  # type: ignore[arg-type]
        elif hasattr(value, "connect_timeout") and hasattr(value, "total"):
            # a urllib3 Timeout: its read_timeout property raises until a connection has
            # started when total is set, so the values given are read as given
            total = value.total if _positive(value.total) else None
            connect = getattr(value, "_connect", None)
            read = getattr(value, "_read", None)
            return cls(_bounded(connect, total), _bounded(read, total))
        raise ConfigurationError(
            f"timeout must be positive seconds, a (connect, read) pair or a urllib3 "
            f"Timeout; got {value!r}"
        )

    def within(self, left: float) -> Timeouts:
        """These timeouts, none longer than ``left`` seconds."""
        connect, read = self
        if connect is not None and read is not None and connect <= left and read <= left:
            return self
        return Timeouts(
            left if self.connect is None else min(self.connect, left),
            left if self.read is None else min(self.read, left),
        )


def _positive(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _bounded(value: object, total: float | None) -> float | None:
    seconds = float(value) if _positive(value) else None  # type: ignore[arg-type]
    if total is None:
        return seconds
    return total if seconds is None else min(seconds, total)


class Credentials:
    """Who signs: the application key and secret, and how the spec says to use them."""

    def __init__(
        self,
        application_key: str,
        secret: Secret,
        *,
        auth: str,
        signed_header: str,
        user_agent: str,
    ) -> None:
        if auth not in ("signed", "basic"):
            raise ConfigurationError(f"auth must be 'signed' or 'basic'; got {auth!r}")
        self.application_key = application_key
        self.auth = auth
        self.signed_header = signed_header
        self.user_agent = user_agent
        self._secret = secret
        self._basic = basic_authorization(application_key, secret) if auth == "basic" else ""
        self._signed_by = f"Application {application_key}:"
        self._common: dict[tuple[tuple[tuple[str, str], ...], bool], dict[str, str]] = {}
        # set by the client, redacted for hooks, never overridable by extra headers
        self.secret_headers = frozenset({"authorization", signed_header.lower()})
        self.reserved_headers = self.secret_headers | {"x-timestamp", "content-type"}

    def __repr__(self) -> str:
        return f"Credentials(application_key={self.application_key!r}, auth={self.auth!r})"

    def common_headers(
        self, extra: tuple[tuple[str, str], ...], body: bytes | None
    ) -> dict[str, str]:
        """``fixed_headers`` after a client's extra headers, made once for each set of
        them (the caller copies it before adding to it)."""
        key = (extra, body is not None)
        made = self._common.get(key)
        if made is None:
            made = self.fixed_headers(dict(extra), body)
            if len(self._common) < 32:  # with_options views each have their own headers
                self._common[key] = made
        return made

    def fixed_headers(self, extra: dict[str, str], body: bytes | None) -> dict[str, str]:
        """``extra`` with the headers every attempt of a request carries alike (the
        signature aside): they replace extra ones of the same name."""
        extra["User-Agent"] = self.user_agent
        extra["Accept"] = JSON_TYPE
        if body is not None:
            extra["Content-Type"] = JSON_TYPE
        if self.auth == "basic":
            extra["Authorization"] = self._basic
        return extra

    def signed(
        self, headers: dict[str, str], method: str, path: str, body: bytes | None, now: float
    ) -> dict[str, str]:
        """``headers`` (an attempt's own copy) signed for this moment (epoch seconds)."""
        if self.auth == "signed":
            stamp = timestamp_at(now)
            content_type = JSON_TYPE if body is not None else ""
            signature = sign(self._secret, method, body, content_type, stamp, path)
            headers["x-timestamp"] = stamp
            headers[self.signed_header] = self._signed_by + signature
        return headers


@attrs.frozen
class Options:
    """The limits and additions a client (or a ``with_options`` view of it) applies."""

    timeout: Timeouts
    retry: RetryPolicy
    deadline: float | None = DEFAULT_DEADLINE
    headers: tuple[tuple[str, str], ...] = ()
    hooks: Hooks = attrs.field(factory=Hooks)


def check_deadline(deadline: object) -> float | None:
    if deadline is not None and not _positive(deadline):
        raise ConfigurationError(
            f"deadline must be positive seconds, or None for none; got {deadline!r}"
        )
    return None if deadline is None else float(deadline)  # type: ignore[arg-type]


def extra_headers(
    headers: Mapping[str, str], credentials: Credentials
) -> tuple[tuple[str, str], ...]:
    """Headers to add to every request, checked: strings without line breaks, and none of
    the headers the client sets for the signature."""
    checked = []
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ConfigurationError(f"headers: {name!r} must map a string name to a string value")
        if not name or any(c in name for c in "\r\n:") or any(c in value for c in "\r\n"):
            raise ConfigurationError(f"headers: {name!r} is not a valid header line")
        if name.lower() in credentials.reserved_headers:
            raise ConfigurationError(
                f"headers: {name!r} is set by the client for authentication and the "
                "signature; it cannot be overridden"
            )
        checked.append((name, value))
    return tuple(checked)


class Failure(NamedTuple):
    """A transport failure, as a driver classifies its library's exception.

    ``kind`` is one of ``"tls"``, ``"no connection"`` (the request cannot have been sent),
    ``"read timeout"`` and ``"connection failed"`` (it may have been); ``detail`` is a
    short description without secrets.
    """

    kind: str
    detail: str


class Attempt(NamedTuple):
    """One attempt to send: its number (from 1), what goes on the wire, its timeouts."""

    number: int
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    timeouts: Timeouts
    started: float  # monotonic seconds


class Outcome(NamedTuple):
    """What one attempt came to: ``retry_in`` seconds before the next attempt, or the
    final ``error`` to raise, or (neither) success; and the event for the response
    hooks, built only when there are some."""

    retry_in: float | None = None
    error: SinchVoiceError | None = None
    event: ResponseEvent | None = None


SUCCESS = Outcome()


class Call(Generic[T]):
    """One operation in progress: its attempts, its deadline, and their outcomes."""

    __slots__ = (
        "attempts",
        "body",
        "clock",
        "common_headers",
        "credentials",
        "debug",
        "ends",
        "method",
        "monotonic",
        "options",
        "request",
        "timeouts",
        "url",
        "wire_path",
    )

    def __init__(
        self,
        request: Request[T],
        url: str,
        credentials: Credentials,
        options: Options,
        *,
        clock: Callable[[], float],
        monotonic: Callable[[], float],
        wire_path: str | None = None,
    ) -> None:
        self.request = request
        self.method = request.method
        self.url = url
        if request.query:
            self.url += "?" + urllib.parse.urlencode(request.query, quote_via=urllib.parse.quote)
        # the signature covers the path on the wire, not the query (as the platform checks);
        # the client knows it without parsing the URL
        self.wire_path = urllib.parse.urlsplit(url).path if wire_path is None else wire_path
        # every value checked against its model: a wrong type is refused before sending
        self.body = serde.checked_dumps(request.body) if request.body is not None else None
        self.credentials = credentials
        self.options = options
        self.timeouts = options.timeout if request.timeout is None else Timeouts.of(request.timeout)
        self.clock = clock
        self.monotonic = monotonic
        self.ends = None if options.deadline is None else monotonic() + options.deadline
        self.attempts = 0
        if request.headers:  # header parameters: before the fixed ones, which win
            extra = {**dict(options.headers), **dict(request.headers)}
            self.common_headers = credentials.fixed_headers(extra, self.body)
        else:
            self.common_headers = credentials.common_headers(options.headers, self.body)
        self.debug = log.isEnabledFor(logging.DEBUG)

    # -- before each attempt ----------------------------------------------------------
    def next_attempt(self) -> Attempt:
        """The next attempt, signed afresh; raises ``ApiTimeoutError`` past the deadline."""
        self.attempts += 1
        timeouts = self.timeouts
        if self.ends is not None:
            left = self.ends - self.monotonic()
            if left <= 0:
                raise self.late(may_have_been_sent=self.attempts > 1 and not self.idempotent)
            timeouts = timeouts.within(left)
        headers = self.credentials.signed(
            self.common_headers.copy(), self.method, self.wire_path, self.body, self.clock()
        )
        if self.debug:
            log.debug("%s %s: attempt %d", self.method, self.logged_url, self.attempts)
        return Attempt(
            self.attempts, self.method, self.url, headers, self.body, timeouts, self.monotonic()
        )

    def request_event(self, attempt: Attempt) -> RequestEvent:
        """What the request hooks receive: the attempt, with the credentials redacted."""
        return RequestEvent(
            operation=self.request.operation,
            method=self.method,
            url=self.url,
            headers=redacted(attempt.headers, self.credentials.secret_headers),
            attempt=attempt.number,
        )

    # -- after each attempt -----------------------------------------------------------
    def answered(
        self, attempt: Attempt, status: int, headers: Mapping[str, str], content: bytes
    ) -> Outcome:
        """An HTTP answer: success, a retry after a delay, or the typed error."""
        elapsed = self.monotonic() - attempt.started
        if self.debug:
            log.debug(
                "%s %s -> %d in %.0f ms (attempt %d)",
                self.method, self.logged_url, status, elapsed * 1000, attempt.number,
            )  # fmt: skip
        if 200 <= status < 300:
            if not self.options.hooks.response:
                return SUCCESS
            return Outcome(event=self._event(attempt, status, headers, elapsed, False))
        lowered = {name.lower(): value for name, value in headers.items()}
        error = status_error(status, content, lowered, self.method)
        wait = parse_retry_after(lowered.get("retry-after"), self.clock())
        if isinstance(error, RateLimitError):
            error.retry_after = wait
        decision = decide(
            self.method, attempt.number, self.options.retry, status=status, retry_after=wait
        )
        if not decision.retry or self._past(decision.delay):
            return Outcome(
                error=error, event=self._event(attempt, status, lowered, elapsed, False, error)
            )
        log.info(
            "%s %s: HTTP %d; retry %d in %.2f s",
            self.method, self.logged_url, status, attempt.number, decision.delay,
        )  # fmt: skip
        return Outcome(decision.delay, event=self._event(attempt, status, lowered, elapsed, True))

    def failed(self, attempt: Attempt, failure: Failure) -> Outcome:
        """A transport failure: a retry after a delay, or the typed error."""
        elapsed = self.monotonic() - attempt.started
        error = self.transport_error(failure)
        if failure.kind == "read timeout" and attempt.timeouts != self.timeouts:
            error = self.late(may_have_been_sent=True)  # the deadline cut the wait short
        decision = decide(self.method, attempt.number, self.options.retry, failure=failure.kind)
        if not decision.retry or self._past(decision.delay):
            return Outcome(error=error, event=self._event(attempt, None, {}, elapsed, False, error))
        log.info(
            "%s %s: %s; retry %d in %.2f s",
            self.method, self.logged_url, failure.kind, attempt.number, decision.delay,
        )  # fmt: skip
        return Outcome(decision.delay, event=self._event(attempt, None, {}, elapsed, True))

    def interrupted(self, attempt: Attempt, error: TransportError) -> Outcome:
        """The deadline passed while an answer was being read: final."""
        elapsed = self.monotonic() - attempt.started
        return Outcome(error=error, event=self._event(attempt, None, {}, elapsed, False, error))

    def check_reading(self) -> None:
        """Raises ``ApiTimeoutError`` when the deadline passes during a (trickled) read."""
        if self.ends is not None and self.monotonic() > self.ends:
            raise self.late(may_have_been_sent=True)

    def result(self, status: int, headers: Mapping[str, str], content: bytes) -> T:
        """The answer read into the operation's response model.

        An answer that does not fit raises ``UnexpectedResponseError`` with the
        operation, status, headers and raw body, so that it can be reported as it came.
        """
        response = self.request.response
        if response is NO_CONTENT:
            return None  # type: ignore[return-value]
        try:
            return serde.loads(content, response)
        except (StructureError, DecodeError) as problem:
            lowered = {name.lower(): value for name, value in headers.items()}
            raise UnexpectedResponseError(
                self.request.operation, status, lowered, content, str(problem)
            ) from None

    # -- errors -------------------------------------------------------------------------
    @property
    def idempotent(self) -> bool:
        return self.method in IDEMPOTENT

    @property
    def logged_url(self) -> str:
        """The URL as logged: without its query (which may hold numbers of people)."""
        return self.url.split("?", 1)[0]

    def late(self, *, may_have_been_sent: bool) -> ApiTimeoutError:
        note = MAY_HAVE_TAKEN_EFFECT if may_have_been_sent and not self.idempotent else ""
        return ApiTimeoutError(
            f"the call's deadline of {self.options.deadline:g} s passed.{note}",
            request_may_have_been_sent=may_have_been_sent,
        )

    def transport_error(self, failure: Failure) -> TransportError:
        note = "" if self.idempotent else MAY_HAVE_TAKEN_EFFECT
        if failure.kind == "tls":  # a certificate that does not verify will not next time
            return ApiConnectionError(
                f"TLS failed: {failure.detail}", request_may_have_been_sent=False, tls=True
            )
        if failure.kind == "no connection":
            return ApiConnectionError(
                f"could not connect: {failure.detail}", request_may_have_been_sent=False
            )
        if failure.kind == "read timeout":
            return ApiTimeoutError(f"no response in time.{note}", request_may_have_been_sent=True)
        return ApiConnectionError(
            f"the connection broke after the request went out: {failure.detail}.{note}",
            request_may_have_been_sent=True,
        )

    def _past(self, delay: float) -> bool:
        """Whether waiting ``delay`` seconds would pass the deadline (no retry then)."""
        return self.ends is not None and self.monotonic() + delay > self.ends

    def _event(
        self,
        attempt: Attempt,
        status: int | None,
        headers: Mapping[str, str],
        elapsed: float,
        retrying: bool,
        error: SinchVoiceError | None = None,
    ) -> ResponseEvent | None:
        """The response hooks' event; None when there are no hooks to receive it."""
        if not self.options.hooks.response:
            return None
        return ResponseEvent(
            operation=self.request.operation,
            method=self.method,
            url=self.url,
            status=status,
            headers={name.lower(): value for name, value in headers.items()},
            attempt=attempt.number,
            elapsed=elapsed,
            retrying=retrying,
            error=error,
        )


def status_error(
    status: int, body: bytes, headers: Mapping[str, str], method: str
) -> ApiStatusError:
    """The typed error for an error response, whatever its body looks like.

    A 5xx means the request reached the platform, which may have acted on it before it
    failed: ``request_may_have_been_sent`` is true, and for POST and PATCH (a callout
    places a call) the message says so.
    """
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
    reached = status >= 500
    return status_error_class(status)(
        status,
        error_code=error_code,
        message=message,
        reference=reference,
        body=body,
        headers=headers,
        request_may_have_been_sent=reached,
        note=TOOK_EFFECT_BEFORE_FAILING if reached and method not in IDEMPOTENT else "",
    )
