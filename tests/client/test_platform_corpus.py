"""The corpus' request bodies sent through ``VoiceClient`` to the local platform arrive
meaning the same (it checks signature and spec, and keeps state: an operation on a call it
does not hold is a 404 after the body passed); its response bodies, scripted on the mock
platform, decode into equal models."""

from __future__ import annotations

import contextlib
import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform

from ..corpus import entries, payload
from ..wire import assert_same_data
from .conftest import KEY, SECRET, Platform
from .test_operations import only_request

Make = Callable[..., sv.VoiceClient]


def operation(client: sv.VoiceClient, entry: dict[str, Any]) -> Callable[..., Any]:
    group, method = entry["call"].split(".")
    function: Callable[..., Any] = getattr(getattr(client, group), method)
    return function


def call(function: Callable[..., Any], *args: Any) -> Any:
    with warnings.catch_warnings():  # query_number is deprecated, and says so
        warnings.simplefilter("ignore", DeprecationWarning)
        return function(*args)


@pytest.fixture(scope="module")
def local_platform() -> Iterator[LocalPlatform]:
    with LocalPlatform({KEY: SECRET}) as running:
        yield running


@pytest.mark.parametrize("entry", entries("request"))
def test_a_request_body_arrives_meaning_the_same(
    entry: dict[str, Any], local_platform: LocalPlatform
) -> None:
    data = payload(entry)
    body = sv.loads(data, getattr(sv, entry["model"]), strict=True)
    client = sv.VoiceClient(KEY, SECRET, base_url=local_platform.url, allow_http=True)
    # a call or conference the platform does not hold is a 404: after the body passed
    with contextlib.suppress(sv.NotFoundError, sv.ConflictError):
        call(operation(client, entry), *entry.get("args", []), body)
    record = local_platform.requests[-1]
    assert record["status"] not in (400, 401, 415), record
    assert_same_data(json.loads(record["body"]), json.loads(data))


@pytest.mark.parametrize("entry", [e for e in entries("response") if "call" in e.values[0]])
def test_a_response_body_decodes_into_its_model(
    entry: dict[str, Any], platform: Platform, make_client: Make
) -> None:
    data = payload(entry)
    platform.script({"status": 200, "raw": data.decode()})
    result = call(operation(make_client(), entry), *entry.get("args", []))
    assert result == sv.loads(data, getattr(sv, entry["model"]), strict=True)
    only_request(platform)
