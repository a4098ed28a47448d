"""Every exception sinch_voice raises derives from ``SinchVoiceError``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# the public names; the helpers that word messages (shown, with_article, ...) are internal
__all__ = [
    "REQUEST_ID_HEADERS",
    "STATUS_ERRORS",
    "ApiConnectionError",
    "ApiStatusError",
    "ApiTimeoutError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DecodeError",
    "EncodeError",
    "ForbiddenError",
    "NotFoundError",
    "PaymentRequiredError",
    "RateLimitError",
    "ServerError",
    "SignatureError",
    "SinchVoiceError",
    "StructureError",
    "TransportError",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "status_error_class",
]

REQUEST_ID_HEADERS = ("x-request-id", "x-correlation-id")  # lower-case, first found wins


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
    """What a value is, for an error message, without echoing it: callbacks carry phone
    numbers and names, and messages reach logs and 400 bodies."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    return f"a {type(value).__name__}"


def shown(text: str, limit: int = 40) -> str:
    """A value quoted in a message, cut to ``limit`` characters (documented in the README):
    an unknown enum value or a repeated key, never a whole field."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def shown_url(value: object, limit: int = 200) -> str:
    """A URL quoted in a message: cut to ``limit`` characters, with any
    ``user:password@`` masked (proxy URLs carry credentials)."""
    text = str(value)
    scheme, found, rest = text.partition("://")
    if found and "@" in rest.split("/", 1)[0]:
        text = f"{scheme}://***@{rest.split('@', 1)[1]}"
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def with_article(word: str) -> str:
    """``an ice``, ``a dice``: for messages that name a callback."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


class ConfigurationError(SinchVoiceError, ValueError):
    """A client or dispatcher was set up with values that cannot work (never echoed)."""


class SignatureError(SinchVoiceError, ValueError):
    """A signed request or callback does not verify: wrong or missing signature, unknown
    application key, or a timestamp outside the allowed window (the message does not say
    which, so that it tells an attacker nothing)."""


# --- calling the API -------------------------------------------------------------------


class TransportError(SinchVoiceError):
    """The request did not get a (complete) HTTP response.

    ``request_may_have_been_sent`` is true when the platform may have received and acted
    on the request; for a callout that means the call may have been placed: look (the
    call's state, your callbacks) before you send it again.
    """

    def __init__(self, message: str, *, request_may_have_been_sent: bool) -> None:
        super().__init__(message)
        self.request_may_have_been_sent = request_may_have_been_sent


class ApiConnectionError(TransportError):
    """The connection failed: none could be made (DNS, refused, TLS; then the request was
    not sent), or it broke after the request went out (``request_may_have_been_sent``).
    ``tls`` is true when TLS failed (a certificate that does not verify, say)."""

    def __init__(
        self, message: str, *, request_may_have_been_sent: bool, tls: bool = False
    ) -> None:
        super().__init__(message, request_may_have_been_sent=request_may_have_been_sent)
        self.tls = tls


class ApiTimeoutError(TransportError):
    """No (complete) response in time: a read timeout, or the call's overall deadline."""


class UnexpectedResponseError(SinchVoiceError):
    """A successful answer that does not fit its model: the operation, the HTTP status,
    the headers and the raw body as received, and what did not fit."""

    def __init__(
        self,
        operation: str,
        status_code: int,
        headers: Mapping[str, str],
        body: bytes,
        problem: str,
    ) -> None:
        self.operation = operation
        self.status_code = status_code
        self.headers = headers
        self.body = body
        self.problem = problem
        super().__init__(
            f"{operation}: the HTTP {status_code} answer does not fit its model: {problem} "
            f"({len(body)} bytes of {headers.get('content-type', 'no content type')})"
        )


class ApiStatusError(SinchVoiceError):
    """The API answered with an error status.

    ``error_code`` is always a string (the platform sends numbers such as 40003),
    ``message`` and ``reference`` come from the body when it has them, ``body`` is the raw
    body as received, ``headers`` the response headers (lower-case names) and
    ``request_id`` the platform's request id (``X-Request-Id`` or ``X-Correlation-Id``)
    when it sent one.

    ``request_may_have_been_sent`` is true for a 5xx: the request reached the platform,
    which may have acted on it before it failed. For a POST or PATCH the message says so
    (for a callout: a call may have been placed); look before you send it again.
    """

    status_code: int = 0  # the class's status; an instance holds the one received

    def __init__(
        self,
        status_code: int,
        *,
        error_code: str | None = None,
        message: str = "",
        reference: str | None = None,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        request_may_have_been_sent: bool = False,
        note: str = "",
    ) -> None:
        self.status_code = status_code
        self.error_code = error_code
        self.message = message
        self.reference = reference
        self.body = body
        self.headers: Mapping[str, str] = dict(headers or {})
        self.request_id = next(
            (self.headers[h] for h in REQUEST_ID_HEADERS if h in self.headers), None
        )
        self.request_may_have_been_sent = request_may_have_been_sent
        detail = f" {error_code}" if error_code else ""
        text = f": {message}" if message else ""
        ref = f" (reference {reference})" if reference else ""
        after = f". {note}" if note else ""
        super().__init__(f"HTTP {status_code}{detail}{text}{ref}{after}")


class BadRequestError(ApiStatusError):
    status_code = 400


class UnauthorizedError(ApiStatusError):
    status_code = 401


class PaymentRequiredError(ApiStatusError):
    status_code = 402


class ForbiddenError(ApiStatusError):
    status_code = 403


class NotFoundError(ApiStatusError):
    status_code = 404


class ConflictError(ApiStatusError):
    status_code = 409


class UnprocessableEntityError(ApiStatusError):
    status_code = 422


class RateLimitError(ApiStatusError):
    """429. ``retry_after``: seconds the platform asked us to wait, when it said so."""

    status_code = 429
    retry_after: float | None = None


class ServerError(ApiStatusError):
    """5xx: the platform failed."""


STATUS_ERRORS: dict[int, type[ApiStatusError]] = {
    cls.status_code: cls
    for cls in (
        BadRequestError,
        UnauthorizedError,
        PaymentRequiredError,
        ForbiddenError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
    )
}


def status_error_class(status: int) -> type[ApiStatusError]:
    """The class of error for an HTTP error status: ``STATUS_ERRORS``, any 5xx a
    ``ServerError``, any other status the base ``ApiStatusError``."""
    if status >= 500:
        return ServerError
    return STATUS_ERRORS.get(status, ApiStatusError)
