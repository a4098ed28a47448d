"""The ``sinch_platform`` fixture (registered through the ``pytest11`` entry point).

    def test_welcome(sinch_platform):
        call = sinch_platform.call(app=my_app, press=["1"])
        call.assert_heard("Welcome")
        call.assert_ended(reason="CALLEEHANGUP")

The platform runs on loopback for the test; ``sinch_platform.url`` is its base URL, its
one application is ``sinch_platform.key`` / ``sinch_platform.secret``. The assertions of
a ``Transcript`` print the whole call when they fail.
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
