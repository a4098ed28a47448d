"""Logging without code: ``SINCH_VOICE_LOG=debug`` (or ``info``) prints the client's log.

The package logs under ``sinch_voice`` (``sinch_voice.client`` for API calls,
``sinch_voice.webhooks`` for callbacks) and, like any library, adds no handler of its
own: the application decides where records go. The environment variable is the way in
when there is no code to change: the first client made adds one handler to
``sinch_voice`` at that level, writing to stderr. No level prints a secret.
"""

from __future__ import annotations

import logging
import os
import threading

__all__ = ["ENVIRONMENT_VARIABLE", "configure_from_environment"]

ENVIRONMENT_VARIABLE = "SINCH_VOICE_LOG"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_lock = threading.Lock()
_handler: logging.Handler | None = None


def configure_from_environment() -> None:
    """Add the handler ``SINCH_VOICE_LOG`` asks for, once; nothing when it is unset."""
    global _handler
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    if not value or _handler is not None:
        return
    if value not in LEVELS:
        from .errors import ConfigurationError

        raise ConfigurationError(
            f"{ENVIRONMENT_VARIABLE}={value!r} is not a level; use one of " + ", ".join(LEVELS)
        )
    with _lock:
        if _handler is not None:
            return
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        logger = logging.getLogger("sinch_voice")
        logger.addHandler(handler)
        logger.setLevel(LEVELS[value])
        _handler = handler
