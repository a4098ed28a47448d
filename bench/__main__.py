"""``make bench``: everything side by side in one run; a table of medians and ratios.

Serde and the webhook cycle run here (orjson installed) and again in a subprocess with
orjson blocked; then the servers, the client, import and generation time. The same
figures go to ``bench/results/latest.json`` and ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import serde, servers, startup

REPO = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"

# (case, target ratio to pydantic or None for informational)
SERDE_TARGETS = {
    True: {
        "parse ICE": 1.0,
        "render SVAML": 0.5,
        "parse SVAML": 1.0,
        "build SVAML": 0.3,
        "webhook cycle": 0.7,
        "dispatcher.handle": None,
        "presence check": None,
        "request check": None,
    },
    False: {
        "parse ICE": 1.8,
        "render SVAML": 1.5,
        "parse SVAML": None,
        "build SVAML": None,
        "webhook cycle": 1.1,
        "dispatcher.handle": None,
        "presence check": None,
        "request check": None,
    },
}


def us(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1e6:.2f}"


def verdict(ratio: float, target: float | None, at_most: bool = True) -> str:
    if target is None:
        return "(info)"
    met = ratio <= target if at_most else ratio >= target
    return "met" if met else "MISSED"


def serde_rows(result: dict[str, Any]) -> list[list[str]]:
    rows = []
    targets = SERDE_TARGETS[result["orjson"]]
    mode = "with orjson" if result["orjson"] else "stdlib json"
    for case, data in result["cases"].items():
        m = data["median_s"]
        ratio = m["sinch_voice"] / m["pydantic"]
        target = targets.get(case)
        rows.append(
            [
                f"{case} ({mode})",
                us(m.get("sinch_voice")),
                us(m.get("pydantic")),
                us(m.get("msgspec")) or "n/a",
                us(m.get("json")) or "n/a",
                f"{ratio:.2f}x",
                f"<= {target}x" if target else "",
                verdict(ratio, target),
            ]
        )
    return rows


def run(quick: bool) -> dict[str, Any]:
    samples = 9 if quick else 21
    report: dict[str, Any] = {"serde": [serde.run(samples)]}
    without = subprocess.run(
        [sys.executable, "-m", "bench.serde", "--no-orjson", "--samples", str(samples)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    report["serde"].append(json.loads(without.stdout))
    report["servers"] = servers.throughput(seconds=2.0 if quick else 4.0, rounds=1 if quick else 3)
    report["client"] = servers.client_overhead(samples=7 if quick else 15)
    report["import"] = startup.import_time(runs=5 if quick else 15)
    report["generate"] = startup.generation_time(runs=1 if quick else 3)
    return report


def table(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    header = ["benchmark", "sinch_voice", "pydantic", "msgspec", "json", "ratio", "target", ""]
    rows: list[list[str]] = []
    for result in report["serde"]:
        rows += serde_rows(result)
    for kind, label, target in (
        ("gunicorn", "WSGI under gunicorn", 0.7),
        ("uvicorn", "ASGI under uvicorn", 0.7),
        ("uvicorn-sync", "ASGI, sync handler in a thread", None),
    ):
        data = report["servers"][kind]
        share = data["dispatcher_rps"] / data["bare_rps"]
        rows.append(
            [
                f"dispatcher, {label} (req/s)",
                f"{data['dispatcher_rps']:.0f}",
                f"bare app {data['bare_rps']:.0f}",
                "",
                "",
                f"{share:.0%}",
                ">= 70%" if target else "",
                verdict(share, target, at_most=False),
            ]
        )
    client = report["client"]["median_s"]
    ratio = report["client"]["paired_ratio"]
    rows.append(
        [
            "client: calls.get, signed (us/call)",
            us(client["sinch_voice"]),
            f"raw urllib3 {us(client['urllib3'])}",
            "",
            "",
            f"{ratio:.2f}x",
            "<= 1.15x",
            verdict(ratio, 1.15),
        ]
    )
    net = report["import"]["net_s"] * 1000
    rows.append(
        [
            "import sinch_voice (ms, net)",
            f"{net:.1f}",
            "",
            "",
            "",
            "",
            "<= 100 ms",
            verdict(net, 100),
        ]
    )
    gen = report["generate"]["generate_s"]
    rows.append(
        ["python -m codegen generate (s)", f"{gen:.2f}", "", "", "", "", "<= 3 s", verdict(gen, 3)]
    )
    return header, rows


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

- Serde: medians of interleaved samples of each candidate on the spec's own examples
  (ICE, `AcePlayMenuResponse`); every candidate's output is checked equal to the example
  first. Yardsticks are generated at bench time from the effective spec by
  datamodel-code-generator (pydantic v2 models; msgspec structs, which cannot decode the
  untagged SVAML union it writes, so they show n/a there) and plain `json` on dicts as
  the untyped floor.
- Webhook cycle: verify the signature (the same `sinch_voice.signing.verify` for both), parse ICE
  (ours refuses repeated keys, pydantic's parser does not), build say + hangup, render.
  `dispatcher.handle` is the whole dispatcher against the same yardstick, for
  information.
- Servers: requests per second of the dispatcher against a bare app that reads the body
  and returns a fixed JSON body, same server (gunicorn gthread 1x4, uvicorn 1 worker),
  same load generator and connections, alternating runs, median. The ASGI app's handler
  is async (it runs on the event loop); a sync handler, run in a thread as the issue
  asks, is shown for information.
- Client: per-call latency of `calls.get` (signed, typed result) against raw urllib3
  sending a fixed request to the same loopback server with the same timeouts; the ratio
  is the median of sample-by-sample ratios (samples taken side by side share the drift
  of a loopback Python server), the latencies are medians.
- Import: wall time of `python -c 'import sinch_voice'` minus `python -c pass`, medians,
  with bytecode compiled as pip leaves an installed package (`VoiceClient`, the webhooks
  and the SVAML builder load on first use; models, loads and dumps are imported).
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
    header, rows = table(report)
    print(render_text(header, rows))
    report["table"] = [dict(zip(header, row, strict=True)) for row in rows]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    args.markdown.write_text(markdown(report, header, rows), encoding="utf-8")
    print(f"\nwrote {args.json.relative_to(REPO)} and {args.markdown.relative_to(REPO)}")
    missed = [row[0] for row in rows if row[-1] == "MISSED"]
    if missed:
        print("targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
