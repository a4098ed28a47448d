"""Fault injection: the local platform misbehaves on purpose, so that a test can show what
a client does when the network or the platform fails.

``platform.faults`` holds a queue of ``Fault`` values. Each request the platform accepts
(its route known, its signature and body valid) takes the first pending fault that
matches its operation and path, and that fault is spent. A request the platform refuses
(401, 400, 415, no such route) is answered as always and takes none, so that a malformed
request is never hidden behind an injected answer. With no fault pending the platform
answers as usual.

    platform.faults.next(status=503, retry_after=2)    # a scripted answer, not served
    platform.faults.drop_connection()                  # no answer: the connection closes
    platform.faults.delay(1.5)                         # served, answered 1.5 s late
    platform.faults.break_off(after=9)                 # served, the body cut after 9 bytes
    platform.faults.trickle(0.4)                       # served, the body a byte each 0.4 s
    platform.faults.next(status=429, operation="Callouts", times=3)   # only for callouts

"Served" means the platform carries out the operation (a callout is placed, an update
applied) and only its answer goes wrong, as when the network fails after the platform
acted; a scripted answer (``next``) and a dropped connection carry nothing out. Every
request, with the fault it took, is in ``platform.requests``.
"""

from __future__ import annotations

import json
import math
import threading
import uuid
from collections.abc import Collection, Mapping
from typing import Any

import attrs

_NO_JSON: Any = object()  # ``json=None`` is the JSON ``null``; this is "no JSON given"


@attrs.frozen
class Fault:
    """One outcome the platform gives one request instead of its usual answer."""

    operation: str | None = None  # only requests for this operation (its operationId)
    path: str | None = None  # only requests for this path, as sent (percent-encoded)
    delay: float = 0.0  # seconds before the answer (or before closing, for a drop)
    status: int | None = None  # a scripted answer; None: the platform's own
    headers: tuple[tuple[str, str], ...] = ()  # of a scripted answer
    body: bytes = b""  # of a scripted answer
    drop: bool = False  # close the connection without an answer
    cut_after: int | None = None  # send this many bytes of the body, then close
    trickle: float | None = None  # seconds between the body's bytes

    @property
    def serves(self) -> bool:
        """Whether the platform carries out the operation before the fault applies."""
        return self.status is None and not self.drop

    def matches(self, operation: str, path: str) -> bool:
        return self.operation in (None, operation) and self.path in (None, path)


class Faults:
    """The faults still to come, in order; each is spent by the one request it applies to."""

    def __init__(self, operations: Collection[str]) -> None:
        self._operations = frozenset(operations)
        self._pending: list[Fault] = []
        self._lock = threading.Lock()

    # -- scripting ------------------------------------------------------------------------
    def next(
        self,
        status: int,
        *,
        json: Any = _NO_JSON,  # the answer's JSON body (named as in requests and httpx)
        body: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        retry_after: float | str | None = None,
        delay: float = 0.0,
        operation: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> Fault:
        """Answer with ``status`` instead of serving the request: with ``json`` (a JSON
        body), ``body`` (bytes or text, as given), or neither (a platform error body for a
        4xx or 5xx, no body otherwise); ``retry_after`` (seconds, or any text, such as an
        HTTP date) is sent as ``Retry-After``; ``delay`` seconds pass first."""
        if not isinstance(status, int) or not 100 <= status <= 599:
            raise ValueError(f"faults.next: status is an HTTP status, 100 to 599, not {status!r}")
        if json is not _NO_JSON and body is not None:
            raise ValueError("faults.next: give the answer's json or its body, not both")
        sent = dict(headers or {})
        if retry_after is not None:
            sent["Retry-After"] = (
                retry_after if isinstance(retry_after, str) else f"{retry_after:g}"
            )
        if json is not _NO_JSON:
            content = _dumps(json)
        elif body is not None:
            content = body.encode() if isinstance(body, str) else bytes(body)
        elif status >= 400:
            content = _dumps(_error_body(status))
        else:
            content = b""
        fault = Fault(
            operation, path, _seconds("delay", delay), status, tuple(sent.items()), content
        )
        return self.add(fault, times)

    def delay(
        self,
        seconds: float,
        *,
        operation: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> Fault:
        """Serve the request, and answer ``seconds`` late (a client's read timeout)."""
        return self.add(Fault(operation, path, delay=_seconds("delay", seconds)), times)

    def drop_connection(
        self,
        *,
        delay: float = 0.0,
        operation: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> Fault:
        """Close the connection without an answer, after the request arrived (and
        ``delay`` seconds): the client cannot know whether it was acted on."""
        fault = Fault(operation, path, delay=_seconds("delay", delay), drop=True)
        return self.add(fault, times)

    def break_off(
        self,
        after: int = 0,
        *,
        operation: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> Fault:
        """Serve the request, send the answer's status, headers and first ``after`` bytes
        of its body, then close the connection: an answer broken off on the way."""
        if not isinstance(after, int) or after < 0:
            raise ValueError(f"faults.break_off: after is a count of bytes, not {after!r}")
        return self.add(Fault(operation, path, cut_after=after), times)

    def trickle(
        self,
        seconds_per_byte: float,
        *,
        operation: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> Fault:
        """Serve the request, send the answer's status and headers, then its body one
        byte every ``seconds_per_byte``: a peer slow enough to outlast a deadline while
        never idle long enough for a read timeout."""
        seconds = _seconds("trickle", seconds_per_byte)
        return self.add(Fault(operation, path, trickle=seconds), times)

    def add(self, fault: Fault, times: int = 1) -> Fault:
        """Queue ``fault`` for the next ``times`` requests it matches; returns it."""
        if fault.operation is not None and fault.operation not in self._operations:
            known = ", ".join(sorted(self._operations))
            raise ValueError(
                f"faults: no operation {fault.operation!r} on this platform; known: {known}"
            )
        if fault.path is not None and not fault.path.startswith("/"):
            raise ValueError(f"faults: a path starts with '/', as sent: not {fault.path!r}")
        if not isinstance(times, int) or times < 1:
            raise ValueError(f"faults: times is a count of requests, 1 or more, not {times!r}")
        with self._lock:
            self._pending.extend([fault] * times)
        return fault

    # -- reading and clearing ---------------------------------------------------------------
    @property
    def pending(self) -> tuple[Fault, ...]:
        """The faults not yet spent, in order."""
        with self._lock:
            return tuple(self._pending)

    def clear(self) -> None:
        """Forget every pending fault."""
        with self._lock:
            self._pending.clear()

    def take(self, operation: str, path: str) -> Fault | None:
        """The first pending fault for this request, now spent (the platform's side)."""
        with self._lock:
            for index, fault in enumerate(self._pending):
                if fault.matches(operation, path):
                    return self._pending.pop(index)
        return None


def _seconds(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"faults: {name} is a number of seconds, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"faults: {name} is a finite number of seconds, 0 or more, not {value}")
    return float(value)


def _dumps(document: Any) -> bytes:
    return json.dumps(document).encode()


def _error_body(status: int) -> dict[str, Any]:
    return {
        "errorCode": status * 100,
        "message": f"HTTP {status}, injected by the test's faults",
        "reference": uuid.uuid4().hex,
    }
