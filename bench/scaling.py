"""How cost grows with size: long SVAML, many menus, large callbacks, unknown values.

Per-item costs are marginal: ``(t(n) - t(1)) / (n - 1)``, so the fixed cost of a call
does not flatter the small sizes; they are taken from samples taken side by side (all
sizes in turn), whose median is reported. Retained memory is what ``tracemalloc`` still counts
after a batch of parsed objects is kept alive, divided by the batch.
"""

from __future__ import annotations

import gc
import json
import statistics
import tracemalloc
from collections.abc import Callable
from typing import Any

from .serde import Candidate, pydantic_json, same_json
from .timing import compare, paired_ratio, sample

INSTRUCTIONS = (1, 10, 100, 1000)
MENUS = (1, 5, 10, 50)
CALLBACK_BYTES = (430, 16 << 10, 256 << 10, 1 << 20)


def svaml_document(instructions: int) -> dict[str, Any]:
    """A say instruction per item, then hangup."""
    return {
        "instructions": [
            {"name": "say", "text": f"Message number {i}", "locale": "en-US"}
            for i in range(instructions)
        ],
        "action": {"name": "hangup"},
    }


def menu_document(menus: int) -> dict[str, Any]:
    """runMenu with ``menus`` menus of ten options each (the first is ``main``)."""
    ids = ["main", *(f"menu{j}" for j in range(1, menus))]
    return {
        "action": {
            "name": "runMenu",
            "barge": True,
            "menus": [
                {
                    "id": menu_id,
                    "mainPrompt": f"#tts[This is menu {menu_id}]",
                    "options": [
                        {"dtmf": str(key), "action": f"return({menu_id}-{key})"}
                        for key in range(10)
                    ],
                }
                for menu_id in ids
            ],
        }
    }


def callback_document(ice: dict[str, Any], size: int) -> dict[str, Any]:
    """The spec's ICE example, its ``custom`` string grown until the JSON is ``size`` bytes
    (the smallest size is the example itself)."""
    base = len(json.dumps(ice).encode())
    if size <= base:
        return ice
    padding = size - base - len(', "custom": ""')
    return {**ice, "custom": "x" * padding}


def retained_bytes(parse: Callable[[], Any], count: int) -> float:
    """Bytes still allocated per object while ``count`` parsed objects are kept."""
    parse()  # first-use allocations (caches of the libraries) are not the objects' own
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [parse() for _ in range(count)]
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return (after - before) / count


def _checked(label: str, run: Candidate, write: Callable[[Any], Any], expected: Any) -> Candidate:
    if not same_json(write(run()), expected):
        raise AssertionError(f"{label} does not give back the document it read")
    return run


def run(yard: dict[str, Any], ice: dict[str, Any], samples: int, rounds: int) -> dict[str, Any]:
    import msgspec
    import sinch_voice as sv
    from sinch_voice.webhooks import parse_event

    pyd, msg = yard["yard_pydantic"], yard["yard_msgspec"]
    result: dict[str, Any] = {"instructions": {}, "menus": {}, "callbacks": {}}

    def svaml_candidates(document: dict[str, Any]) -> dict[str, Candidate]:
        raw = json.dumps(document).encode()
        return {
            "sinch_voice": _checked(
                "sinch_voice", lambda: sv.loads(raw, sv.Svaml), sv.dumps, document
            ),
            "pydantic": _checked(
                "pydantic",
                lambda: pyd.SVAMLRequestBody.model_validate_json(raw),
                pydantic_json,
                document,
            ),
        }

    for name, sizes, make in (
        ("instructions", INSTRUCTIONS, svaml_document),
        ("menus", MENUS, menu_document),
    ):
        # every size sampled in turn within one round: drift hits all sizes alike, so the
        # per-item costs, differences of timings, compare like with like
        timed = {
            f"{label}@{size}": run
            for size in sizes
            for label, run in svaml_candidates(make(size)).items()
        }
        # each round keeps its samples: per-item costs are taken sample by sample, from
        # timings taken side by side, before their median
        result[name] = [sample(timed, samples, budget=0.005) for _ in range(rounds)]

    for size in CALLBACK_BYTES:
        document = callback_document(ice, size)
        raw = json.dumps(document).encode()
        candidates = {
            "sinch_voice": _checked(
                "sinch_voice", lambda raw=raw: parse_event(raw), sv.dumps, document
            ),
            "pydantic": _checked(
                "pydantic",
                lambda raw=raw: pyd.IceRequest.model_validate_json(raw),
                pydantic_json,
                document,
            ),
            "msgspec": _checked(
                "msgspec",
                lambda raw=raw: msgspec.json.decode(raw, type=msg.IceRequest),
                msgspec.json.encode,
                document,
            ),
        }
        count = max(8, min(400, (4 << 20) // size))
        result["callbacks"][str(size)] = {
            "bytes": len(raw),
            "rounds": [compare(candidates, max(5, samples // 2)) for _ in range(rounds)],
            "retained_bytes": {
                label: retained_bytes(parse, count) for label, parse in candidates.items()
            },
        }
    result["unknown values"] = unknown_values(ice, samples, rounds)
    return result


def unknown_values(ice: dict[str, Any], samples: int, rounds: int) -> list[dict[str, float]]:
    """Reading an ICE whose open enum holds a value the SDK does not know, before and
    after ten thousand other unknown values went by: a cache that fills up would show.

    Each reading is sampled beside the same ICE with a known value, and the ratio of the
    two is compared before and after, so that the machine's drift between the two
    moments does not count."""
    import sinch_voice as sv

    unknown = json.dumps({**ice, "domain": "satellite"}).encode()
    known = json.dumps(ice).encode()
    pair = {
        "unknown": lambda: sv.loads(unknown, sv.IceRequest),
        "known": lambda: sv.loads(known, sv.IceRequest),
    }
    measured = []
    for _ in range(rounds):
        first = sample(pair, samples)
        for index in range(10_000):
            sv.loads(json.dumps({**ice, "domain": f"domain-{index}"}).encode(), sv.IceRequest)
        then = sample(pair, samples)
        measured.append(
            {
                "before": statistics.median(first["unknown"]),
                "after": statistics.median(then["unknown"]),
                "growth": paired_ratio(then["unknown"], then["known"])
                / paired_ratio(first["unknown"], first["known"]),
            }
        )
    return measured
