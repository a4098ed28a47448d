"""The "Application" request signature, both ways: signing requests and verifying callbacks.

Requests to the API and callbacks from the platform are signed alike::

    StringToSign = METHOD \\n Content-MD5 \\n Content-Type \\n "x-timestamp:" TIMESTAMP \\n PATH
    Content-MD5  = Base64(MD5(body bytes)), or empty when there is no body
    Signature    = Base64(HMAC-SHA256(Base64Decode(secret), UTF-8(StringToSign)))
    Authorization: Application {key}:{signature}

The body bytes are the exact bytes sent (or received), the Content-Type the exact header
value, the path the encoded path on the wire (without the query). ``signed_headers``
makes the headers of a signed request or callback; ``verify`` checks one and raises
``SignatureError``, whose message is the same whatever was wrong (the reason is for logs).

HTTP Basic authentication (the application key as user, the secret as password) lives
here too: ``basic_authorization`` makes the header value, ``check_basic`` checks one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from ._values import parse_datetime
from .errors import ConfigurationError, SignatureError, StructureError

__all__ = [
    "BASIC_HEADER",
    "DEFAULT_TOLERANCE",
    "Secret",
    "SignatureError",
    "basic_authorization",
    "check_basic",
    "content_md5",
    "decode_secret",
    "sign",
    "signed_headers",
    "string_to_sign",
    "timestamp_at",
    "timestamp_now",
    "verify",
]

DEFAULT_TOLERANCE = 300.0  # seconds a callback's x-timestamp may be from now, either way
BASIC_HEADER = "authorization"  # RFC 7617: Basic credentials travel in Authorization
_BLOCK = 64  # SHA-256's block size, in bytes: HMAC pads its key to it (RFC 2104)
_ZONED = re.compile(r"(?:[Zz]|[+-]\d{2}:\d{2})$")


class Secret:
    """An application secret: the decoded key bytes, never shown in repr or str."""

    __slots__ = ("_inner", "_key", "_outer", "_text")

    def __init__(self, secret: str) -> None:
        self._key = decode_secret(secret)
        self._text = secret.strip()
        # HMAC (RFC 2104) keyed once: the SHA-256 states after the padded key's inner and
        # outer blocks, copied for each signature instead of hashing the key again. With
        # hashlib's public API this is faster than copying hmac.new()'s keyed object.
        key = hashlib.sha256(self._key).digest() if len(self._key) > _BLOCK else self._key
        padded = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def _signature(self, message: bytes) -> bytes:
        """Base64 of the HMAC-SHA256 of ``message`` under this secret."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return binascii.b2a_base64(outer.digest(), newline=False)

    @property
    def key(self) -> bytes:
        """The decoded bytes that key the HMAC."""
        return self._key

    @property
    def text(self) -> str:
        """The secret as given: the password of Basic authentication."""
        return self._text

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("application secrets are not pickled")


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base64 application secret; the error never echoes the secret."""
    if not isinstance(secret, str) or not secret.strip():
        raise ConfigurationError("the application secret must be a non-empty base64 string")
    try:
        key = base64.b64decode(secret.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            "the application secret is not valid base64 (copy it from the Sinch dashboard)"
        ) from None
    if not key:
        raise ConfigurationError("the application secret decodes to no bytes")
    return key


def content_md5(body: bytes | None) -> str:
    """Base64 of the MD5 of the body; empty when there is no body."""
    if not body:
        return ""
    digest = hashlib.md5(body, usedforsecurity=False).digest()
    return binascii.b2a_base64(digest, newline=False).decode("ascii")


def string_to_sign(
    method: str, body: bytes | None, content_type: str, timestamp: str, path: str
) -> str:
    md5 = content_md5(body)
    return f"{method.upper()}\n{md5}\n{content_type}\nx-timestamp:{timestamp}\n{path}"


def sign(
    secret: Secret, method: str, body: bytes | None, content_type: str, timestamp: str, path: str
) -> str:
    """The Base64 HMAC-SHA256 of ``string_to_sign`` under ``secret``."""
    message = string_to_sign(method, body, content_type, timestamp, path).encode("utf-8")
    return secret._signature(message).decode("ascii")


def signed_headers(
    application_key: str,
    secret: Secret | str,
    method: str,
    path: str,
    body: bytes | None,
    *,
    content_type: str = "application/json",
    timestamp: str | None = None,
    header: str = "Authorization",
) -> dict[str, str]:
    """The headers of a signed request: ``Content-Type`` (with a body), ``x-timestamp``
    (now, unless given) and the signature in ``header``.

    The platform signs callbacks this way and the client its requests; tests of an app's
    callback endpoint can sign their own requests with it.
    """
    key = secret if isinstance(secret, Secret) else Secret(secret)
    stamp = timestamp if timestamp is not None else timestamp_now()
    content = content_type if body else ""
    headers = {"x-timestamp": stamp}
    if content:
        headers["Content-Type"] = content
    headers[header] = (
        f"Application {application_key}:{sign(key, method, body, content, stamp, path)}"
    )
    return headers


def verify(
    secrets: Mapping[str, Secret | str | Sequence[Secret | str]],
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    header: str = "Authorization",
) -> str:
    """Check a signed request; return its application key, or raise ``SignatureError``.

    ``secrets`` maps application keys to their secret (or several, during a rotation);
    ``headers`` may have names in any case but each name once; ``path`` is the path as it
    was signed. The timestamp must be within ``tolerance`` seconds of ``now`` (default:
    this moment) in both directions; signatures are compared in constant time.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    now = time.time() if now is None else now

    def secrets_of(key: str) -> list[Secret] | None:  # only the signing application's
        value = secrets.get(key)
        return None if value is None else _secrets(value)

    reason = _failure(secrets_of, method, path, lowered, body, now, tolerance, header.lower())
    if reason is not None:
        raise SignatureError("the request's signature does not verify")
    return lowered[header.lower()][12:].rpartition(":")[0]


def basic_authorization(application_key: str, secret: Secret | str) -> str:
    """The ``Authorization`` value of HTTP Basic authentication: ``Basic`` and the base64
    of ``key:secret`` (the secret as the dashboard gives it), UTF-8 (RFC 7617)."""
    password = secret.text if isinstance(secret, Secret) else secret.strip()
    credentials = f"{application_key}:{password}".encode()
    return "Basic " + binascii.b2a_base64(credentials, newline=False).decode("ascii")


def check_basic(
    secrets: Mapping[str, Secret | str | Sequence[Secret | str]], authorization: str
) -> str:
    """The application key of a Basic ``authorization`` value whose password is one of
    that key's secrets; ``SignatureError`` otherwise. Passwords are compared in constant
    time; the error never shows the credentials."""

    def secrets_of(key: str) -> list[Secret] | None:
        value = secrets.get(key)
        return None if value is None else _secrets(value)

    if _basic_failure(secrets_of, authorization) is not None:
        raise SignatureError("the request's Basic credentials do not verify")
    return _basic_credentials(authorization)[0]


def _basic_failure(
    secrets_of: Callable[[str], Sequence[Secret] | None], authorization: str
) -> str | None:
    """None when Basic credentials hold, else why not: for logs, never the password."""
    if authorization[:6].lower() != "basic ":
        return "no Basic credentials"
    try:
        key, password = _basic_credentials(authorization)
    except ValueError:
        return "unreadable Basic credentials"
    given = password.encode()
    for secret in secrets_of(key) or ():  # each compared in full: no early answer
        if hmac.compare_digest(secret.text.encode(), given):
            return None
    return f"wrong Basic credentials for application {key[:64]!r}"


def _basic_credentials(authorization: str) -> tuple[str, str]:
    """``(key, password)`` of a Basic value; ValueError when it is not base64 of
    UTF-8 ``key:password``."""
    decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    key, sep, password = decoded.partition(":")
    if not sep:
        raise ValueError("no ':' between the key and the password")
    return key, password


def _secrets(value: Secret | str | Sequence[Secret | str]) -> list[Secret]:
    listed = [value] if isinstance(value, (Secret, str)) else list(value)
    return [s if isinstance(s, Secret) else Secret(s) for s in listed]


def _failure(
    secrets_of: Callable[[str], Sequence[Secret] | None],
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    now: float,
    tolerance: float,
    header: str = "authorization",
) -> str | None:
    """None when a request is authentic, else why not: for logs, never for the caller.

    ``headers`` has lower-case names (``header`` too).
    """
    authorization = headers.get(header, "")
    if authorization[:12].lower() != "application ":  # the scheme is case-insensitive
        scheme = authorization.strip().partition(" ")[0][:20]
        return f"scheme {scheme!r}" if authorization else "no Application signature"
    if ", " in authorization:  # a repeated header, its values joined
        return f"{header} sent more than once"
    key, sep, signature = authorization[12:].rpartition(":")
    candidates = secrets_of(key)
    if not sep or not candidates:
        return f"unknown application key {key[:64]!r}"
    stamp = headers.get("x-timestamp", "")
    if ", " in stamp:
        return "x-timestamp sent more than once"
    age = _age(stamp, now)
    if age is None:
        return "missing or unreadable x-timestamp (the platform sends UTC, with Z)"
    if abs(age) > tolerance:
        when = f"{age:.0f} s old" if age > 0 else f"{-age:.0f} s in the future"
        return f"x-timestamp is {when} (tolerance {tolerance:.0f} s either way)"
    content_type = headers.get("content-type", "")
    try:
        message = string_to_sign(method, body, content_type, stamp, path).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in the path or Content-Type
        return "the path or Content-Type is not encodable text"
    given = signature.encode("ascii", "replace")
    for secret in candidates:  # the message is the same for each: signed once per secret
        if hmac.compare_digest(secret._signature(message), given):
            return None
    return f"signature mismatch for application {key[:64]!r} on path {path[:200]!r}"


def _age(stamp: str, now: float) -> float | None:
    """Seconds between now and an ISO 8601 x-timestamp (positive: in the past).

    The platform sends UTC with ``Z``; a stamp without a zone (or a date alone) is
    unreadable here rather than guessed.
    """
    if not stamp or len(stamp) > 40 or (stamp[-1] != "Z" and not _ZONED.search(stamp)):
        return None
    try:
        return now - parse_datetime(stamp).timestamp()
    except StructureError:
        return None


_last_second: tuple[int, str] = (0, "1970-01-01T00:00:00")
"""The last whole second formatted and its text: every request signs the time, and most
fall in the same second as the one before."""
_MILLISECONDS = tuple(f".{n:03d}Z" for n in range(1000))


def timestamp_at(epoch_seconds: float) -> str:
    """``x-timestamp`` for a moment given as epoch seconds: ISO 8601 UTC with milliseconds,
    the way the platform writes it."""
    global _last_second
    whole = math.floor(epoch_seconds)
    micros = round((epoch_seconds - whole) * 1_000_000)  # as datetime rounds
    if micros >= 1_000_000:
        whole, micros = whole + 1, micros - 1_000_000
    second, text = _last_second
    if second != whole:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
        _last_second = (whole, text)
    return text + _MILLISECONDS[micros // 1000]


def timestamp_now(now: datetime | None = None) -> str:
    """``x-timestamp`` for ``now`` (an aware datetime; default: this moment)."""
    return timestamp_at(now.timestamp() if now is not None else time.time())
