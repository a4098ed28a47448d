"""The local platform: an HTTP server on loopback that serves the API's operations, keeps
their state, and places calls through an app with the call engine.

Shaped as the mature local stand-ins are: routes generated from the spec (``_routes``),
a thin HTTP handler that translates requests, one backend (this class) holding state and
raising platform errors, and the call engine apart (``engine``).

``platform.faults`` makes it misbehave on purpose (``faults``: scripted statuses,
``Retry-After``, delays, dropped connections, answers broken off or trickled), so that a
test shows what a client's retry handling does:

    with LocalPlatform({"key": "c2VjcmV0"}) as platform:
        platform.faults.next(status=503, retry_after=2)
        client = VoiceClient("key", "c2VjcmV0", base_url=platform.url, allow_http=True)
        placed = client.callouts.tts(destination=..., text="Hi")  # 503, then placed
        assert [r["status"] for r in platform.requests] == [503, 200]

Each request is in ``platform.requests``: its operation, method, path, path parameters,
headers (names in lower case; ``authorization`` never shown in a repr), body, the status
answered (None when the connection was dropped), why the platform refused it (or None),
and the fault it took (or None).
"""

from __future__ import annotations

import asyncio
import inspect
import io
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar

from .._values import format_datetime
from ..client import VoiceClient
from ..errors import SignatureError
from ..signing import BASIC_HEADER, DEFAULT_TOLERANCE, Secret, check_basic, verify
from ..svaml import CallUpdate
from . import _schema
from ._routes import ROUTES
from ._signing import sign_callback
from .engine import (
    CONFERENCE_STAY,
    Call,
    Callee,
    CalleeAnswer,
    CallEngine,
    Script,
    Sender,
    Transcript,
    new_call_id,
)
from .faults import Fault, Faults

if TYPE_CHECKING:
    from typing_extensions import Self

JSON = Any
DEFAULT_APPLICATION = ("local-application-key", "bG9jYWwtc2VjcmV0")  # "local-secret"
CALLBACK_PATH = "/sinch/callback"  # where an in-process app is called, by default


class PlatformError(Exception):
    """An error the platform answers with: its HTTP status and its error body."""

    def __init__(self, status: int, error_code: int, message: str) -> None:
        super().__init__(f"HTTP {status} {error_code}: {message}")
        self.status = status
        self.body = {"errorCode": error_code, "message": message, "reference": uuid.uuid4().hex}


class LocalPlatform:
    """A local Sinch platform on loopback; a context manager that starts and stops it.

    ``applications`` maps application keys to their secrets (base64, as the dashboard
    gives them; ``DEFAULT_APPLICATION`` when not given). ``app`` is where callbacks go by
    default: a URL, a WSGI or ASGI app, or a ``Dispatcher``; an application's callback
    URL set through the API is used too. With neither, callouts still run, sending no
    callback (as on Sinch, where callbacks are optional). ``callees`` says how numbers
    answer the calls the platform places (``human``, ``machine``, ``busy``,
    ``no-answer``); ``hold`` is how long a callee waits parked or in a conference before
    hanging up (None: until updated, kicked, or the park's ``maxDuration``).
    ``callback_path`` is the path an in-process app is called on (and its callbacks
    signed for); a URL's own path is used for a URL. With ``ssl_context`` (a server
    context holding a certificate) it serves HTTPS. ``faults`` is where a test scripts
    its misbehaviour (see ``faults.Faults``).
    """

    UPDATE_ACTIONS: ClassVar[frozenset[str]] = CallUpdate.ACTIONS
    """The actions ``calls.update`` may carry: the SVAML builder's (``call_update()``),
    from the table in codegen/overrides.yaml, which cites the vendor's evidence."""

    def __init__(
        self,
        applications: Mapping[str, str] | None = None,
        *,
        app: Any = None,
        host: str = "127.0.0.1",
        port: int = 0,
        tolerance: float = DEFAULT_TOLERANCE,
        numbers: Iterable[str] = ("+46700000000", "+46700000001"),
        ssl_context: ssl.SSLContext | None = None,
        callees: Mapping[str, Callee | CalleeAnswer] | None = None,
        hold: float | None = None,
        callback_path: str = CALLBACK_PATH,
    ) -> None:
        _schema.available()
        if not callback_path.startswith("/"):
            raise ValueError(f"callback_path is a path starting with '/', not {callback_path!r}")
        self.callees = _callees(callees)
        self.hold = hold
        self.callback_path = callback_path
        self.stopping = threading.Event()  # calls waiting (parked, in a conference) end
        given = applications or dict([DEFAULT_APPLICATION])
        # kept as Secret only: a repr, a debugger or a failing assert never shows one
        self.applications = {key: Secret(secret) for key, secret in given.items()}
        self.app = app
        self.tolerance = tolerance
        self.calls: dict[str, Call] = {}
        self.conferences: dict[str, dict[str, Call]] = {}
        self.participants: dict[tuple[str, str], dict[str, bool]] = {}
        self.numbers: dict[str, dict[str, str]] = {
            number: {"number": number, "capability": "voice"} for number in numbers
        }
        self.callback_urls: dict[str, dict[str, str]] = {}
        self.requests: list[dict[str, Any]] = []  # every request, as the module says
        self.faults = Faults(self.HANDLERS)
        self.lock = threading.RLock()
        self._threads: list[threading.Thread] = []
        self._server = _Server((host, port), _handler(self))
        self._server.daemon_threads = True
        self._scheme = "http"
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._serving: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host.decode() if isinstance(host, bytes) else host}:{port}"

    def start(self) -> Self:
        if self._serving is None:
            # stop() waits for the loop's next poll: a short one keeps a test's teardown short
            self._serving = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._serving.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for thread in list(self._threads):
            thread.join(timeout=10)
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_for_calls(self, timeout: float = 10) -> None:
        """Wait until the calls that callouts started have ended, ``timeout`` seconds in
        all; ``TimeoutError`` names the calls still going. A callee in a conference stays
        until kicked or updated, a parked call until updated or the park's
        ``maxDuration``, unless the platform's ``hold`` is shorter."""
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        going = [thread.name for thread in self._threads if thread.is_alive()]
        if going:
            raise TimeoutError(
                f"{len(going)} call(s) still going after {timeout:g} s: {', '.join(going)}; "
                "a conference callout stays until kicked or hung up (calls.update), a "
                "parked call until updated: LocalPlatform(hold=SECONDS) ends them sooner"
            )

    # -- placing calls ----------------------------------------------------------------------
    def call(
        self,
        *,
        app: Any = None,
        url: str | None = None,
        application: str | None = None,
        press: Iterable[str | int] = (),
        cli: str = "+46700000099",
        to: str = "+46700000000",
        callees: Mapping[str, Callee | CalleeAnswer] | None = None,
        hold: float | None = None,
        callback_deadline: float = 5.0,
    ) -> Transcript:
        """Place one incoming call into ``app`` (or ``url``); press each of ``press`` at the
        next menu (digits as strings, ``"1234"`` for four; an int is its digits);
        ``callees`` says how the numbers the app connects to answer (the platform's
        ``callees`` otherwise); ``hold`` how long the caller waits parked or in a
        conference (the platform's ``hold``; in a conference ``CONFERENCE_STAY`` when
        neither is set). The call runs to its end; its ``Transcript`` is returned."""
        key = application or next(iter(self.applications))
        presses = _presses(press)
        sender = self.sender(url or app or self.app, key)
        call = Call(new_call_id(), key, "inbound", cli, to)
        with self.lock:
            self.calls[call.call_id] = call
        script = Script(
            presses,
            {**self.callees, **_callees(callees)},
            hold=hold if hold is not None else self.hold,
            callback_deadline=callback_deadline,
            conference_stay=CONFERENCE_STAY,
        )
        return CallEngine(self, sender, script).incoming(call)

    def sender(self, target: Any, application: str) -> Sender:
        """How callbacks of ``application`` reach ``target`` (URL, WSGI, ASGI, Dispatcher)."""
        if target is None:
            urls = self.callback_urls.get(application, {})
            target = urls.get("primary")
            if target is None:
                raise ValueError("no app to call: pass app= or url=, or set a callback URL")
        secret = self.applications[application]
        if isinstance(target, str):
            return _url_sender(target, application, secret)
        if hasattr(target, "wsgi") and hasattr(target, "asgi"):  # a Dispatcher
            target = target.wsgi
        if _is_asgi(target):
            return _asgi_sender(target, application, secret, self.callback_path)
        return _wsgi_sender(target, application, secret, self.callback_path)

    def add_call(
        self,
        call_id: str | None = None,
        *,
        application: str | None = None,
        cli: str = "+46700000099",
        to: str = "+46700000000",
        status: str = "ONGOING",
        result: str = "N/A",
        reason: str = "N/A",
        conference: str | None = None,
    ) -> Call:
        """A call the platform holds as if it had been placed, for a test that reads,
        updates or kicks one without running it (``status="FINAL"`` for one that ended);
        in ``conference`` when given."""
        call = Call(
            call_id or new_call_id(), application or next(iter(self.applications)),
            "inbound", cli, to, status=status, result=result, reason=reason,
        )  # fmt: skip
        with self.lock:
            self.calls[call.call_id] = call
        if conference is not None:
            self.join(conference, call)
        return call

    # -- the conference room ------------------------------------------------------------------
    def join(self, conference: str, call: Call) -> None:
        with self.lock:
            self.conferences.setdefault(conference, {})[call.call_id] = call
            self.participants[(conference, call.call_id)] = {"muted": False, "onhold": False}

    def leave(self, conference: str, call: Call) -> None:
        with self.lock:
            self.conferences.get(conference, {}).pop(call.call_id, None)
            self.participants.pop((conference, call.call_id), None)
            if conference in self.conferences and not self.conferences[conference]:
                del self.conferences[conference]

    # -- the operations ---------------------------------------------------------------------------
    def serve(
        self, operation: str, application: str, params: dict[str, str], body: JSON
    ) -> tuple[int, JSON]:
        handler = self.HANDLERS.get(operation)
        if handler is None:
            raise PlatformError(501, 50100, f"{operation} is not served here")
        return handler(self, application, params, body)

    def _callout(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        method = body["method"]
        details = body.get(method) or {}
        destination = (details.get("destination") or {}).get("endpoint", "")
        call = Call(
            new_call_id(), application, "outbound", details.get("cli", ""), destination,
            custom=details.get("custom", ""),
        )  # fmt: skip
        with self.lock:
            self.calls[call.call_id] = call
        target = self.app or self.callback_urls.get(application, {}).get("primary")
        sender = self.sender(target, application) if target is not None else None
        engine = CallEngine(self, sender, Script(callees=self.callees, hold=self.hold))
        thread = threading.Thread(
            target=engine.outgoing, args=(call, body), name=call.call_id, daemon=True
        )
        self._threads.append(thread)
        thread.start()
        return 200, {"callId": call.call_id}

    def _get_call(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        call = self._find_call(params["callId"])
        return 200, {
            "from": {"type": "number", "endpoint": call.cli},
            "to": {"type": "number", "endpoint": call.to},
            "domain": "pstn",
            "callId": call.call_id,
            "duration": call.duration,
            "status": call.status,
            "result": call.result,
            "reason": call.reason,
            "timestamp": format_datetime(datetime.fromtimestamp(call.started, timezone.utc)),
            **({"custom": call.custom} if call.custom else {}),
        }

    def _update_call(
        self, application: str, params: dict[str, str], body: JSON
    ) -> tuple[int, JSON]:
        call = self._find_call(params["callId"])
        action = (body or {}).get("action") or {}
        name = action.get("name")
        if name is not None and name not in self.UPDATE_ACTIONS:
            allowed = ", ".join(sorted(self.UPDATE_ACTIONS))
            raise PlatformError(
                400, 40001, f"a call update cannot carry the {name!r} action (allowed: {allowed})"
            )
        if call.status != "ONGOING":
            raise PlatformError(409, 40900, "the call has ended")
        call.updates.put(body)
        return 204, None

    def _get_conference(
        self, application: str, params: dict[str, str], body: JSON
    ) -> tuple[int, JSON]:
        conference = params["conferenceId"]
        with self.lock:
            calls = list(self.conferences.get(conference, {}).values())
            if not calls:
                raise PlatformError(404, 40400, f"no conference {conference!r}")
            flags = {c.call_id: self.participants[(conference, c.call_id)] for c in calls}
        return 200, {
            "participants": [
                {
                    "cli": c.cli,
                    "id": c.call_id,
                    "duration": c.duration,
                    "muted": flags[c.call_id]["muted"],
                    "onhold": flags[c.call_id]["onhold"],
                }
                for c in calls
            ]
        }

    def _kick_all(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        with self.lock:
            calls = list(self.conferences.get(params["conferenceId"], {}).values())
        for call in calls:
            call.kicked.set()
        return 204, None

    def _participant(self, params: dict[str, str]) -> tuple[Call, dict[str, bool]]:
        key = (params["conferenceId"], params["callId"])
        with self.lock:
            flags = self.participants.get(key)
            call = self.conferences.get(key[0], {}).get(key[1])
        if flags is None or call is None:
            raise PlatformError(404, 40400, f"no participant {key[1]!r} in {key[0]!r}")
        return call, flags

    def _kick_one(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        call, _flags = self._participant(params)
        call.kicked.set()
        return 200, None

    def _manage(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        call, flags = self._participant(params)
        command = body["command"]
        if command in ("mute", "unmute"):
            flags["muted"] = command == "mute"
        elif command in ("onhold", "resume"):
            flags["onhold"] = command == "onhold"
        if call.transcript is not None:
            call.transcript.add("managed", f"{command} in {params['conferenceId']}")
        return 200, None

    def _numbers(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        with self.lock:
            return 200, {"numbers": [dict(n) for n in self.numbers.values()]}

    def _assign(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        with self.lock:
            for number in body.get("numbers", []):
                entry = self.numbers.setdefault(number, {"number": number})
                entry["applicationkey"] = body.get("applicationkey", application)
                entry["capability"] = body.get("capability", "voice")
        return 204, None

    def _unassign(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        with self.lock:
            entry = self.numbers.get(body.get("number", ""))
            if entry is None:
                raise PlatformError(404, 40400, "no such number")
            entry.pop("applicationkey", None)
        return 204, None

    def _get_urls(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        urls = self.callback_urls.get(params["applicationkey"])
        return 200, {"url": dict(urls)} if urls else {}

    def _set_urls(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        self.callback_urls[params["applicationkey"]] = dict(body.get("url") or {})
        return 204, None

    def _query(self, application: str, params: dict[str, str], body: JSON) -> tuple[int, JSON]:
        number = params["number"]
        country = next((c for p, c in COUNTRIES if number.startswith(p)), "ZZ")
        return 200, {
            "number": {
                "countryId": country,
                "numberType": "Mobile",
                "normalizedNumber": number,
                "restricted": False,
                "rate": {"currencyId": "USD", "amount": 0.0},
            }
        }

    def _find_call(self, call_id: str) -> Call:
        with self.lock:
            call = self.calls.get(call_id)
        if call is None:
            raise PlatformError(404, 40400, f"no call {call_id[:40]!r}")
        return call

    HANDLERS: ClassVar[dict[str, Callable[..., tuple[int, JSON]]]] = {
        "Callouts": _callout,
        "Calling_GetCallResult": _get_call,
        "Calling_UpdateCall": _update_call,
        "Calling_ManageCallWithCallLeg": _update_call,
        "Calling_GetConferenceInfo": _get_conference,
        "Calling_KickConferenceAll": _kick_all,
        "Calling_KickConferenceParticipant": _kick_one,
        "Calling_ManageConferenceParticipant": _manage,
        "Configuration_GetNumbers": _numbers,
        "Configuration_UpdateNumbers": _assign,
        "Configuration_UnassignNumber": _unassign,
        "Configuration_GetCallbackURLs": _get_urls,
        "Configuration_UpdateCallbackURLs": _set_urls,
        "Calling_QueryNumber": _query,
    }

    # -- checking a request as the platform does ------------------------------------------------
    def authenticate(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> str:
        """The application a request is from; ``PlatformError`` 401 otherwise."""
        basic = headers.get(BASIC_HEADER, "")
        if basic[:6].lower() == "basic ":
            try:
                return check_basic(self.applications, basic)
            except SignatureError:
                raise PlatformError(401, 40100, "wrong or unreadable Basic credentials") from None
        try:
            return verify(
                self.applications,
                method,
                path,
                headers,
                body,
                tolerance=self.tolerance,
                header=VoiceClient.SIGNED_HEADER,  # the spec's signed scheme names it
            )
        except SignatureError:
            raise PlatformError(
                401, 40100, "the request is not signed correctly, or its x-timestamp is stale"
            ) from None


COUNTRIES = (("+46", "SE"), ("+44", "GB"), ("+1", "US"), ("+33", "FR"), ("+49", "DE"))


class _Server(ThreadingHTTPServer):
    """The default listen backlog (5) stalls connections when many clients connect at
    once (50 concurrent httpx clients did): the platform takes 128."""

    request_queue_size = 128


def _callees(callees: Mapping[str, Callee | CalleeAnswer] | None) -> dict[str, Callee]:
    return {to: c if isinstance(c, Callee) else Callee(c) for to, c in (callees or {}).items()}


def _presses(press: Iterable[str | int]) -> list[str]:
    """Digits for each menu, as strings; an int is its digits (``1`` is ``"1"``)."""
    presses = []
    for digits in press:
        if isinstance(digits, bool) or not isinstance(digits, (str, int)):
            raise TypeError(
                f"press takes digits as strings (or ints), not {type(digits).__name__}: {digits!r}"
            )
        presses.append(str(digits))
    return presses


def _handler(platform: LocalPlatform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """HTTP in, the platform's answer out: routes, authentication, JSON Schema."""

        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self.answer()

        def do_POST(self) -> None:
            self.answer()

        def do_PUT(self) -> None:
            self.answer()

        def do_PATCH(self) -> None:
            self.answer()

        def do_DELETE(self) -> None:
            self.answer()

        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            path = urllib.parse.urlsplit(self.path).path
            headers = {k.lower(): v for k, v in self.headers.items()}
            record: dict[str, Any] = {
                "operation": None, "method": self.command, "path": path, "params": {},
                "headers": _recorded(headers), "body": raw.decode("utf-8", "replace"),
                "status": None, "refused": None, "fault": None,
            }  # fmt: skip
            fault: Fault | None = None
            try:
                fault, status, extra, content = self.serve(path, headers, raw, record)
            except PlatformError as error:
                status, extra, content = error.status, (), json.dumps(error.body).encode()
            if fault is None or not fault.drop:
                record["status"] = status
            with platform.lock:  # recorded before a delayed answer, as it arrived
                platform.requests.append(record)
            try:
                self.deliver(fault, status, extra, content)
            except OSError:  # the client gave up first (a timeout, a deadline)
                self.close_connection = True

        def serve(
            self, path: str, headers: Mapping[str, str], raw: bytes, record: dict[str, Any]
        ) -> tuple[Fault | None, int, tuple[tuple[str, str], ...], bytes]:
            """Route, check, take a fault, serve: the answer (status, headers, body)."""
            for route in ROUTES:
                params = route.match(self.command, path)
                if params is not None:
                    break
            else:
                record["refused"] = "no such operation"
                raise PlatformError(404, 40400, "no such operation")
            record["operation"], record["params"] = route.operation, params
            try:
                application = platform.authenticate(self.command, path, headers, raw)
                body = self.body(route.pointer, raw, headers)
            except PlatformError as error:
                record["refused"] = error.body["message"]
                raise
            fault = record["fault"] = platform.faults.take(route.operation, path)
            if fault is not None and not fault.serves:  # scripted, or dropped (no status)
                return fault, fault.status or 0, fault.headers, fault.body
            try:
                status, document = platform.serve(route.operation, application, params, body)
            except PlatformError as error:  # an answer like any other: the fault applies
                status, document = error.status, error.body
            content = json.dumps(document).encode() if document is not None else b""
            return fault, status, (), content

        def deliver(
            self,
            fault: Fault | None,
            status: int,
            extra: tuple[tuple[str, str], ...],
            content: bytes,
        ) -> None:
            """Send the answer, as the fault (if any) says: late, never, cut or trickled."""
            if fault is not None and fault.delay:
                time.sleep(fault.delay)
            if fault is not None and fault.drop:
                self.hang_up()
                return
            self.send_response(status)
            names = {name.lower() for name, _ in extra}
            if content and "content-type" not in names:
                self.send_header("Content-Type", "application/json")
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(content)))
            for name, value in extra:
                self.send_header(name, value)
            self.end_headers()
            if fault is not None and fault.cut_after is not None:
                self.wfile.write(content[: fault.cut_after])
                self.wfile.flush()
                self.hang_up()
            elif fault is not None and fault.trickle is not None:
                self.wfile.flush()
                for byte in content:
                    time.sleep(fault.trickle)
                    self.wfile.write(bytes((byte,)))
                    self.wfile.flush()
            else:
                self.wfile.write(content)

        def hang_up(self) -> None:
            """Close the connection now, whatever the client waits for."""
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)

        def body(self, pointer: str, raw: bytes, headers: Mapping[str, str]) -> JSON:
            schema = _schema.request_body_pointer(pointer)
            if schema is None:
                return None
            if headers.get("content-type", "").split(";")[0].strip() != "application/json":
                raise PlatformError(415, 41500, "the body must be application/json")
            try:
                document = json.loads(raw)
            except ValueError:
                raise PlatformError(400, 40001, "the body is not JSON") from None
            problems = _schema.problems(schema, document)
            if problems:
                raise PlatformError(400, 40001, "; ".join(problems[:3]))
            return document

    return Handler


# -- delivering callbacks ------------------------------------------------------------------


class _Hidden(str):
    """A header value kept as sent, never shown in a repr (a failing assert, a debugger):
    Basic credentials carry the application secret."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<hidden>'"


def _recorded(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        name: _Hidden(value) if name == "authorization" else value
        for name, value in headers.items()
    }


def _is_asgi(app: Any) -> bool:
    return inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(
        getattr(app, "__call__", None)  # noqa: B004 - a callable object's __call__
    )


def _url_sender(url: str, key: str, secret: Secret) -> Sender:
    path = urllib.parse.urlsplit(url).path or "/"

    def send(body: bytes) -> tuple[int, bytes]:
        headers = sign_callback(key, secret, path, body)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read()

    return send


def _wsgi_sender(app: Callable[..., Any], key: str, secret: Secret, path: str) -> Sender:
    def send(body: bytes) -> tuple[int, bytes]:
        headers = sign_callback(key, secret, path, body)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "POST",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": headers.pop("content-type"),
        }
        for name, value in headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []
        chunks = app(environ, lambda line, _headers, _exc=None: status.append(line))
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return int(status[0].split()[0]), content

    return send


def _asgi_sender(app: Callable[..., Any], key: str, secret: Secret, path: str) -> Sender:
    def send(body: bytes) -> tuple[int, bytes]:
        headers = sign_callback(key, secret, path, body)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()]
            + [(b"content-length", str(len(body)).encode())],
        }
        sent: list[dict[str, Any]] = []
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def collect(message: dict[str, Any]) -> None:
            sent.append(message)

        asyncio.run(app(scope, receive, collect))
        status = next(m["status"] for m in sent if m["type"] == "http.response.start")
        content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return int(status), content

    return send


def wait_until(predicate: Callable[[], bool], timeout: float = 5) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes (for tests)."""
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
