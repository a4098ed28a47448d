"""The framework-free core of the webhook dispatcher: verify, parse, dispatch, answer.

``handle(method, path, headers, body)`` takes what any server has and returns a
``Response``; the WSGI and ASGI adapters only translate (a body over the limit they give
as ``TooLarge``). Checks run in a fixed order so that cheap refusals come first and
nothing unauthenticated is parsed:

    405 not POST -> 413 body too large -> 401 not signed -> 415 not JSON -> 400 malformed

The stages are written once; ``respond`` and ``respond_async`` drive them and differ
only in how they call the handler (awaited or run to completion, in a thread or not).

Every authentication failure gets the same 401 body; the reason goes to the log only.
A handler that raises gets a 500 with a generic body; the log has the traceback but
never the secret, the ``authorization`` header or (unless asked) the body.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

import attrs

from .. import _fast, _json
from ..errors import (
    ConfigurationError,
    DecodeError,
    SinchVoiceError,
    StructureError,
    shown,
    with_article,
)
from ..serde import dumps
from ..signing import BASIC_HEADER, DEFAULT_TOLERANCE, Secret, _basic_failure, _failure

log = logging.getLogger("sinch_voice.webhooks")

__all__ = [
    "BaseDispatcher",
    "CallbackRequest",
    "EventInfo",
    "InvalidAnswerError",
    "Response",
    "UnknownEvent",
    "parse_event_with",
]

H = TypeVar("H", bound=Callable[..., Any])
JSON_HEADERS = (("content-type", "application/json"),)
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    405: "Method Not Allowed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


class InvalidAnswerError(SinchVoiceError, ValueError):
    """A handler answered with something the callback does not accept (strict mode)."""


@attrs.define
class Response:
    """What to send back: status, headers (lower-case names) and the body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def reason(self) -> str:
        return REASONS.get(self.status, "")


@attrs.define(kw_only=True)
class UnknownEvent:
    """A callback whose ``event`` this SDK does not know: its JSON as received."""

    event: str
    data: dict[str, Any]


@attrs.frozen
class CallbackRequest:
    """What a handler that takes a second parameter gets besides the event: the request.

    ``delivery_key`` is the same for every delivery of one callback (a hash of the body,
    which the platform sends again unchanged), so an app can drop repeated deliveries;
    ``timestamp`` is the signed ``x-timestamp``, ``application_key`` the key that signed.
    """

    path: str  # the path as signed
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    timestamp: str
    application_key: str | None

    @property
    def delivery_key(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@attrs.frozen
class EventInfo:
    """What the dispatcher knows about one callback event (generated from the IR)."""

    name: str
    model: type
    read: Callable[[Any, bool], Any]
    answers: bool  # whether the platform acts on an answer (SVAML)
    actions: frozenset[str]  # the actions an answer may carry
    instructions: bool  # whether an answer may carry instructions
    default_answer: Callable[[], Any] | None  # the answer when no handler is registered
    warn_unanswered: bool


@attrs.frozen
class TooLarge:
    """What a server adapter gives ``respond`` instead of a body over ``max_body_bytes``
    (answered 413): it stopped reading, or never started."""

    declared: int | None = None  # the Content-Length, when that alone was over the limit


@attrs.define
class Received:
    """A callback that passed the checks before the handler, as the later stages need it."""

    event: str
    info: EventInfo | None  # None: an event this SDK does not know (``parsed`` is UnknownEvent)
    parsed: Any  # the typed event
    path: str  # the path as signed
    fields: dict[str, str]  # the headers, lower-case names
    body: bytes


def _json_response(status: int, document: object) -> Response:
    return Response(status, JSON_HEADERS, _json.dumps(document))


NOT_POST = Response(405, (*JSON_HEADERS, ("allow", "POST")), b'{"error":"use POST"}')
TOO_LARGE = _json_response(413, {"error": "body too large"})
UNAUTHORIZED = _json_response(401, {"error": "unauthorized"})
NOT_JSON = _json_response(415, {"error": "expected application/json in UTF-8"})
EMPTY = _json_response(200, {})
INTERNAL = _json_response(500, {"error": "internal error"})


class BaseDispatcher:
    """Verifies and dispatches callbacks; subclasses (generated) add ``on_<event>``."""

    EVENTS: ClassVar[Mapping[str, EventInfo]] = {}
    SVAML: ClassVar[type | None] = None
    SIGNED_HEADER: ClassVar[str] = "authorization"  # the spec's signed scheme, lower-case

    def __init__(
        self,
        application_key: str | None = None,
        application_secret: str | Sequence[str] | None = None,
        *,
        applications: Mapping[str, str | Sequence[str]] | None = None,
        tolerance: float = DEFAULT_TOLERANCE,
        clock: Callable[[], float] | None = None,
        verify: bool = True,
        max_body_bytes: int = 1_048_576,
        public_path: str | Callable[[str], str] | None = None,
        basic_auth: bool = False,
        strict: bool = False,
        log_bodies: bool = False,
        deadline: float | None = None,
    ) -> None:
        self._secrets: dict[str, list[Secret]] = {}
        if application_key is not None:
            self._add_application(application_key, application_secret)
        for key, secrets in (applications or {}).items():
            self._add_application(key, secrets)
        if verify and not self._secrets:
            raise ConfigurationError(
                "give application_key and application_secret (or applications=...), or pass "
                "verify=False to accept unsigned callbacks"
            )
        if not verify:
            log.warning(
                "webhook signature verification is OFF: any client can send callbacks "
                "(verify=False)"
            )
        if tolerance <= 0:
            raise ConfigurationError("tolerance must be positive seconds")
        if max_body_bytes <= 0:
            raise ConfigurationError("max_body_bytes must be positive")
        if deadline is not None and not deadline > 0:
            raise ConfigurationError("deadline must be positive seconds, or None")
        self.tolerance = tolerance
        self.clock = clock or time.time
        self.verify = verify
        self.max_body_bytes = max_body_bytes
        self.public_path = public_path
        self.basic_auth = basic_auth
        self.strict = strict
        self.log_bodies = log_bodies
        self.deadline = deadline
        self._handlers: dict[str, Callable[..., Any]] = {}
        self._async: dict[str, bool] = {}
        self._wants_request: dict[str, bool] = {}
        self._unknown: Callable[[UnknownEvent], Any] | None = None

    def _add_application(self, key: str, secrets: str | Sequence[str] | None) -> None:
        if not isinstance(key, str) or not key.strip():
            raise ConfigurationError("an application key must be a non-empty string")
        if secrets is None:
            raise ConfigurationError(f"application {key} has no secret")
        listed = [secrets] if isinstance(secrets, str) else list(secrets)
        if not listed:
            raise ConfigurationError(f"application {key} has no secret")
        self._secrets.setdefault(key.strip(), []).extend(Secret(s) for s in listed)

    def __repr__(self) -> str:
        keys = ", ".join(sorted(self._secrets))
        return f"{type(self).__name__}(applications=[{keys}], verify={self.verify})"

    # -- registration --------------------------------------------------------------------
    def on(self, event: str, handler: H) -> H:
        """Register ``handler`` for ``event`` (sync or async); returns it (a decorator)."""
        if event not in self.EVENTS:
            raise ConfigurationError(
                f"unknown event {event!r}; known events: {', '.join(sorted(self.EVENTS))}"
            )
        if not callable(handler):
            raise ConfigurationError(f"the handler for {event} must be callable")
        if event in self._handlers:
            raise ConfigurationError(f"a handler for {event} is already registered")
        self._handlers[event] = handler
        self._async[event] = _is_async(handler)  # decided once, not per callback
        self._wants_request[event] = _takes_two(handler)
        return handler

    def on_unknown(self, handler: H) -> H:
        """Called with an ``UnknownEvent`` for events this SDK does not know (answer: {})."""
        self._unknown = handler
        return handler

    # -- the pipeline ----------------------------------------------------------------------
    # Stages in order, each written once: method and size, authentication, media type,
    # parsing (into a ``Received``), the handler, the answer's check, the reply. The two
    # drivers below differ only in how they call the handler.

    def handle(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        body: bytes,
    ) -> Response:
        """Answer one request (async handlers run to completion here)."""
        return self.respond(method, path, _lower(headers), body)

    async def handle_async(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        body: bytes,
    ) -> Response:
        """Answer one request from a running event loop: sync handlers run in a thread."""
        return await self.respond_async(method, path, _lower(headers), body)

    def respond(
        self, method: str, path: str, fields: dict[str, str], body: bytes | TooLarge
    ) -> Response:
        """``handle`` for a server adapter: header names already lower-case (each name
        once, repeated headers joined with ", "), and ``TooLarge`` for a body over
        ``max_body_bytes`` that the adapter did not read in full."""
        received = self._receive(method, path, fields, body)
        if isinstance(received, Response):
            return received
        try:
            started = time.monotonic()
            result = self._call(received)
            if type(result) is not self.SVAML and inspect.isawaitable(result):
                result = _run_to_completion(self._within_deadline(received.event, result))
            elif self.deadline is not None:
                self._note_late(received.event, started)
            return self._reply(self._checked_answer(received, result))
        except Exception as error:
            return _failed(received.event, error)

    async def respond_async(
        self, method: str, path: str, fields: dict[str, str], body: bytes | TooLarge
    ) -> Response:
        """``handle_async`` for a server adapter: as ``respond``, from an event loop."""
        received = self._receive(method, path, fields, body)
        if isinstance(received, Response):
            return received
        try:
            if received.info is not None and not self._async.get(received.event, True):
                import asyncio  # loaded by then: the server runs an event loop

                # a sync handler may block: it runs in a thread, the loop serves others
                work = asyncio.get_running_loop().run_in_executor(None, self._call, received)
                result = await self._within_deadline(received.event, work)
            else:
                result = self._call(received)
                if type(result) is not self.SVAML and inspect.isawaitable(result):
                    result = await self._within_deadline(received.event, result)
            return self._reply(self._checked_answer(received, result))
        except Exception as error:
            return _failed(received.event, error)

    def _receive(
        self, method: str, path: str, fields: dict[str, str], body: bytes | TooLarge
    ) -> Received | Response:
        """The stages before the handler, cheapest first: a ``Received`` callback, or the
        response that refuses the request."""
        if method != "POST" and method.upper() != "POST":
            return NOT_POST
        if isinstance(body, TooLarge) or len(body) > self.max_body_bytes:
            return self._too_large(body)
        signed = self.public_path if type(self.public_path) is str else self._signed_path(path)
        if self.verify:
            reason = self._authenticate(signed, fields, body)
            if reason is not None:
                log.warning("callback refused (401): %s", reason)
                return UNAUTHORIZED
        content_type = fields.get("content-type", "")
        if content_type != "application/json" and not _is_utf8_json(content_type):
            return NOT_JSON
        return self._parse(signed, fields, body)

    def _too_large(self, body: bytes | TooLarge) -> Response:
        if isinstance(body, TooLarge):
            size = "" if body.declared is None else f" (Content-Length {body.declared})"
        else:
            size = f" ({len(body)} bytes)"
        log.info("callback refused (413): the body is over %d bytes%s", self.max_body_bytes, size)
        return TOO_LARGE

    def _signed_path(self, path: str) -> str:
        if callable(self.public_path):
            return self.public_path(path)
        return self.public_path or path

    def _authenticate(self, path: str, fields: Mapping[str, str], body: bytes) -> str | None:
        """None when the request is authentic, else why not (for the log only). The
        signature is tried first (the platform's usual way), Basic credentials after it."""
        reason = _failure(
            self._secrets.get,
            "POST",
            path,
            fields,
            body,
            self.clock(),
            self.tolerance,
            self.SIGNED_HEADER,
        )
        if reason is None:
            return None
        basic = fields.get(BASIC_HEADER, "")
        if basic[:6].lower() != "basic ":
            return reason
        if not self.basic_auth:
            return "Basic authentication is not enabled (basic_auth=True)"
        return _basic_failure(self._secrets.get, basic)

    def _parse(self, path: str, fields: dict[str, str], body: bytes) -> Received | Response:
        """The body read into its event class (``UnknownEvent`` for an unknown event)."""
        fast = _read_fast(self.EVENTS, body, self.strict)
        if fast is not None:
            return Received(fast[0], fast[1], fast[2], path, fields, body)
        try:
            document = _json.parse_unique(body)
        except _json.PARSE_ERRORS as error:
            return self._bad(f"the body is not valid JSON: {_json.describe(error)}", body)
        if type(document) is not dict:
            return self._bad("the body is not a JSON object", body)
        event = document.get("event")
        if type(event) is not str or not event:
            return self._bad("the body has no string 'event'", body)
        info = self.EVENTS.get(event)
        if info is None:
            unknown = UnknownEvent(event=event, data=document)
            return Received(event, None, unknown, path, fields, body)
        try:
            parsed = info.read(document, self.strict)
        except StructureError as error:
            return self._bad(f"{event[:40]} event: {error}", body)
        return Received(event, info, parsed, path, fields, body)

    def _bad(self, reason: str, body: bytes) -> Response:
        if self.log_bodies:
            log.info("callback refused (400): %s; body %r", reason, body[:2000])
        else:
            log.info("callback refused (400): %s", reason)
        return _json_response(400, {"error": reason})

    # -- handlers and answers ------------------------------------------------------------
    def _call(self, received: Received) -> Any:
        """The handler's result (an awaitable for an async handler), or the default."""
        event, info = received.event, received.info
        if info is None:
            log.info("callback with unknown event %s answered with {}", shown(event))
            # the hook's result is awaited if it is a coroutine, then ignored: answer {}
            return self._unknown(received.parsed) if self._unknown is not None else None
        handler = self._handlers.get(event)
        if handler is None:
            if info.warn_unanswered:
                log.warning("no handler for %s callbacks: answering with the default", event)
            return info.default_answer() if info.default_answer is not None else None
        if self._wants_request[event]:
            return handler(received.parsed, _request(received, self.SIGNED_HEADER))
        return handler(received.parsed)

    async def _within_deadline(self, event: str, work: Awaitable[Any]) -> Any:
        """The handler's answer, or None (the default answer) when it is later than
        ``deadline``: the platform would have given up on it."""
        if self.deadline is None:
            return await work
        import asyncio

        try:
            return await asyncio.wait_for(work, self.deadline)
        except asyncio.TimeoutError:
            log.warning(
                "the %s handler did not answer within the %.1f s deadline: answering the default",
                event,
                self.deadline,
            )
            return None

    def _note_late(self, event: str, started: float) -> None:
        """A sync handler cannot be stopped: when it was late, the log says so."""
        took = time.monotonic() - started
        if self.deadline is not None and took > self.deadline:
            log.warning(
                "the %s handler took %.1f s, over the %.1f s deadline", event, took, self.deadline
            )

    def _checked_answer(self, received: Received, result: Any) -> Any:
        """The SVAML to answer with (None: ``{}``), checked against what the callback
        accepts; ``InvalidAnswerError`` for a wrong type, or a wrong action in strict mode."""
        info = received.info
        if info is None or not info.answers:
            return None
        if result is None:
            result = info.default_answer() if info.default_answer is not None else None
            if result is None:
                return None
            if info.warn_unanswered and received.event in self._handlers:
                log.warning(
                    "the %s handler answered None: answering %s (the default)",
                    received.event,
                    getattr(getattr(result, "action", None), "name", "the default"),
                )
        problem = None
        if type(result) is not self.SVAML and hasattr(result, "build"):  # a SVAML builder
            problem = _builder_problem(info, result)
            result = result.build()
        if self.SVAML is not None and not isinstance(result, self.SVAML):
            raise InvalidAnswerError(
                f"{with_article(info.name)} handler must return a {self.SVAML.__name__} or a "
                f"builder, not {type(result).__name__}"
            )
        problem = problem or _answer_problem(info, result)
        if problem is not None:
            if self.strict:
                raise InvalidAnswerError(problem)
            log.warning("%s (sent anyway; strict=True refuses it)", problem)
        return result

    @staticmethod
    def _reply(answer: Any) -> Response:
        return EMPTY if answer is None else Response(200, JSON_HEADERS, dumps(answer))


def _failed(event: str, error: Exception) -> Response:
    """500 for a handler that raised or whose answer was refused. A refused answer is the
    dispatcher's verdict, logged as what was wrong (no traceback of the dispatcher's code);
    anything else is the handler's failure, logged with its traceback."""
    if isinstance(error, InvalidAnswerError):
        log.error("refused the %s handler's answer: %s", event, error)
    else:
        log.error("the %s handler failed", event, exc_info=error)
    return INTERNAL


def _builder_problem(info: EventInfo, builder: Any) -> str | None:
    """A builder made for another place (an ``IceResponse`` from a pie handler)."""
    place = getattr(builder, "PLACE", None)
    if place is None or place == info.name:
        return None
    builds = "call updates" if place == "patch" else f"{place} answers"
    return (
        f"{with_article(info.name)} handler answered with the {type(builder).__name__} "
        f"builder, which builds {builds}"
    )


def _is_utf8_json(content_type: str) -> bool:
    """JSON (``application/json``, ``application/*+json``) in UTF-8: any other charset is
    refused rather than read as UTF-8."""
    media, _, parameters = content_type.partition(";")
    media = media.strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        return False
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            return False
    return True


def _run_to_completion(work: Awaitable[Any]) -> Any:
    """Await an async handler from a sync server, on a loop of its own.

    Not ``asyncio.run``: from 3.11 it installs a SIGINT handler of its own while it runs,
    then puts back Python's default one. Under uWSGI that replaces the worker's handler,
    and the master can no longer stop the worker (a reload waits out its mercy, then
    kills it). The same on every Python, and signals stay the server's business.
    """
    import asyncio  # here: a WSGI app that has no async handler never loads it

    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(work)
    finally:
        try:
            left = asyncio.all_tasks(loop)
            if left:  # tasks the handler started and did not await: cancelled, as asyncio.run
                for task in left:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()


def _takes_two(handler: Callable[..., Any]) -> bool:
    """Whether a handler asks for the request too (a second positional parameter)."""
    try:
        parameters = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [
        p
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


def _request(received: Received, header: str) -> CallbackRequest:
    authorization = received.fields.get(header, "")
    signed = authorization[:12].lower() == "application "
    key = authorization[12:].rpartition(":")[0] if signed else None
    return CallbackRequest(
        path=received.path,
        headers=received.fields,
        body=received.body,
        timestamp=received.fields.get("x-timestamp", ""),
        application_key=key or None,
    )


def _answer_problem(spec: EventInfo, answer: Any) -> str | None:
    name = getattr(getattr(answer, "action", None), "name", None)
    if name is not None and name not in spec.actions:
        allowed = ", ".join(sorted(spec.actions)) or "none"
        answer_of = with_article(spec.name)
        return f"{answer_of} answer cannot carry the {name!r} action (allowed: {allowed})"
    if not spec.instructions and getattr(answer, "instructions", None):
        return f"{with_article(spec.name)} answer cannot carry instructions"
    return None


def _lower(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header names in lower case, each once: a repeated header's values joined with ", "
    (RFC 9110), so a second ``authorization`` or ``x-timestamp`` cannot win silently."""
    pairs = headers.items() if hasattr(headers, "items") else headers
    fields: dict[str, str] = {}
    for name, value in pairs:
        lowered = name.lower()
        fields[lowered] = f"{fields[lowered]}, {value}" if lowered in fields else value
    return fields


def _is_async(handler: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004 - a callable object's __call__
    )


def _read_fast(
    events: Mapping[str, EventInfo], body: bytes | str, strict: bool
) -> tuple[str, EventInfo, Any] | None:
    """``(event, its EventInfo, typed event)`` read through msgspec (what the usual path
    would read), or None: then the usual path reads the body."""
    fast = _fast.read_event(body, strict)
    if fast is None:
        return None
    spec = events.get(fast[0])
    if spec is None or type(fast[1]) is not spec.model:
        return None
    return fast[0], spec, fast[1]


def parse_event_with(events: Mapping[str, EventInfo], body: bytes | str, strict: bool) -> Any:
    """The typed event of a callback body, without verification."""
    fast = _read_fast(events, body, strict)
    if fast is not None:
        return fast[2]
    try:
        document = _json.parse_unique(body)
    except _json.PARSE_ERRORS as error:
        raise DecodeError(_json.describe(error)) from None
    event = document.get("event") if type(document) is dict else None
    if type(event) is not str:
        raise StructureError("expected an object with a string 'event'")
    spec = events.get(event)
    if spec is None:
        return UnknownEvent(event=document["event"], data=document)
    return spec.read(document, strict)
