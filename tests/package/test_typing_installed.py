"""What ``mypy --strict`` sees of the package as users install it (the wheel, in a fresh
venv, found through PEP 561 rather than ``MYPYPATH``): the attrs plugin reads the enum
converters, so a constructor takes the member or a documented string and the attribute
reads back as the enum."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .test_packaging import distributions, install_in_a_fresh_venv

__all__ = ["distributions"]  # the fixture, shared with the packaging tests

USER = """
import sinch_voice as sv
from sinch_voice.svaml import ice_response

number = sv.Destination(type="number", endpoint="+46700000000")
reveal_type(number.type)
reveal_type(sv.SvamlActionConnectSip(destination=sv.SipDestination(endpoint="e")).transport)
sv.Destination(type="nubmer", endpoint="+46700000000")
sv.CustomCalloutRequest(destination=number, ice=ice_response().hangup())
sv.VoiceClient("key", "BeIukql3pTKJ8RGL5zo0DA==", region="eu")
"""


@pytest.mark.slow
def test_mypy_sees_the_widened_parameters_and_the_narrow_attributes(
    distributions: Path,  # the fixture imported above
    tmp_path: Path,
) -> None:
    python = install_in_a_fresh_venv(distributions, tmp_path / "venv")
    user = tmp_path / "user.py"
    user.write_text(textwrap.dedent(USER), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            str(python),
            str(user),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    lines = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if ": " in line]
    assert lines[:2] == [
        'note: Revealed type is "sinch_voice.models.DestinationType"',
        'note: Revealed type is "sinch_voice.models.SipTransport | UNSET"',
    ], result.stdout
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 2, result.stdout
    assert "Literal['nubmer']" in errors[0]
    assert "'number', 'Number', 'username'" in errors[0]  # the documented spellings
    assert 'Argument "region" to "VoiceClient"' in errors[1]
