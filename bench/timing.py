"""Timing: interleaved samples, medians, and ratios measured in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from typing import Any


def calibrate(function: Callable[[], Any], budget: float = 0.01) -> int:
    """How many calls make one sample last about ``budget`` seconds."""
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            function()
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 4 or loops >= 1 << 22:
            return max(1, int(loops * budget / max(elapsed, 1e-9)))
        loops *= 4


def compare(candidates: Mapping[str, Callable[[], Any]], samples: int = 21) -> dict[str, float]:
    """Median seconds per call of each candidate, sampled in turn so drift hits all alike."""
    loops = {name: calibrate(fn) for name, fn in candidates.items()}
    timings: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(samples):
        for name, function in candidates.items():
            count = loops[name]
            start = time.perf_counter()
            for _ in range(count):
                function()
            timings[name].append((time.perf_counter() - start) / count)
    return {name: statistics.median(values) for name, values in timings.items()}
