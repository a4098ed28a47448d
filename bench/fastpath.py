"""What the msgspec fast path buys, in one run: ``python -m bench.fastpath``.

The parse ICE and webhook-cycle cases (as ``bench.revisions`` writes them) sampled in
turn with ``sinch_voice._fast.ENABLED`` on and off; the ratio is on / off.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .revisions import cases, compare


def switched(run: Callable[[], Any], enabled: bool) -> Callable[[], Any]:
    from sinch_voice import _fast

    def call() -> Any:
        _fast.ENABLED = enabled
        return run()

    return call


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fastpath", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=21)
    args = parser.parse_args()
    found = {k: v for k, v in cases("sinch_voice").items() if k in ("parse ICE", "webhook cycle")}
    off = {name: switched(run, False) for name, run in found.items()}
    on = {name: switched(run, True) for name, run in found.items()}
    compare(off, on, ("usual", "msgspec"), args.rounds, args.samples)


if __name__ == "__main__":
    main()
