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

    for epoch in (0.0, 1411556381.0, 1714564800.123, 1714564800.9999, 4102444799.5):
        moment = datetime.fromtimestamp(epoch, timezone.utc)
        assert timestamp_at(epoch) == moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        assert timestamp_at(epoch) == timestamp_now(moment)


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
