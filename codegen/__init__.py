"""The sinch-voice generator: spec (+ overlay) -> IR -> the ``sinch_voice`` package."""

__version__ = "0.2.0"
