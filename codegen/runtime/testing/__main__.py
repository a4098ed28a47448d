"""``python -m sinch_voice.testing``: run the local platform, place a call, load an app.

    serve --port PORT --application KEY:SECRET        the platform, until stopped
    call (--app MODULE:ATTR | --url URL) --application KEY:SECRET [--press DIGITS]...
         [--from NUMBER] [--to NUMBER] [--json]       one incoming call, its transcript
    load (--app MODULE:ATTR | --url URL) --application KEY:SECRET --calls N
         [--concurrency C] [--deadline S]             callback latency percentiles

``call`` exits 0 when the call ran to its end, whatever the app answered, and 2 when the
platform itself could not run it (no such app, the app's server unreachable).
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .engine import Transcript
from .platform import LocalPlatform


def application(text: str) -> tuple[str, str]:
    key, sep, secret = text.partition(":")
    if not sep or not key or not secret:
        raise argparse.ArgumentTypeError("expected KEY:SECRET")
    return key, secret


def load_app(spec: str) -> Any:
    module, sep, attribute = spec.partition(":")
    if not sep:
        raise SystemExit(f"--app takes MODULE:ATTR, not {spec!r}")
    target: Any = importlib.import_module(module)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sinch_voice.testing",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the platform until stopped")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--host", default="127.0.0.1")
    for command in (serve, *(commands.add_parser(n) for n in ("call", "load"))):
        command.add_argument("--application", type=application, action="append", default=[])
        if command is serve:
            continue
        target = command.add_mutually_exclusive_group(required=True)
        target.add_argument("--app", help="a WSGI or ASGI app, or a Dispatcher: MODULE:ATTR")
        target.add_argument("--url", help="the app's callback URL")
        command.add_argument("--press", action="append", default=[], help="digits, per menu")
        command.add_argument("--from", dest="cli", default="+46700000099")
        command.add_argument("--to", default="+46700000000")
        if command.prog.endswith("call"):
            command.add_argument("--json", action="store_true", help="the transcript as JSON")
        else:
            command.add_argument("--calls", type=int, default=50)
            command.add_argument("--concurrency", type=int, default=10)
            command.add_argument("--deadline", type=float, default=2.0)
    args = parser.parse_args(argv)
    applications = dict(args.application) or None
    if args.command == "serve":
        return run_server(applications, args.host, args.port)
    try:
        app = load_app(args.app) if args.app else None
    except (ImportError, AttributeError) as error:
        print(f"cannot load the app: {error}", file=sys.stderr)
        return 2
    with LocalPlatform(applications) as platform:
        if args.command == "call":
            try:
                transcript = platform.call(
                    app=app, url=args.url, press=args.press, cli=args.cli, to=args.to
                )
            except Exception as error:  # the platform could not run the call at all
                print(f"the call could not run: {error}", file=sys.stderr)
                return 2
            print(json.dumps(transcript.as_data(), indent=2) if args.json else transcript)
            return 0
        return run_load(platform, app, args)


def run_server(applications: dict[str, str] | None, host: str, port: int) -> int:
    platform = LocalPlatform(applications, host=host, port=port).start()
    print(f"local Sinch platform on {platform.url}", flush=True)
    for key in platform.applications:
        print(f"  application {key}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        platform.stop()
    return 0


def run_load(platform: LocalPlatform, app: Any, args: argparse.Namespace) -> int:
    """N incoming calls, C at a time; each callback's answer time against the deadline."""

    def one(_: int) -> Transcript:
        return platform.call(
            app=app, url=args.url, press=args.press, cli=args.cli, to=args.to,
            callback_deadline=args.deadline,
        )  # fmt: skip

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        transcripts = list(pool.map(one, range(args.calls)))
    elapsed = time.monotonic() - started
    latencies = sorted(t for tr in transcripts for t in tr.latencies)
    failed = sum(1 for tr in transcripts if tr.of("error"))
    late = sum(1 for t in latencies if t > args.deadline)

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    print(f"{args.calls} calls, {args.concurrency} at a time, in {elapsed:.1f} s")
    print(f"callbacks: {len(latencies)}, over the {args.deadline:g} s deadline: {late}")
    print(
        f"latency ms: p50 {percentile(0.50):.1f}  p95 {percentile(0.95):.1f}  "
        f"p99 {percentile(0.99):.1f}  max {latencies[-1] * 1000:.1f}  "
        f"mean {statistics.fmean(latencies) * 1000:.1f}"
    )
    print(f"calls with a refused or failed callback: {failed}")
    return 0 if late == 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
