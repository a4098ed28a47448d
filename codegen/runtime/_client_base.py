"""What every generated client shares: configuration, hosts, and sending one operation."""

from __future__ import annotations

import enum
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from . import serde
from ._http import DEFAULT_DEADLINE, RetryPolicy, Transport
from ._provenance import GENERATOR_VERSION, SPEC_VERSION
from ._unset import UNSET
from .errors import ConfigurationError, DecodeError, StructureError, UnexpectedResponseError
from .signing import Secret

if TYPE_CHECKING:
    import urllib3
    from typing_extensions import Self

    from .client import Auth, Region

    Timeout = float | tuple[float, float] | urllib3.Timeout
    """Seconds (connect and read), a (connect, read) pair, or a urllib3 ``Timeout``."""

T = TypeVar("T")

__all__ = ["BaseClient", "expand_path", "header_values", "query_pairs", "request_body"]

DEFAULT_TIMEOUT = (5.0, 30.0)  # seconds: (connect, read)


def expand_path(template: str, parameters: Mapping[str, object]) -> str:
    """The path with each ``{name}`` replaced by its value, percent-encoded.

    The encoded path is what goes on the wire and what is signed. An empty value would
    address another resource (``/calls/id/``), so it is refused.
    """
    path = template
    for name, value in parameters.items():
        text = str(value)
        if not text:
            raise ValueError(f"path parameter {name} must not be empty")
        path = path.replace("{" + name + "}", urllib.parse.quote(text, safe=""))
    return path


def parameter_text(value: object) -> str:
    """A scalar parameter as text: ``true``/``false``, an enum's wire value, a number."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def query_pairs(parameters: Sequence[tuple[str, object, bool]]) -> list[tuple[str, str]]:
    """The query of a request (style ``form``): (name, value, explode) for each parameter.

    Unset parameters are left out; a list is the name repeated when ``explode``, else one
    comma-joined value.
    """
    pairs: list[tuple[str, str]] = []
    for name, value, explode in parameters:
        if value is UNSET:
            continue
        if isinstance(value, (list, tuple)):
            texts = [parameter_text(v) for v in value]
            pairs += [(name, t) for t in texts] if explode else [(name, ",".join(texts))]
        else:
            pairs.append((name, parameter_text(value)))
    return pairs


def header_values(parameters: Sequence[tuple[str, object]]) -> dict[str, str]:
    """Header parameters (style ``simple``): a list is comma-joined; unset ones left out."""
    values = {}
    for name, value in parameters:
        if value is UNSET:
            continue
        if isinstance(value, (list, tuple)):
            values[name] = ",".join(parameter_text(v) for v in value)
        else:
            values[name] = parameter_text(value)
    return values


def request_body(cls: type[T], body: T | None, fields: Mapping[str, Any]) -> T:
    """The body model: the one given, or one built from the keyword arguments set."""
    given = {name: value for name, value in fields.items() if value is not UNSET}
    if body is not None:
        if given:
            raise TypeError(
                f"pass either a {cls.__name__} or keyword arguments, not both "
                f"(got {', '.join(sorted(given))})"
            )
        if not isinstance(body, cls):
            raise TypeError(f"expected a {cls.__name__}, got {type(body).__name__}")
        return body
    try:
        return cls(**given)
    except TypeError as error:
        raise TypeError(f"{cls.__name__}: {error}") from None


class BaseClient:
    """Credentials, hosts and transport. Generated subclasses add the operation groups."""

    REGIONS: ClassVar[Mapping[str, str]] = {}
    DEFAULT_SERVER: ClassVar[str] = ""
    SIGNED_HEADER: ClassVar[str] = "Authorization"  # the header of the spec's signed scheme

    def __init__(
        self,
        application_key: str,
        application_secret: str,
        *,
        auth: Auth = "signed",
        region: Region | None = None,
        base_url: str | None = None,
        allow_http: bool = False,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        deadline: float | None = DEFAULT_DEADLINE,
        ca_certs: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        user_agent: str | None = None,
    ) -> None:
        if not isinstance(application_key, str) or not application_key.strip():
            raise ConfigurationError("application_key must be a non-empty string")
        secret = Secret(application_secret)
        if region is not None and region not in self.REGIONS:
            known = ", ".join(sorted(self.REGIONS))
            raise ConfigurationError(f"unknown region {region!r}; known regions: {known}")
        if base_url is not None:
            _check_url(base_url, allow_http)
        elif not self.DEFAULT_SERVER:
            raise ConfigurationError("the spec names no server for this API: pass base_url")
        transport = Transport(
            application_key=application_key.strip(),
            secret=secret,
            auth=auth,
            timeout=timeout,
            retry=RetryPolicy(max_retries),
            user_agent=user_agent
            or f"sinch-voice-python/{GENERATOR_VERSION} (spec {SPEC_VERSION})",
            allow_http=allow_http,
            ca_certs=ca_certs,
            sleep=sleep,
            clock=clock,
            signed_header=self.SIGNED_HEADER,
            deadline=deadline,
        )
        host = self.REGIONS[region] if region else self.DEFAULT_SERVER
        self._attach(transport, base_url.rstrip("/") if base_url else None, host)

    def _attach(self, transport: Transport, base_url: str | None, host: str) -> None:
        """What a client is: its transport (credentials, pool, retries), the ``base_url``
        that overrides every host, and the host of call and conference operations."""
        self._transport = transport
        self._base_url = base_url
        self._host = host
        self._bind()

    def _bind(self) -> None:
        """Attach the operation groups; generated subclasses override this."""

    def __repr__(self) -> str:
        host = self._base_url or self._host
        return (
            f"{type(self).__name__}(application_key={self._transport.application_key!r}, "
            f"auth={self._transport.auth!r}, host={host!r})"
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (also done by ``with``)."""
        self._transport.close()

    def with_options(
        self,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | Literal["keep"] | None = "keep",
    ) -> Self:
        """A view of this client with other limits for the calls made through it:
        ``client.with_options(max_retries=0).callouts.tts(...)``. Shares the connection
        pool and credentials; ``deadline=None`` removes the overall deadline."""
        view = object.__new__(type(self))
        changed = self._transport.with_options(
            timeout=timeout, max_retries=max_retries, deadline=deadline
        )
        view._attach(changed, self._base_url, self._host)
        return view

    def for_call(self, call_resource_url: str) -> Self:
        """A view of this client that manages calls on the host a callback named.

        An ICE callback carries ``callResourceUrl`` (the regional host that owns the call);
        call and conference operations on the returned client go there. Shares this
        client's connection pool and credentials.
        """
        parts = urllib.parse.urlsplit(str(call_resource_url))
        origin = f"{parts.scheme}://{parts.netloc}"
        _check_url(origin, self._transport.allow_http)
        view = object.__new__(type(self))
        view._attach(self._transport, self._base_url, origin)
        return view

    def _call(
        self,
        operation: str,
        method: str,
        path: str,
        server: str | None,
        body: object | None,
        response: type[T],
        timeout: Timeout | None,
        query: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """Send one operation and read its JSON answer into ``response``.

        An answer that does not fit ``response`` raises ``UnexpectedResponseError`` with
        the operation, status, headers and raw body, so that it can be reported as it came.
        """
        status, received, content = self._exchange(
            method, path, server, body, timeout, query, headers
        )
        try:
            return serde.loads(content, response)
        except (StructureError, DecodeError) as problem:
            lowered = {name.lower(): value for name, value in received.items()}
            raise UnexpectedResponseError(
                operation, status, lowered, content, str(problem)
            ) from None

    def _call_no_content(
        self,
        operation: str,
        method: str,
        path: str,
        server: str | None,
        body: object | None,
        timeout: Timeout | None,
        query: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Send one operation whose answer carries nothing to read (204, or no schema)."""
        self._exchange(method, path, server, body, timeout, query, headers)

    def _exchange(
        self,
        method: str,
        path: str,
        server: str | None,
        body: object | None,
        timeout: Timeout | None,
        query: Sequence[tuple[str, str]],
        headers: Mapping[str, str] | None,
    ) -> tuple[int, Mapping[str, str], bytes]:
        """``server`` is the operation's own host when the spec gives one (configuration).

        The body is written with every value checked against its model (a wrong type is
        refused before anything is sent); the signature covers the path on the wire, not
        the query (as the platform checks).
        """
        base = self._base_url or server or self._host
        url = base + path
        wire_path = urllib.parse.urlsplit(url).path
        if query:
            url += "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
        data = serde.checked_dumps(body) if body is not None else None
        return self._transport.request(method, url, wire_path, data, timeout, headers)


def _check_url(url: str, allow_http: bool) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "http" and not allow_http:
        raise ConfigurationError(
            f"refusing plain http:// for {parts.netloc}; pass allow_http=True (tests only)"
        )
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(f"not an http(s) URL: {url!r}")
