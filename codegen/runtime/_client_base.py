"""What every generated client shares: configuration, hosts, views, and the ``Call`` that
one ``Request`` becomes. ``BaseClient`` sends it with urllib3; ``AsyncBaseClient`` (in
``_client_base_async``) with aiohttp."""

from __future__ import annotations

import functools
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ClassVar, Generic, Literal, Protocol, TypeVar

import attrs

from ._call import DEFAULT_DEADLINE, Call, Credentials, Options, Timeouts, check_deadline
from ._call import extra_headers as checked_headers
from ._events import EventHooks, Hooks
from ._http import Transport
from ._logs import configure_from_environment
from ._provenance import GENERATOR_VERSION, SPEC_VERSION
from ._retry import RetryPolicy
from .errors import ConfigurationError, shown_url
from .signing import Secret

if TYPE_CHECKING:
    import urllib3
    from typing_extensions import Self

    from ._request import Request, Timeout
    from .client import Auth, Region

T = TypeVar("T")

__all__ = ["BaseClient", "ClientCore"]

DEFAULT_TIMEOUT = (5.0, 30.0)  # seconds: (connect, read)


class Driver(Protocol):
    """What the shared part of a client needs of its transport: the clocks of its calls."""

    @property
    def clock(self) -> Callable[[], float]: ...

    @property
    def monotonic(self) -> Callable[[], float]: ...


DriverT = TypeVar("DriverT", bound=Driver)


class ClientCore(Generic[DriverT]):
    """Credentials, hosts and options, whatever does the I/O: both clients share them."""

    REGIONS: ClassVar[Mapping[str, str]] = {}
    DEFAULT_SERVER: ClassVar[str] = ""
    SIGNED_HEADER: ClassVar[str] = "Authorization"  # the header of the spec's signed scheme
    PLATFORM_DOMAIN: ClassVar[str] = ""  # for_call accepts https://*.PLATFORM_DOMAIN
    AWAITS_HOOKS: ClassVar[bool] = False  # the asyncio client awaits what a hook returns

    _transport: DriverT

    def _configure(
        self,
        application_key: str,
        application_secret: str,
        *,
        auth: Auth,
        region: Region | None,
        base_url: str | None,
        allow_http: bool,
        timeout: Timeout,
        max_retries: int | None,
        retry: RetryPolicy | None,
        deadline: float | None,
        headers: Mapping[str, str] | None,
        event_hooks: EventHooks | None,
        user_agent: str | None,
    ) -> Options:
        """Check what both clients take alike; the options of the client's calls."""
        configure_from_environment()
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
        credentials = Credentials(
            application_key.strip(),
            secret,
            auth=auth,
            signed_header=self.SIGNED_HEADER,
            user_agent=user_agent
            or f"sinch-voice-python/{GENERATOR_VERSION} (spec {SPEC_VERSION})",
        )
        self._credentials = credentials
        self._allow_http = allow_http
        self._base_url = base_url.rstrip("/") if base_url else None
        self._host = self.REGIONS[region] if region else self.DEFAULT_SERVER
        return Options(
            timeout=Timeouts.of(timeout),
            retry=_retry_policy(retry, max_retries),
            deadline=check_deadline(deadline),
            headers=checked_headers(headers or {}, credentials),
            hooks=Hooks.of(event_hooks, awaited=self.AWAITS_HOOKS),
        )

    def _attach(self, options: Options, base_url: str | None, host: str) -> None:
        """What a view of a client changes: its options, the ``base_url`` that overrides
        every host, and the host of call and conference operations."""
        self._options = options
        self._base_url = base_url
        self._host = host
        self._bind()

    def _view(self, options: Options, host: str) -> Self:
        """A client sharing this one's credentials and transport (its connection pool)."""
        view = object.__new__(type(self))
        view._credentials = self._credentials
        view._transport = self._transport
        view._allow_http = self._allow_http
        view._attach(options, self._base_url, host)
        return view

    def _bind(self) -> None:
        """Attach the operation groups; generated subclasses override this."""

    def __repr__(self) -> str:
        host = self._base_url or self._host
        return (
            f"{type(self).__name__}(application_key={self._credentials.application_key!r}, "
            f"auth={self._credentials.auth!r}, host={host!r})"
        )

    def with_options(
        self,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | Literal["keep"] | None = "keep",
        headers: Mapping[str, str] | None = None,
        retry: RetryPolicy | None = None,
    ) -> Self:
        """A view of this client with other limits for the calls made through it:
        ``client.with_options(max_retries=0).callouts.tts(...)``.

        Shares the connection pool and credentials. ``deadline=None`` removes the overall
        deadline; ``retry`` replaces the retry policy (``max_retries`` then changes the
        new one); ``headers`` are added to this client's extra headers and cannot replace
        those of authentication and the signature.
        """
        options = self._options
        policy = options.retry
        if retry is not None or max_retries is not None:
            policy = _retry_policy(retry or options.retry, max_retries)
        extra = options.headers
        if headers:
            added = checked_headers(headers, self._credentials)
            names = {name.lower() for name, _ in added}
            extra = tuple((n, v) for n, v in extra if n.lower() not in names) + added
        changed = Options(
            timeout=options.timeout if timeout is None else Timeouts.of(timeout),
            retry=policy,
            deadline=options.deadline if deadline == "keep" else check_deadline(deadline),
            headers=extra,
            hooks=options.hooks,
        )
        return self._view(changed, self._host)

    def for_call(self, call_resource_url: str) -> Self:
        """A view of this client that manages calls on the host a callback named.

        An ICE callback carries ``callResourceUrl`` (the regional host that owns the call);
        call and conference operations on the returned client go there. Only the
        platform's own hosts (``https://*.api.sinch.com``, or the ``base_url`` this client
        was given) are accepted, so that no other host receives a signed request.
        """
        return self._view(self._options, self._platform_origin(call_resource_url))

    def _platform_origin(self, url: object) -> str:
        """``scheme://host`` of a URL on the platform's own hosts; ConfigurationError
        showing the value otherwise (any credentials in it masked)."""
        domain = self.PLATFORM_DOMAIN.lower()
        expected = f"https://<region>.{domain}/..." if domain else "the base_url's host"
        try:
            parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
            port = parts.port if parts else None
        except ValueError:
            parts = None
        if parts is None or not parts.hostname or parts.scheme not in ("http", "https"):
            raise ConfigurationError(
                f"for_call: {shown_url(url)} is not a URL (expected {expected})"
            )
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        _check_url(origin, self._allow_http)
        if self._base_url is not None and origin == _origin(self._base_url):
            return origin
        host = parts.hostname.lower()
        on_platform = (
            bool(domain)
            and parts.scheme == "https"
            and parts.username is None
            and port in (None, 443)
            and host.endswith("." + domain)
        )
        if not on_platform:
            raise ConfigurationError(
                f"for_call: {shown_url(url)} is not on the platform's hosts (expected "
                f"{expected}); a signed request goes to no other host"
            )
        return f"https://{host}"

    def _call(self, request: Request[T]) -> Call[T]:
        """One operation in progress, ready for a driver to send.

        ``request.server`` is the operation's own host when the spec gives one
        (configuration); ``base_url`` overrides every host.
        """
        base = self._base_url or request.server or self._host
        transport = self._transport
        return Call(
            request,
            base + request.path,
            self._credentials,
            self._options,
            clock=transport.clock,
            monotonic=transport.monotonic,
            wire_path=_path_of(base) + request.path,
        )


class BaseClient(ClientCore[Transport]):
    """The blocking client: its calls go through urllib3. Generated subclasses add the
    groups."""

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
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        headers: Mapping[str, str] | None = None,
        event_hooks: EventHooks | None = None,
        ca_certs: str | None = None,
        http_client: urllib3.PoolManager | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        user_agent: str | None = None,
    ) -> None:
        options = self._configure(
            application_key,
            application_secret,
            auth=auth,
            region=region,
            base_url=base_url,
            allow_http=allow_http,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            deadline=deadline,
            headers=headers,
            event_hooks=event_hooks,
            user_agent=user_agent,
        )
        self._transport = Transport(
            ca_certs=ca_certs,
            http_client=http_client,
            proxy=proxy,
            trust_env=trust_env,
            sleep=sleep,
            clock=clock,
        )
        self._attach(options, self._base_url, self._host)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (also done by ``with``); a pool passed in as
        ``http_client`` is left open for its owner."""
        self._transport.close()

    def _send(self, request: Request[T]) -> T:
        """Send one operation and read its answer into its response model."""
        return self._transport.send(self._call(request))


def _retry_policy(policy: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """The policy given (or the default), with ``max_retries`` when that is given too."""
    if policy is not None and not isinstance(policy, RetryPolicy):
        raise ConfigurationError(f"retry must be a RetryPolicy; got {type(policy).__name__}")
    chosen = policy or RetryPolicy()
    if max_retries is None:
        return chosen
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be 0 or more; got {max_retries!r}")
    return attrs.evolve(chosen, max_retries=max_retries)


@functools.lru_cache(maxsize=64)
def _path_of(base: str) -> str:
    """The path of a base URL (``https://host/prefix`` -> ``/prefix``): an operation's
    path on the wire follows it."""
    return urllib.parse.urlsplit(base).path.rstrip("/")


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _check_url(url: str, allow_http: bool) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "http" and not allow_http:
        raise ConfigurationError(
            f"refusing plain http:// for {parts.netloc}; pass allow_http=True (tests only)"
        )
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(f"not an http(s) URL: {url!r}")
