"""The retry rule as a table, without a server (``_http.decide``); the loopback tests in
``test_retries.py`` check the same rule on the wire."""

from __future__ import annotations

import pytest
from sinch_voice._retry import Decision, RetryPolicy, decide

POLICY = RetryPolicy(max_retries=2, rng=lambda: 1.0)  # delay(n) = 0.5 * 2 ** (n - 1)

# method, attempt, outcome (status or failure), Retry-After seconds -> decision
TABLE = [
    # nothing reached the server: any method, with backoff
    ("POST", 1, "no connection", None, Decision(True, 0.5)),
    ("GET", 2, "no connection", None, Decision(True, 1.0)),
    ("POST", 3, "no connection", None, Decision(False)),  # retries used up
    # it may have reached the server: only idempotent methods go again
    ("GET", 1, "read timeout", None, Decision(True, 0.5)),
    ("PUT", 1, "connection failed", None, Decision(True, 0.5)),
    ("DELETE", 1, "read timeout", None, Decision(True, 0.5)),
    ("POST", 1, "read timeout", None, Decision(False)),
    ("PATCH", 1, "connection failed", None, Decision(False)),
    # a certificate that does not verify will not verify next time
    ("GET", 1, "tls", None, Decision(False)),
    # 429: not acted on, any method; Retry-After wins over backoff up to a minute
    ("POST", 1, 429, None, Decision(True, 0.5)),
    ("POST", 1, 429, 3.0, Decision(True, 3.0)),
    ("GET", 1, 429, 60.0, Decision(True, 60.0)),
    ("GET", 1, 429, 61.0, Decision(False)),
    ("GET", 3, 429, 1.0, Decision(False)),
    # 5xx: idempotent methods only
    ("GET", 1, 503, None, Decision(True, 0.5)),
    ("GET", 2, 500, 2.0, Decision(True, 2.0)),
    ("POST", 1, 503, None, Decision(False)),
    ("PATCH", 1, 502, None, Decision(False)),
    # other statuses are answers, not accidents
    ("GET", 1, 400, None, Decision(False)),
    ("GET", 1, 404, 1.0, Decision(False)),
    ("GET", 1, 409, None, Decision(False)),
]


@pytest.mark.parametrize(("method", "attempt", "outcome", "retry_after", "expected"), TABLE)
def test_the_retry_rule(
    method: str, attempt: int, outcome: int | str, retry_after: float | None, expected: Decision
) -> None:
    if isinstance(outcome, int):
        got = decide(method, attempt, POLICY, status=outcome, retry_after=retry_after)
    else:
        got = decide(method, attempt, POLICY, failure=outcome, retry_after=retry_after)
    assert got == expected


def test_no_retries_means_one_attempt() -> None:
    none = RetryPolicy(max_retries=0)
    assert decide("GET", 1, none, failure="no connection") == Decision(False)
    assert decide("GET", 1, none, status=503) == Decision(False)
