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


def sample(
    candidates: Mapping[str, Callable[[], Any]], samples: int = 21, budget: float = 0.01
) -> dict[str, list[float]]:
    """Seconds per call of each candidate, one sample of each in turn, ``samples`` times."""
    loops = {name: calibrate(fn, budget) for name, fn in candidates.items()}
    timings: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(samples):
        for name, function in candidates.items():
            count = loops[name]
            start = time.perf_counter()
            for _ in range(count):
                function()
            timings[name].append((time.perf_counter() - start) / count)
    return timings


def compare(candidates: Mapping[str, Callable[[], Any]], samples: int = 21) -> dict[str, float]:
    """Median seconds per call of each candidate, sampled in turn so drift hits all alike."""
    return {name: statistics.median(values) for name, values in sample(candidates, samples).items()}


def paired_ratio(first: list[float], second: list[float]) -> float:
    """The median of sample-by-sample ratios: samples taken side by side share the drift."""
    return statistics.median(a / b for a, b in zip(first, second, strict=True))


def round_summaries(latency: list[dict[str, list[float]]], floor: str) -> list[dict[str, Any]]:
    """Each latency round's medians and the SDK's paired ratios: ``paired_ratio`` against
    ``floor``, ``paired_ratio_<name>`` against each other yardstick."""
    summaries = []
    for timings in latency:
        summary: dict[str, Any] = {
            "median_s": {name: statistics.median(v) for name, v in timings.items()},
            "paired_ratio": paired_ratio(timings["sinch_voice"], timings[floor]),
        }
        for name in timings:
            if name not in ("sinch_voice", floor):
                summary[f"paired_ratio_{name}"] = paired_ratio(
                    timings["sinch_voice"], timings[name]
                )
        summaries.append(summary)
    return summaries
