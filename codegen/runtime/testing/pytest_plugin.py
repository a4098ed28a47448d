"""The ``sinch_platform`` fixture (registered through the ``pytest11`` entry point).

    def test_welcome(sinch_platform):
        call = sinch_platform.call(app=my_app, press=["1"])
        call.assert_heard("Welcome")
        call.assert_ended(reason="CALLEEHANGUP")

The platform runs on loopback for the test; ``sinch_platform.url`` is its base URL, its
one application is ``sinch_platform.key`` / ``sinch_platform.secret``. The assertions of
a ``Transcript`` print the whole call when they fail. ``sinch_platform.faults`` scripts
failures for a test of your retry handling:

    def test_a_busy_platform_is_retried(sinch_platform):
        sinch_platform.faults.next(status=503, retry_after=1, operation="Callouts")
        my_code_that_places_a_call(base_url=sinch_platform.url)
        assert [r["status"] for r in sinch_platform.requests] == [503, 200]
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .platform import DEFAULT_APPLICATION, LocalPlatform


class TestPlatform(LocalPlatform):
    """A ``LocalPlatform`` with one application, and its credentials at hand."""

    __test__ = False  # not a test class, for pytest

    key, secret = DEFAULT_APPLICATION


@pytest.fixture
def sinch_platform() -> Iterator[TestPlatform]:
    """A local Sinch platform for one test."""
    with TestPlatform({TestPlatform.key: TestPlatform.secret}) as platform:
        yield platform
