"""The ``UNSET`` sentinel: a property that is absent, as opposed to one that is null.

Test for it with ``value is UNSET`` or ``value is not UNSET``. It is not a value: it has
no attributes, so reading through it (``event.menu_result.value`` when the callback had
no ``menuResult``) raises at once instead of giving a string such as ``"UNSET"``. Type
checkers see it as a PEP 661 sentinel, so ``mypy --strict`` rejects that read unless the
code checked ``is not UNSET`` first; the runtime class below needs nothing but Python.
"""

from __future__ import annotations

import dis
import sys
from typing import TYPE_CHECKING, Literal, NoReturn, TypeAlias

if TYPE_CHECKING:
    from typing_extensions import Sentinel

    UNSET = Sentinel("UNSET")
    Unset: TypeAlias = UNSET
else:

    class Unset:
        """The type of ``UNSET``; there is one instance."""

        __slots__ = ()
        _instance: Unset | None = None

        def __new__(cls) -> Unset:
            if cls._instance is None:
                cls._instance = super().__new__(cls)
            return cls._instance

        def __bool__(self) -> Literal[False]:
            return False

        def __repr__(self) -> str:
            return "UNSET"

        def __reduce__(self) -> str:
            return "UNSET"  # pickles as the module's UNSET: still the one instance

        def __getattr__(self, name: str) -> NoReturn:
            absent = _read_from(sys._getframe(1))
            where = f"{absent!r} is absent (UNSET)" if absent else "this property is absent"
            raise AttributeError(
                f"{where}: it has no {name!r}; check `is not UNSET` before reading through it"
            )

    UNSET = Unset()


def _read_from(frame: object) -> str | None:
    """The attribute the caller read to get UNSET (``menu_result`` in ``e.menu_result.x``).

    Only used to word an error; any doubt gives None.
    """
    try:
        code = frame.f_code  # type: ignore[attr-defined]
        last = frame.f_lasti  # type: ignore[attr-defined]
        previous = None
        for instruction in dis.get_instructions(code):
            if instruction.offset >= last:
                break
            if instruction.opname not in ("CACHE", "EXTENDED_ARG", "NOP"):
                previous = instruction
        if previous is not None and previous.opname in ("LOAD_ATTR", "LOAD_METHOD"):
            return str(previous.argval)
    except Exception:  # noqa: S110 - wording only; never hide the real error
        pass
    return None
