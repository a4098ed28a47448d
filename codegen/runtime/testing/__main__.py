"""``python -m sinch_voice.testing``: run the local platform, place a call, load an app.

    serve [--port PORT] [--host HOST] [--application KEY:SECRET]... [--hold S]
          [--callee NUMBER=BEHAVIOUR]...            the platform, until stopped
    call (--app MODULE:ATTR | --url URL) [--application KEY:SECRET] [--press DIGITS]...
         [--from NUMBER] [--to NUMBER] [--hold S] [--callee NUMBER=BEHAVIOUR]... [--json]
                                                    one incoming call, its transcript
    load (--app MODULE:ATTR | --url URL) [--application KEY:SECRET] --calls N
         [--concurrency C] [--deadline S]           callback latency percentiles

With no ``--application`` the platform's one application is ``local-application-key``
with secret ``bG9jYWwtc2VjcmV0``. A callee's BEHAVIOUR is human, machine, busy or
no-answer (how the number answers when the platform calls it).

``call`` exits 0 when the call ran to its end, whatever the app answered, and 2 when the
platform itself could not run it (no such app, the app's server unreachable, a secret
that is not base64).
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

from ..errors import ConfigurationError
from ..signing import Secret
from .engine import Callee, Transcript
from .platform import LocalPlatform

PROG = "python -m sinch_voice.testing"


def application(text: str) -> tuple[str, str]:
    key, sep, secret = text.partition(":")
    if not sep or not key or not secret:
        raise argparse.ArgumentTypeError("expected KEY:SECRET")
    return key, secret


def callee(text: str) -> tuple[str, Callee]:
    number, sep, behaviour = text.partition("=")
    if not sep or not number:
        raise argparse.ArgumentTypeError(f"expected NUMBER=BEHAVIOUR, not {text!r}")
    try:
        return number, Callee.parse(behaviour)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected seconds (0 or more), not {text!r}")
    return value


def load_app(spec: str) -> Any:
    module, sep, attribute = spec.partition(":")
    if not sep:
        raise SystemExit(f"--app takes MODULE:ATTR, not {spec!r}")
    target: Any = importlib.import_module(module)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the platform until stopped (Ctrl-C)")
    serve.add_argument("--port", type=int, default=0, help="the port (default: any free one)")
    serve.add_argument("--host", default="127.0.0.1", help="the address (default 127.0.0.1)")
    call = commands.add_parser(
        "call",
        help="place one incoming call into an app and print its transcript",
        description="Place one incoming call into an app and print its transcript. Exits 0"
        " when the call ran to its end, whatever the app answered, and 2 when the platform"
        " could not run it (no such app, the app's server unreachable).",
    )
    load = commands.add_parser(
        "load", help="place many calls into an app and report callback latency"
    )
    for command in (serve, call, load):
        command.add_argument(
            "--application", type=application, action="append", default=[],
            metavar="KEY:SECRET",
            help="an application and its secret (base64, as the dashboard gives it); "
            "repeat for more (default: local-application-key:bG9jYWwtc2VjcmV0)",
        )  # fmt: skip
        command.add_argument(
            "--hold", type=seconds, metavar="SECONDS",
            help="how long a party waits parked or in a conference before hanging up "
            "(default: until updated, kicked or the park's maxDuration)",
        )  # fmt: skip
        command.add_argument(
            "--callee", type=callee, action="append", default=[],
            metavar="NUMBER=BEHAVIOUR",
            help="how NUMBER answers when called: human, machine, busy or no-answer "
            "(default human); repeat for more numbers",
        )  # fmt: skip
        if command is serve:
            continue
        target = command.add_mutually_exclusive_group(required=True)
        target.add_argument(
            "--app", metavar="MODULE:ATTR", help="a WSGI or ASGI app, or a Dispatcher"
        )
        target.add_argument("--url", help="the app's callback URL (a server you run)")
        command.add_argument(
            "--press", action="append", default=[], metavar="DIGITS",
            help="the digits pressed at the next menu; repeat for each menu in turn",
        )  # fmt: skip
        command.add_argument(
            "--from", dest="cli", default="+46700000099", metavar="NUMBER",
            help="the caller's number (default +46700000099)",
        )  # fmt: skip
        command.add_argument(
            "--to", default="+46700000000", metavar="NUMBER",
            help="the number called (default +46700000000)",
        )  # fmt: skip
    call.add_argument("--json", action="store_true", help="print the transcript as JSON")
    load.add_argument("--calls", type=int, default=50, help="how many calls (default 50)")
    load.add_argument("--concurrency", type=int, default=10, help="calls at a time (default 10)")
    load.add_argument(
        "--deadline", type=seconds, default=2.0, metavar="SECONDS",
        help="the callback answer deadline (default 2)",
    )  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for key, secret in args.application:
        try:
            Secret(secret)
        except ConfigurationError as error:
            print(f"{PROG}: error: --application {key}: {error}", file=sys.stderr)
            return 2
    applications = dict(args.application) or None
    options = {"hold": args.hold, "callees": dict(args.callee)}
    if args.command == "serve":
        return run_server(applications, args.host, args.port, options)
    try:
        app = load_app(args.app) if args.app else None
    except (ImportError, AttributeError) as error:
        print(f"cannot load the app: {error}", file=sys.stderr)
        return 2
    with LocalPlatform(applications, **options) as platform:
        if args.command == "call":
            try:
                transcript = platform.call(
                    app=app, url=args.url, press=args.press, cli=args.cli, to=args.to
                )
            except Exception as error:  # the platform could not run the call at all
                print(f"the call could not run: {error}", file=sys.stderr)
                return 2
            print(json.dumps(transcript.as_data(), indent=2) if args.json else transcript)
            if transcript.unreachable:
                print(f"the app's server is unreachable: {args.url or args.app}", file=sys.stderr)
                return 2
            return 0
        return run_load(platform, app, args)


def run_server(
    applications: dict[str, str] | None, host: str, port: int, options: dict[str, Any]
) -> int:
    platform = LocalPlatform(applications, host=host, port=port, **options).start()
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
