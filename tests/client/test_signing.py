"""The signature, against vectors recomputed independently."""

from __future__ import annotations

import base64
import pickle

import pytest
from sinch_voice import ConfigurationError
from sinch_voice.signing import (
    Secret,
    SignatureError,
    content_md5,
    sign,
    signed_headers,
    string_to_sign,
    verify,
)

ACE_BODY = (
    b'{"event":"ace","callid":"822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257",'
    b'"timestamp":"2014-09-24T10:59:41Z","version":1}'
)


def test_callback_vector() -> None:
    secret = Secret("BeIukql3pTKJ8RGL5zo0DA==")
    assert content_md5(ACE_BODY) == "REWF+X220L4/Gw1spXOU7g=="
    signature = sign(
        secret, "POST", ACE_BODY, "application/json", "2014-09-24T10:59:41Z", "/sinch/callback/ace"
    )
    assert signature == "Tg6fMyo8mj9pYfWQ9ssbx3Tc1BNC87IEygAfLbJqZb4="


def test_callout_vector() -> None:
    secret = Secret("JViE5vDor0Sw3WllZka15Q==")
    signature = sign(
        secret,
        "POST",
        b'{"message":"Hello world"}',
        "application/json",
        "2014-06-04T13:41:58Z",
        "/calling/v1/callouts",
    )
    assert signature == "aS9fG2smJx6MIhPJDSNiaDQ1D3+e493HuL+VVA9pqyM="


def test_bodyless_get_vector() -> None:
    secret = Secret(base64.b64encode(b"my-key-secret").decode())
    signature = sign(
        secret, "GET", None, "application/json", "2023-11-22T09:10:11.999Z", "/path/pathParamValue"
    )
    assert signature == "nsrLDvP6KVD/dAxb3IfAncdwjPFJVWSrseEFOcZge+A="


def test_string_to_sign_layout() -> None:
    assert string_to_sign("get", None, "", "T", "/p") == "GET\n\n\nx-timestamp:T\n/p"


@pytest.mark.parametrize("bad", ["not base64!!", "", "   ", "abc"])
def test_a_secret_that_is_not_base64_is_refused_without_echoing_it(bad: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Secret(bad)
    if bad.strip():
        assert bad not in str(caught.value)


def test_a_secret_never_shows_itself() -> None:
    secret = Secret("BeIukql3pTKJ8RGL5zo0DA==")
    assert "BeIukql3" not in repr(secret)
    assert "BeIukql3" not in str(secret)
    assert "BeIukql3" not in f"{secret}"
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(secret)


def test_the_fast_timestamp_matches_the_datetime_one() -> None:
    from datetime import datetime, timezone

    from sinch_voice.signing import timestamp_at, timestamp_now

    # the text of the last second is reused: moments in one second, then back and forth
    moments = (0.0, 1411556381.0, 1714564800.123, 1714564800.5, 1714564800.9999)
    for epoch in (*moments, 1714564801.25, 1714564800.001, 0.0005, 4102444799.5):
        moment = datetime.fromtimestamp(epoch, timezone.utc)
        assert timestamp_at(epoch) == moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        assert timestamp_at(epoch) == timestamp_now(moment)


def test_the_cached_second_never_leaks_into_another_moment() -> None:
    """Moments in a shuffled order, many sharing a second, many half a microsecond from
    the next millisecond: each stamp is the datetime one."""
    import random
    from datetime import datetime, timezone

    from sinch_voice.signing import timestamp_at

    rng = random.Random(7)  # noqa: S311 (moments to test, not secrets)
    seconds = [rng.randrange(0, 4_102_444_800) for _ in range(40)]
    edges = (0.0, 0.0004999, 0.0005, 0.9994999, 0.9995, 0.9999995, 0.123)
    moments = [s + rng.choice(edges) for s in seconds for _ in range(50)]
    rng.shuffle(moments)
    for epoch in moments:
        moment = datetime.fromtimestamp(epoch, timezone.utc)
        assert timestamp_at(epoch) == moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", epoch


def test_signed_headers_verify_and_name_the_application() -> None:
    body = b'{"event":"ace"}'
    headers = signed_headers(
        "key-1", "BeIukql3pTKJ8RGL5zo0DA==", "POST", "/cb", body, timestamp="2024-05-01T12:00:00Z"
    )
    assert set(headers) == {"x-timestamp", "Content-Type", "Authorization"}
    secrets = {"key-1": ["bm90IGl0", "BeIukql3pTKJ8RGL5zo0DA=="]}  # a rotation: old, new
    now = 1714564800.0
    assert verify(secrets, "POST", "/cb", headers, body, now=now) == "key-1"
    # the same message for every failure; nothing of the request in it
    failures = [
        ({**headers, "Authorization": headers["Authorization"][:-4] + "AAA="}, body, now),
        (headers, body + b" ", now),
        (headers, body, now + 301),
        (headers, body, now - 301),
        ({k: v for k, v in headers.items() if k != "x-timestamp"}, body, now),
        ({**headers, "Authorization": "Basic a2V5OnNlY3JldA=="}, body, now),
    ]
    for sent, content, moment in failures:
        with pytest.raises(SignatureError) as caught:
            verify(secrets, "POST", "/cb", sent, content, now=moment)
        assert str(caught.value) == "the request's signature does not verify"
    with pytest.raises(SignatureError):
        verify({"other": "BeIukql3pTKJ8RGL5zo0DA=="}, "POST", "/cb", headers, body, now=now)


def test_a_request_without_a_body_is_signed_without_a_content_type() -> None:
    headers = signed_headers("k", "BeIukql3pTKJ8RGL5zo0DA==", "GET", "/x", None, timestamp="t")
    assert "Content-Type" not in headers
    signature = sign(Secret("BeIukql3pTKJ8RGL5zo0DA=="), "GET", None, "", "t", "/x")
    assert headers["Authorization"] == f"Application k:{signature}"


@pytest.mark.parametrize("length", [1, 16, 63, 64, 65, 200])  # around SHA-256's 64-byte block
def test_the_signature_is_hmac_sha256_for_any_key_length(length: int) -> None:
    import hashlib
    import hmac

    key = bytes(range(256))[:length]
    secret = Secret(base64.b64encode(key).decode())
    for message in (b"", b"POST\n\n\nx-timestamp:t\n/p", bytes(range(256)) * 3):
        expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest())
        assert secret._signature(message) == expected
        assert secret._signature(message) == expected  # the keyed states are copied, not used


# Basic authentication: the expected header written without our code (RFC 7617's example
# form: "Basic " + base64 of "user:password")
KEY = "669E367E-6BBA-48AB-AF15-266871C28135"
SECRET_TEXT = "BeIukql3pTKJ8RGL5zo0DA=="
BASIC = "Basic NjY5RTM2N0UtNkJCQS00OEFCLUFGMTUtMjY2ODcxQzI4MTM1OkJlSXVrcWwzcFRLSjhSR0w1em8wREE9PQ=="


def test_the_basic_header_value() -> None:
    from sinch_voice.signing import basic_authorization

    assert basic_authorization(KEY, SECRET_TEXT) == BASIC
    assert basic_authorization(KEY, Secret(SECRET_TEXT)) == BASIC
    assert basic_authorization(KEY, f"  {SECRET_TEXT}\n") == BASIC  # as a Secret takes it


def test_basic_credentials_are_checked_without_showing_them() -> None:
    from sinch_voice.signing import check_basic

    rotated = {KEY: ["bm90IGl0", SECRET_TEXT], "other": Secret("bm90IGl0")}
    assert check_basic(rotated, BASIC) == KEY
    assert check_basic({KEY: Secret(SECRET_TEXT)}, "basic " + BASIC[6:]) == KEY
    wrong = [
        "Basic " + base64.b64encode(f"{KEY}:bm90IGl0X2VpdGhlcg==".encode()).decode(),
        "Basic " + base64.b64encode(f"unknown:{SECRET_TEXT}".encode()).decode(),
        "Basic " + base64.b64encode(SECRET_TEXT.encode()).decode(),  # no ':'
        "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),  # not UTF-8
        "Basic not base64!",
        "Application " + KEY + ":sig",
        "",
    ]
    for value in wrong:
        with pytest.raises(SignatureError) as caught:
            check_basic(rotated, value)
        assert str(caught.value) == "the request's Basic credentials do not verify"
        assert caught.value.__cause__ is None
        assert caught.value.__context__ is None


def test_the_reason_for_the_log_never_holds_the_password() -> None:
    from sinch_voice.signing import _basic_failure

    secrets = {KEY: [Secret(SECRET_TEXT)]}
    guess = "Basic " + base64.b64encode(f"{KEY}:hunter2-guess".encode()).decode()
    reason = _basic_failure(secrets.get, guess)
    assert reason == f"wrong Basic credentials for application {KEY!r}"
    assert "hunter2" not in (_basic_failure(secrets.get, "Basic " + guess[6:-2]) or "")
    assert _basic_failure(secrets.get, BASIC) is None


def test_the_local_platform_reads_the_signature_where_the_spec_puts_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sinch_voice.client import VoiceClient
    from sinch_voice.signing import basic_authorization
    from sinch_voice.testing.platform import LocalPlatform, PlatformError

    assert VoiceClient.SIGNED_HEADER == "Authorization"  # the overlay's correction
    monkeypatch.setattr(VoiceClient, "SIGNED_HEADER", "X-Other-Signature")
    body, path = b'{"a":1}', "/calling/v1/callouts"
    with LocalPlatform({KEY: SECRET_TEXT}, tolerance=10**10) as platform:

        def authenticate(headers: dict[str, str]) -> str:
            lowered = {name.lower(): value for name, value in headers.items()}
            return platform.authenticate("POST", path, lowered, body)

        moved = signed_headers(KEY, SECRET_TEXT, "POST", path, body, header="X-Other-Signature")
        assert authenticate(moved) == KEY
        with pytest.raises(PlatformError) as caught:
            authenticate(signed_headers(KEY, SECRET_TEXT, "POST", path, body))
        assert caught.value.status == 401
        assert authenticate({"Authorization": basic_authorization(KEY, SECRET_TEXT)}) == KEY
        with pytest.raises(PlatformError) as caught:
            authenticate({"Authorization": basic_authorization(KEY, "bm9wZQ==")})
        assert caught.value.body["message"] == "wrong or unreadable Basic credentials"
