"""Signing helpers for tests of a callback endpoint: sign a request as the platform
signs its callbacks, and check one as an endpoint would."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..signing import DEFAULT_TOLERANCE, Secret, signed_headers, timestamp_at, verify


def sign_callback(
    application_key: str,
    application_secret: Secret | str,
    path: str,
    body: bytes,
    *,
    when: float | None = None,
    content_type: str = "application/json",
) -> dict[str, str]:
    """The headers of a callback the platform would send to ``path`` with ``body`` at
    ``when`` (epoch seconds; default now): ``content-type``, ``x-timestamp`` (UTC, ``Z``)
    and ``authorization`` (``Application key:signature``)."""
    stamp = timestamp_at(when) if when is not None else None
    headers = signed_headers(
        application_key,
        application_secret,
        "POST",
        path,
        body,
        content_type=content_type,
        timestamp=stamp,
    )
    return {name.lower(): value for name, value in headers.items()}


def check_signed(
    applications: Mapping[str, str | Sequence[str]],
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> str:
    """The application key of a correctly signed request; ``SignatureError`` otherwise.

    ``applications`` maps keys to their secret (or secrets, during a rotation).
    """
    return verify(applications, method, path, headers, body, now=now, tolerance=tolerance)
