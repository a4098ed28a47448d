"""``make bench``: everything side by side in one run; a table of medians and ratios.

Serde and the webhook cycle run here (orjson installed) and again in a subprocess with
orjson blocked; then the servers, the client, a handler under ASGI (sync and async),
import and generation time. The same figures go to ``bench/results/latest.json`` and
``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import async_client, pipeline, scaling, serde, servers, startup

REPO = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"

# each case's target, as ours over pydantic's (None: for information); with orjson
SERDE_TARGETS: dict[str, float | None] = {
    "parse ICE": 0.8,
    "render SVAML": 0.35,
    "parse SVAML": 0.8,
    "build SVAML": 0.3,
    "builder path": 1.0,
    "webhook cycle": 0.55,
}
SERVER_TARGETS: dict[str, tuple[str, float | None]] = {
    "gunicorn-sync dispatcher_wsgi": ("WSGI, gunicorn sync worker", 0.8),
    "gunicorn-gthread dispatcher_wsgi": ("WSGI, gunicorn gthread 1x4", None),
    "uvicorn-h11 dispatcher_asgi": ("ASGI, uvicorn h11 + asyncio", 0.8),
    "uvicorn-httptools dispatcher_asgi": ("ASGI, uvicorn httptools + uvloop", 0.7),
    "uvicorn-httptools dispatcher_asgi_sync": ("ASGI, httptools, sync handler in a thread", None),
}
IMPORT_TARGETS = {"import sinch_voice": 45.0, "import sinch_voice.webhooks (WSGI app)": 55.0}
LINEAR = 1.1  # per-item cost at the largest size over that at the small ones, at most

HEADER = [
    "benchmark",
    "sinch_voice",
    "pydantic",
    "msgspec",
    "json",
    "ratio",
    "spread",
    "target",
    "",
]


def us(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1e6:.2f}"


def row(
    name: str,
    ours: str,
    ratios: list[float],
    target: float | None,
    *,
    at_most: bool = True,
    yardsticks: tuple[str, str, str] = ("", "", ""),
    percent: bool = False,
) -> list[str]:
    """A table row: the median ratio of the rounds, their spread, and the verdict of the
    worst round (a target counts when the worst round meets it)."""
    shown = (lambda r: f"{r:.0%}") if percent else (lambda r: f"{r:.2f}x")
    middle = statistics.median(ratios)
    spread = f"{shown(min(ratios))}-{shown(max(ratios))}" if len(ratios) > 1 else ""
    if target is None:
        goal, verdict = "", "(info)"
    else:
        worst = max(ratios) if at_most else min(ratios)
        met = worst <= target if at_most else worst >= target
        goal = f"{'<=' if at_most else '>='} {shown(target)}"
        verdict = "met" if met else "MISSED"
    return [name, ours, *yardsticks, shown(middle), spread, goal, verdict]


def serde_rows(result: dict[str, Any]) -> list[list[str]]:
    rows = []
    mode = "with orjson" if result["orjson"] else "stdlib json"
    for case, data in result["cases"].items():
        rounds = data["rounds"]
        names = rounds[0]["median_s"]
        medians = {name: statistics.median(r["median_s"][name] for r in rounds) for name in names}
        ratios = [r["ratio"] for r in rounds]
        target = SERDE_TARGETS.get(case) if result["orjson"] else None
        yardsticks = (
            us(medians.get("pydantic")),
            us(medians.get("msgspec")) or "n/a",
            us(medians.get("json")) or "n/a",
        )
        rows.append(
            row(
                f"{case} ({mode}, us)",
                us(medians["sinch_voice"]),
                ratios,
                target,
                yardsticks=yardsticks,
            )
        )
    return rows


def marginal(samples: dict[str, list[float]], size: int, name: str) -> float:
    """Per-item seconds from one item to ``size`` items: the median over samples taken
    side by side, so that the machine's drift cancels out of each difference."""
    big, one = samples[f"{name}@{size}"], samples[f"{name}@1"]
    return statistics.median((b - o) / (size - 1) for b, o in zip(big, one, strict=True))


def scaling_rows(result: dict[str, Any]) -> list[list[str]]:
    rows = []
    for kind, sizes, largest, smaller in (
        ("instructions", scaling.INSTRUCTIONS, 1000, (10,)),
        ("menus", scaling.MENUS, 50, (5, 10)),
    ):
        rounds = result[kind]
        for size in sizes:
            ours = [statistics.median(r[f"sinch_voice@{size}"]) for r in rounds]
            theirs = [statistics.median(r[f"pydantic@{size}"]) for r in rounds]
            rows.append(
                row(
                    f"parse SVAML, {size} {kind} (us)",
                    us(statistics.median(ours)),
                    [o / t for o, t in zip(ours, theirs, strict=True)],
                    None,
                    yardsticks=(us(statistics.median(theirs)), "n/a", ""),
                )
            )
        for small in smaller:
            big = [marginal(r, largest, "sinch_voice") for r in rounds]
            little = [marginal(r, small, "sinch_voice") for r in rounds]
            rows.append(
                row(
                    f"per item at {largest} {kind} / at {small} (us per item)",
                    f"{us(statistics.median(big))} / {us(statistics.median(little))}",
                    [b / s for b, s in zip(big, little, strict=True)],
                    LINEAR,
                )
            )
    for size, data in result["callbacks"].items():
        rounds = data["rounds"]
        medians = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
        label = f"{data['bytes'] / 1024:.0f} KiB" if data["bytes"] >= 1024 else f"{data['bytes']} B"
        rows.append(
            row(
                f"parse_event, ICE of {label} (us)",
                us(medians["sinch_voice"]),
                [r["sinch_voice"] / r["pydantic"] for r in rounds],
                1.5 if int(size) == scaling.CALLBACK_BYTES[-1] else None,
                yardsticks=(us(medians["pydantic"]), us(medians["msgspec"]), ""),
            )
        )
        kept = data["retained_bytes"]
        rows.append(
            row(
                f"  retained bytes per parsed ICE of {label}",
                f"{kept['sinch_voice']:.0f}",
                [kept["sinch_voice"] / kept["pydantic"]],
                None,
                yardsticks=(f"{kept['pydantic']:.0f}", f"{kept['msgspec']:.0f}", ""),
            )
        )
    unknown = result["unknown values"]
    rows.append(
        row(
            "parse ICE with an unknown value, after 10k others / before (us)",
            f"{us(statistics.median(r['after'] for r in unknown))} / "
            f"{us(statistics.median(r['before'] for r in unknown))}",
            [r["growth"] for r in unknown],
            LINEAR,
        )
    )
    return rows


def server_rows(result: dict[str, Any]) -> list[list[str]]:
    rows = []
    for key, (label, target) in SERVER_TARGETS.items():
        rounds = result[key]["rounds"]
        rows.append(
            row(
                f"dispatcher, {label} (req/s)",
                f"{statistics.median(r['dispatcher_rps'] for r in rounds):.0f}",
                [r["share"] for r in rounds],
                target,
                at_most=False,
                yardsticks=(
                    f"bare app {statistics.median(r['bare_rps'] for r in rounds):.0f}",
                    "",
                    "",
                ),
                percent=True,
            )
        )
    return rows


CLIENT_YARDSTICKS = {
    "urllib3": ("raw urllib3", "fixed headers, bytes"),
    "by_hand": ("urllib3 by hand", "signed, JSON read"),
}
"""The blocking client's yardsticks (``bench.by_hand`` for the second), as the table
names them and what each does on a call."""

ASYNC_CLIENT_YARDSTICKS = {
    "aiohttp": ("raw aiohttp", "fixed headers, bytes"),
    "by_hand": ("aiohttp by hand", "signed, JSON read"),
}
"""The asyncio client's yardsticks, likewise."""


def yardstick_rows(
    client: str,
    load: str,
    rounds: list[dict[str, Any]],
    rates: list[dict[str, float]],
    yardsticks: dict[str, tuple[str, str]],
) -> list[list[str]]:
    """A client's latency and throughput rows against each of its yardsticks (the first
    one's paired ratio is ``paired_ratio``, the others' ``paired_ratio_<name>``)."""
    rows = []
    first = next(iter(yardsticks))
    for yardstick, (shown, what) in yardsticks.items():
        if yardstick not in rounds[0]["median_s"]:
            continue  # a report from before this yardstick
        ratio = "paired_ratio" if yardstick == first else f"paired_ratio_{yardstick}"
        median_s = statistics.median(r["median_s"][yardstick] for r in rounds)
        rows.append(
            row(
                f"{client}: calls.get on loopback, signed (us/call), vs {what}",
                us(statistics.median(r["median_s"]["sinch_voice"] for r in rounds)),
                [r[ratio] for r in rounds],
                1.15,
                yardsticks=(f"{shown} {us(median_s)}", "", ""),
            )
        )
        rows.append(
            row(
                f"{client}: {load} (calls/s), vs {what}",
                f"{statistics.median(t['sinch_voice'] for t in rates):.0f}",
                [t["sinch_voice"] / t[yardstick] for t in rates],
                0.9,
                at_most=False,
                yardsticks=(
                    f"{shown} {statistics.median(t[yardstick] for t in rates):.0f}",
                    "",
                    "",
                ),
                percent=True,
            )
        )
    return rows


def client_rows(result: dict[str, Any]) -> list[list[str]]:
    cpu = result["cpu_per_call_s"]
    rows = yardstick_rows(
        "client", "8 threads, one client", result["rounds"], result["threads"], CLIENT_YARDSTICKS
    )
    rows.append(
        [
            "client: the SDK's own CPU per call, a pool that answers at once (us)",
            us(statistics.median(c["sdk_s"] for c in cpu)),
            f"stand-in pool {us(statistics.median(c['stand_in_s'] for c in cpu))}",
            "",
            "",
            "",
            f"{us(min(c['sdk_s'] for c in cpu))}-{us(max(c['sdk_s'] for c in cpu))}",
            "",
            "(info)",
        ]
    )
    return rows


def async_client_rows(result: dict[str, Any]) -> list[list[str]]:
    concurrent = result["concurrent"]
    gaps = [c["sinch_voice_max_gap_s"] * 1000 for c in concurrent]
    raw_gaps = [c["aiohttp_max_gap_s"] * 1000 for c in concurrent]
    load = f"{async_client.CONCURRENCY} concurrent calls, one client"
    rows = yardstick_rows(
        "async client", load, result["rounds"], concurrent, ASYNC_CLIENT_YARDSTICKS
    )
    rows.append(
        [
            f"async client: loop lag, max heartbeat gap in {load.split(',')[0]} (ms)",
            f"{statistics.median(gaps):.1f}",
            f"raw aiohttp {statistics.median(raw_gaps):.1f}",
            "",
            "",
            "",
            f"{min(gaps):.1f}-{max(gaps):.1f}",
            "",
            "(info)",
        ]
    )
    return rows


def absolute_row(name: str, values: list[float], target: float | None, unit: str) -> list[str]:
    """A row of an absolute figure; the worst (largest) round decides."""
    worst = max(values)
    if target is None:
        goal, verdict = "", "(info)"
    else:
        goal, verdict = f"<= {target:g} {unit}", "met" if worst <= target else "MISSED"
    return [
        name,
        f"{statistics.median(values):.1f}",
        "",
        "",
        "",
        "",
        f"{min(values):.1f}-{worst:.1f}" if len(values) > 1 else "",
        goal,
        verdict,
    ]


def run(quick: bool) -> dict[str, Any]:
    samples, rounds = (7, 3) if quick else (15, 3)
    report: dict[str, Any] = {"serde": [serde.run(samples, rounds)]}
    without = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.serde",
            "--no-orjson",
            "--samples",
            str(samples),
            "--rounds",
            str(rounds),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    report["serde"].append(json.loads(without.stdout))
    report["scaling"] = scaling_report(samples, rounds)
    report["servers"] = servers.throughput(seconds=2.0 if quick else 4.0, rounds=rounds)
    report["client"] = servers.client_overhead(
        samples=7 if quick else 15, rounds=rounds, seconds=1.0 if quick else 3.0
    )
    report["asgi_handlers"] = pipeline.asgi_handlers(rounds=5 if quick else 15)
    report["async_client"] = async_client.async_overhead(
        samples=7 if quick else 15, rounds=rounds, seconds=1.0 if quick else 3.0
    )
    report["import"] = startup.import_time(runs=5 if quick else 15, rounds=rounds)
    report["generate"] = startup.generation_time(runs=1 if quick else 3)
    return report


def scaling_report(samples: int, rounds: int) -> dict[str, Any]:
    from codegen.spec import effective_spec

    ice = effective_spec()["components"]["examples"]["ICEexample"]["value"]
    with tempfile.TemporaryDirectory(prefix="sinch-voice-bench-") as scratch:
        yard = serde.generate_yardsticks(serde.vendor_spec(), Path(scratch))
        # differences of timings need more samples than ratios do
        return scaling.run(yard, ice, max(samples, 31), rounds)


def table(report: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    for result in report["serde"]:
        rows += serde_rows(result)
    rows += scaling_rows(report["scaling"])
    rows += server_rows(report["servers"])
    rows += client_rows(report["client"])
    for name, values in report.get("asgi_handlers", {}).items():  # older reports lack them
        rows.append(absolute_row(f"{name} (us/callback, CPU)", values, None, "us"))
    if "async_client" in report:  # reports from before the async client have none
        rows += async_client_rows(report["async_client"])
    for name, values in report["import"]["net_s"].items():
        rows.append(
            absolute_row(
                f"{name} (ms, net)", [v * 1000 for v in values], IMPORT_TARGETS.get(name), "ms"
            )
        )
    gen = report["generate"]["generate_s"]
    rows.append(absolute_row("python -m codegen generate (s)", [gen], 3, "s"))
    return rows


def render_text(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = {}
    for name in (
        "pydantic",
        "msgspec",
        "orjson",
        "datamodel-code-generator",
        "gunicorn",
        "uvicorn",
        "httptools",
        "uvloop",
        "h11",
        "urllib3",
        "attrs",
        "cattrs",
    ):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = "not installed"
    wrk_path = shutil.which("wrk")
    wrk = (
        subprocess.run([wrk_path, "--version"], capture_output=True, text=True, check=False)
        if wrk_path
        else subprocess.CompletedProcess([], 0, "python load generator", "")
    )
    head = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": f"{head} ({'with local changes' if dirty else 'clean checkout'})",
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_generator": (wrk.stdout or wrk.stderr).split("\n")[0],
        **packages,
    }


def _git(*args: str) -> str:
    """What a git command prints in this checkout ("" when it fails)."""
    result = subprocess.run([GIT, *args], cwd=REPO, capture_output=True, text=True, check=False)
    return result.stdout.strip()


METHOD = """How each figure is taken:

- Every figure is taken in three rounds. A round's ratio is ours over the yardstick's,
  the median of sample-by-sample ratios (samples taken side by side share the machine's
  drift); the table shows the median of the rounds' ratios and their spread, and a target
  counts as met only when the worst round meets it. Times are medians.
- Serde: interleaved samples of each candidate on the spec's own examples
  (ICE, `AcePlayMenuResponse`); every candidate's output is checked equal to the example
  first. Yardsticks are generated at bench time by datamodel-code-generator from the
  vendor's document as shipped (`spec/sinch-voice.yaml`, without our overlay; they parse
  the examples unchanged): pydantic v2 models and msgspec structs (msgspec cannot decode
  the untagged SVAML union it writes: n/a there), and plain `json` on dicts as the
  untyped floor. Each candidate is timed as its users write it: models, prompts and enum
  values are made inside the timed code. `build SVAML` builds the models directly;
  `builder path` is the README's way (`MenuBuilder`, `tts`, `ace_response`) against
  pydantic's direct build.
- Webhook cycle: verify the signature (the same `sinch_voice.signing.verify` for both),
  parse ICE (ours refuses repeated keys, pydantic's parser does not), build say + hangup,
  render. `dispatcher.handle` is the whole dispatcher against the same yardstick.
- Scaling: SVAML of 1 to 1000 say instructions and runMenu of 1 to 50 menus of ten
  options, parsed, every size sampled in turn; per-item costs are marginal,
  `(t(n) - t(1)) / (n - 1)`, taken sample by sample from timings taken side by side, so
  that neither the fixed cost of a call nor the machine's drift flatters a size.
  Callbacks: the ICE example with its `custom` string grown to 16 KiB, 256 KiB and
  1 MiB, read by `parse_event` (what the dispatcher runs, repeated keys refused) against
  pydantic and msgspec; retained bytes are what `tracemalloc` still counts per parsed
  object while a batch of them is kept. The unknown-value row reads an ICE with a
  made-up `domain`, beside the same ICE with a known one, before and after ten thousand
  other made-up values went by; its ratio is how much the first grew against the second.
- Servers: requests per second of the dispatcher against a bare app that reads the body
  and returns a fixed JSON body, on the same server, with the same load generator and
  connections (wrk, 1 thread, 8 connections), in paired rounds whose order alternates.
  The async handler runs on the event loop; a sync handler, which ASGI runs in a thread,
  is shown for information.
- Client: per-call latency of `calls.get` (signed, typed result) against the HTTP
  library used directly on the same loopback server (uvicorn, httptools + uvloop) with
  the same timeouts, in two ways: a fixed header set made once and the answer's bytes
  kept (the transport's floor, not a call the platform would take), and the call as a
  user writes it by hand (`bench/by_hand.py`: signed afresh with the standard library's
  HMAC, checked by the SDK's verifier, the JSON answer read into a dict). The ratio is
  the median of sample-by-sample ratios. For the throughput rows eight threads share one
  `VoiceClient` (or one PoolManager), and 50 tasks one `AsyncVoiceClient` (or one aiohttp
  session), in 0.25 s slices taken in turn, each candidate first in turn; the loop lag
  is the longest gap of a 5 ms heartbeat on the same loop meanwhile. The SDK's own CPU
  per call is measured with a stand-in pool that answers at once, its own cost
  subtracted.
- Import: wall time of `python -c ...` minus `python -c pass`, medians of 15 runs, with
  bytecode compiled as pip leaves an installed package. The WSGI row imports the webhooks
  and makes a dispatcher's WSGI app; it fails if that loaded asyncio.
- Generation: wall time of `python -m codegen generate` into a scratch folder.
"""


def markdown(report: dict[str, Any], header: list[str], rows: list[list[str]]) -> str:
    facts = report["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Latest run: {report['when']}, `make bench` (`python -m bench`) at commit",
        f"{facts['commit']}. Ratios are ours divided by the yardstick measured in the same run;",
        "absolute times drift on a shared machine, ratios travel. Targets are from the",
        "benchmarks issue.",
        "",
        f"Machine: {facts['cpu']}, {facts['cores']} cores, Python {facts['python']}, "
        f"{facts['system']}.",
        "Versions: "
        + ", ".join(
            f"{k} {v}"
            for k, v in facts.items()
            if k not in ("commit", "cpu", "cores", "python", "system", "load_generator")
        )
        + f"; load generator: {facts['load_generator']}.",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += [
        "",
        METHOD,
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples (for a smoke run)")
    parser.add_argument("--markdown", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "latest.json")
    args = parser.parse_args()
    report = run(args.quick)
    report["when"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report["machine"] = machine()
    header, rows = HEADER, table(report)
    print(render_text(header, rows))
    report["table"] = [dict(zip(header, row, strict=True)) for row in rows]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    args.markdown.write_text(markdown(report, header, rows), encoding="utf-8")
    print(f"\nwrote {args.json} and {args.markdown}")
    missed = [row[0] for row in rows if row[-1] == "MISSED"]
    if missed:
        print("targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
