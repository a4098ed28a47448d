"""Errors as typed exceptions, TLS, threads, and secrets kept out of sight; the errors
scripted with the local platform's faults."""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sinch_voice as sv
import trustme
from sinch_voice.testing import LocalPlatform

from .conftest import KEY, SECRET, Sleeps, received

Make = Callable[..., sv.VoiceClient]


@pytest.mark.parametrize(
    ("answer", "error_code", "message", "reference"),
    [
        (
            {"json": {"errorCode": 40003, "message": "Request data missing", "reference": "r-1"}},
            "40003",
            "Request data missing",
            "r-1",
        ),
        (
            {"json": {"errorCode": "40400", "message": "Call not found"}},
            "40400",
            "Call not found",
            None,
        ),
        (
            {"json": {"type": "https://errors.test/bad", "title": "Bad", "detail": "The detail"}},
            "https://errors.test/bad",
            "The detail",
            None,
        ),
        ({"body": "<html>Bad Gateway</html>"}, None, "<html>Bad Gateway</html>", None),
        ({"body": '{"errorCode": 40'}, None, '{"errorCode": 40', None),
        ({"body": ""}, None, "", None),
        ({"json": [1, 2]}, None, "[1, 2]", None),
    ],
)
def test_error_bodies_of_every_shape_give_a_typed_error(
    make_client: Make,
    platform: LocalPlatform,
    answer: dict[str, Any],
    error_code: str | None,
    message: str,
    reference: str | None,
) -> None:
    platform.faults.next(status=404, **answer)
    with pytest.raises(sv.NotFoundError) as caught:
        make_client().calls.get("c1")
    error = caught.value
    assert error.status_code == 404
    assert error.error_code == error_code
    assert error.message == message
    assert error.reference == reference
    assert isinstance(error.body, bytes)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, sv.BadRequestError),
        (401, sv.UnauthorizedError),
        (402, sv.PaymentRequiredError),
        (403, sv.ForbiddenError),
        (409, sv.ConflictError),
        (422, sv.UnprocessableEntityError),
        (500, sv.ServerError),
        (418, sv.ApiStatusError),
    ],
)
def test_one_error_class_per_status(
    make_client: Make, platform: LocalPlatform, status: int, cls: type
) -> None:
    platform.faults.next(status=status, json={})
    with pytest.raises(cls):
        make_client(max_retries=0).calls.get("c1")


def test_redirects_are_not_followed(make_client: Make, platform: LocalPlatform) -> None:
    platform.faults.next(status=302, headers={"Location": "http://127.0.0.1:9/elsewhere"})
    with pytest.raises(sv.ApiStatusError) as caught:
        make_client().calls.get("c1")
    assert caught.value.status_code == 302
    assert len(platform.requests) == 1


def test_plain_http_is_refused_unless_allowed() -> None:
    with pytest.raises(sv.ConfigurationError, match="refusing plain http://"):
        sv.VoiceClient(KEY, SECRET, base_url="http://127.0.0.1:1")
    with pytest.raises(sv.ConfigurationError, match="refusing plain http://"):
        sv.VoiceClient(KEY, SECRET).for_call(
            "http://calling-euc1.api.sinch.com/calling/v1/calls/id/x"
        )


def test_an_invalid_secret_is_refused_when_the_client_is_built() -> None:
    with pytest.raises(sv.ConfigurationError, match="not valid base64") as caught:
        sv.VoiceClient(KEY, "this is not base64")
    assert "this is not base64" not in str(caught.value)


def test_one_client_from_twenty_threads_never_crosses_headers(
    make_client: Make, platform: LocalPlatform
) -> None:
    client = make_client()
    for worker in range(20):
        for round_ in range(5):
            platform.add_call(f"call-{worker}-{round_}")
    failures: list[str] = []

    def work(worker: int) -> None:
        for round_ in range(5):
            call_id = f"call-{worker}-{round_}"
            if client.calls.get(call_id).call_id != call_id:
                failures.append(call_id)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log = received(platform)
    assert failures == []
    assert len(log) == 100
    assert {r["auth"] for r in log} == {"signed ok"}


@pytest.fixture(scope="module")
def tls_platform(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LocalPlatform, Path]]:
    folder = tmp_path_factory.mktemp("tls")
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    certificate.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(folder / "server.pem"))
    with LocalPlatform({KEY: SECRET}, ssl_context=context) as platform:
        platform.add_call("c1")
        yield platform, folder / "ca.pem"


def test_a_self_signed_server_is_refused_by_default(
    tls_platform: tuple[LocalPlatform, Path], sleeps: Sleeps, new_client: Make
) -> None:
    platform, _ca = tls_platform
    platform.requests.clear()
    with (
        new_client(KEY, SECRET, base_url=platform.url, sleep=sleeps) as client,
        pytest.raises(sv.ApiConnectionError, match="TLS failed") as caught,
    ):
        client.calls.get("c1")
    assert sleeps == []  # a certificate that does not verify is not retried
    assert caught.value.tls is True  # told apart by an attribute, not by the message
    assert caught.value.request_may_have_been_sent is False


def test_a_custom_ca_is_accepted(
    tls_platform: tuple[LocalPlatform, Path], new_client: Make
) -> None:
    platform, ca = tls_platform
    platform.requests.clear()
    with new_client(KEY, SECRET, base_url=platform.url, ca_certs=str(ca)) as client:
        assert client.calls.get("c1").call_id == "c1"
    assert received(platform)[0]["auth"] == "signed ok"


def test_secrets_never_reach_logs_reprs_or_errors(
    make_client: Make, platform: LocalPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    platform.faults.next(status=500, json={"errorCode": 50000})
    platform.faults.next(status=401, json={})
    caught: list[BaseException] = []
    with caplog.at_level(logging.DEBUG):
        for auth in ("signed", "basic"):
            client = make_client(auth=auth, max_retries=1)
            try:
                client.calls.get("c1")
            except sv.SinchVoiceError as error:
                caught.append(error)
            caught_repr = repr(client) + repr(client._transport)
    sent = [r["headers"] for r in received(platform)]
    secrets = {SECRET, SECRET.rstrip("=")}
    for headers in sent:
        # whatever the case of the header name, its value never shows
        value = next(v for k, v in headers.items() if k.lower() == "authorization")
        secrets.add(value)
        secrets.add(value.split(":")[-1])
    shown = caplog.text + caught_repr + "".join(f"{e!s}{e!r}" for e in caught)
    assert caplog.records  # the client did log at DEBUG
    for secret in secrets:
        assert secret not in shown
