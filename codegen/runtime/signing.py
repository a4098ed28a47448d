"""The "Application" request signature, as the platform computes it both ways.

Requests to the API and callbacks from the platform are signed alike::

    StringToSign = METHOD \\n Content-MD5 \\n Content-Type \\n "x-timestamp:" TIMESTAMP \\n PATH
    Content-MD5  = Base64(MD5(body bytes)), or empty when there is no body
    Signature    = Base64(HMAC-SHA256(Base64Decode(secret), UTF-8(StringToSign)))
    Authorization: Application {key}:{signature}

The body bytes are the exact bytes sent (or received), the Content-Type the exact header
value, the path the encoded path on the wire.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import time
from datetime import datetime

from .errors import ConfigurationError

__all__ = [
    "Secret",
    "content_md5",
    "decode_secret",
    "sign",
    "string_to_sign",
    "timestamp_at",
    "timestamp_now",
]


class Secret:
    """An application secret: the decoded key bytes, never shown in repr or str."""

    __slots__ = ("_inner", "_key", "_outer", "_text")

    def __init__(self, secret: str) -> None:
        self._key = decode_secret(secret)
        self._text = secret.strip()
        # HMAC (RFC 2104) with the key's padded states hashed once: each signature then
        # costs two copies and two updates instead of a fresh HMAC
        key = self._key if len(self._key) <= 64 else hashlib.sha256(self._key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

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
    """The Base64 HMAC-SHA256 of ``string_to_sign`` under ``secret`` (its precomputed states)."""
    inner = secret._inner.copy()
    inner.update(string_to_sign(method, body, content_type, timestamp, path).encode("utf-8"))
    outer = secret._outer.copy()
    outer.update(inner.digest())
    return binascii.b2a_base64(outer.digest(), newline=False).decode("ascii")


def timestamp_at(epoch_seconds: float) -> str:
    """``x-timestamp`` for a moment given as epoch seconds: ISO 8601 UTC with milliseconds,
    the way the platform writes it."""
    whole = math.floor(epoch_seconds)
    micros = round((epoch_seconds - whole) * 1_000_000)  # as datetime rounds
    if micros >= 1_000_000:
        whole, micros = whole + 1, micros - 1_000_000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{micros // 1000:03d}Z"


def timestamp_now(now: datetime | None = None) -> str:
    """``x-timestamp`` for ``now`` (an aware datetime; default: this moment)."""
    return timestamp_at(now.timestamp() if now is not None else time.time())
