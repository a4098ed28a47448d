"""The second yardstick of the client rows: a call as a user writes it without the SDK.

The first yardstick sends a fixed header set and keeps the answer's bytes: the floor of
what the transport library costs, but not a call the platform would take (a signature
must be fresh) nor one whose answer anybody can use. This one does what a user of raw
urllib3 or aiohttp must do on every call, inside the timed code as the SDK does it:
stamp the time, sign the request with the standard library's HMAC, and read the JSON
answer into a dict (the SDK reads it into a typed model).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone


def signed_headers(key: str, secret: bytes, method: str, path: str) -> dict[str, str]:
    """The headers of a signed request without a body, as the vendor's docs describe;
    ``secret`` is the application secret's decoded bytes (decoded once, as a user would)."""
    stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z"
    to_sign = f"{method}\n\n\nx-timestamp:{stamp}\n{path}"
    digest = hmac.new(secret, to_sign.encode(), hashlib.sha256).digest()
    return {
        "User-Agent": "bench",
        "Accept": "application/json",
        "x-timestamp": stamp,
        "Authorization": f"Application {key}:{base64.b64encode(digest).decode()}",
    }


def check(key: str, secret: str, method: str, path: str) -> None:
    """Fails unless the SDK's own verifier accepts these headers: the yardstick makes a
    call the platform would take."""
    from sinch_voice.signing import verify

    headers = signed_headers(key, base64.b64decode(secret), method, path)
    assert verify({key: [secret]}, method, path, headers, b"") == key
