"""The ``sinch_platform`` fixture (registered through the ``pytest11`` entry point).

    @pytest.mark.sinch_platform(applications={"my-key": "bXktc2VjcmV0"})
    def test_welcome(sinch_platform):
        call = sinch_platform.call(app=my_app, press=["1"])
        call.assert_heard("Welcome")
        call.assert_ended(reason="CALLEEHANGUP")

The platform runs on loopback for the test; ``sinch_platform.url`` is its base URL. Its
applications are, in order of precedence:

- the test's ``sinch_platform`` marker: ``@pytest.mark.sinch_platform(applications=...)``
  (it takes ``LocalPlatform``'s keywords: ``hold``, ``callees``, ``callback_path`` too);
- the ``sinch_applications`` ini option, one ``KEY:SECRET`` a line, for the whole suite;
- otherwise one application, key ``local-application-key``, secret ``bG9jYWwtc2VjcmV0``
  (``DEFAULT_APPLICATION``).

Sign your app's ``Dispatcher`` with one of them: a callback the app refuses (401) says
in the transcript which key the platform signed with. ``sinch_platform.key`` and
``sinch_platform.secret`` are the first application's. The assertions of a
``Transcript`` print the whole call when they fail. ``sinch_platform.faults`` scripts
failures for a test of your retry handling:

    def test_a_busy_platform_is_retried(sinch_platform):
        sinch_platform.faults.next(status=503, retry_after=1, operation="Callouts")
        my_code_that_places_a_call(base_url=sinch_platform.url)
        assert [r["status"] for r in sinch_platform.requests] == [503, 200]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .platform import DEFAULT_APPLICATION, LocalPlatform

INI_OPTION = "sinch_applications"
MARKER = "sinch_platform"


class TestPlatform(LocalPlatform):
    """A ``LocalPlatform`` with its first application's credentials at hand."""

    __test__ = False  # not a test class, for pytest

    @property
    def key(self) -> str:
        """The first application's key."""
        return next(iter(self.applications))

    @property
    def secret(self) -> str:
        """The first application's secret (base64, as given)."""
        return self.applications[self.key].text


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        INI_OPTION,
        type="linelist",
        default=[],
        help="applications of the sinch_platform fixture, one KEY:SECRET a line "
        f"(default {DEFAULT_APPLICATION[0]}:{DEFAULT_APPLICATION[1]})",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(applications=None, **options): the sinch_platform fixture's "
        "applications ({key: secret}) and other LocalPlatform keywords, for this test",
    )


def _from_ini(config: pytest.Config) -> dict[str, str]:
    applications = {}
    for line in config.getini(INI_OPTION):
        key, sep, secret = line.partition(":")
        if not sep or not key.strip() or not secret.strip():
            raise pytest.UsageError(f"{INI_OPTION}: expected KEY:SECRET, not {line!r}")
        applications[key.strip()] = secret.strip()
    return applications


@pytest.fixture
def sinch_platform(request: pytest.FixtureRequest) -> Iterator[TestPlatform]:
    """A local Sinch platform for one test (see the module for its applications)."""
    options: dict[str, Any] = {}
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} takes keywords only: applications={{key: secret}}, "
                "hold=, callees=, callback_path="
            )
        options = dict(marker.kwargs)
    applications = options.pop("applications", None) or _from_ini(request.config)
    with TestPlatform(applications or dict([DEFAULT_APPLICATION]), **options) as platform:
        yield platform
