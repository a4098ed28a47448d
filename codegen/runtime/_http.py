"""The urllib3 driver: sends a ``Call``'s attempts and reports what came back.

Everything that is a rule (signing each attempt afresh, the retry decision, the deadline,
``Retry-After``, the typed errors) lives in ``_call``; this module only does I/O: pick
the pool (direct, or through a proxy), send, read, sleep, call the hooks. urllib3's own
``Retry`` is switched off: it would resend the same bytes with a stale signature.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._call import Call, Failure, Outcome, Timeouts
from ._events import call_unawaited
from .errors import ConfigurationError, TransportError, shown_url

if TYPE_CHECKING:
    import urllib3

__all__ = ["EnvironmentProxies", "Proxy", "Transport"]

T = TypeVar("T")


class Proxy:
    """A forward proxy: its URL without credentials, and the header that carries them.

    ``str()`` and ``repr()`` show the URL with the credentials masked.
    """

    def __init__(self, url: str, source: str = "proxy") -> None:
        """``source`` names where the URL came from in errors: ``proxy`` (the option) or
        the environment variable."""
        try:
            parts = urllib.parse.urlsplit(url)
            port = parts.port
        except (TypeError, ValueError, AttributeError):
            raise ConfigurationError(
                f"{source}: not a proxy URL: {shown_url(url)} (expected http://host:port)"
            ) from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(
                f"{source}: not an http(s) proxy URL: {shown_url(url)} (expected http://host:port)"
            )
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        self.url = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
        self.headers: dict[str, str] = {}
        if parts.username is not None:
            import urllib3

            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "")
            self.headers = urllib3.make_headers(proxy_basic_auth=f"{user}:{password}")
        self.shown = (
            f"{parts.scheme}://***@{host}" + (f":{port}" if port else "")
            if self.headers
            else self.url
        )

    def __repr__(self) -> str:
        return f"Proxy({self.shown!r})"

    __str__ = __repr__


class EnvironmentProxies:
    """The proxies of ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` (either case), read and
    checked once, when the client is made: a wrong one fails there, named; and the one
    for a URL, unless ``NO_PROXY`` names its host. Both clients use it."""

    def __init__(self, enabled: bool) -> None:
        self._environment = urllib.request.getproxies_environment() if enabled else {}
        self._proxies = {
            scheme: Proxy(
                url if "://" in url else "http://" + url,  # host:port, as curl reads it
                f"{'ALL' if scheme == 'all' else scheme.upper()}_PROXY (environment)",
            )
            for scheme, url in self._environment.items()
            if scheme in ("https", "http", "all") and url
        }

    def __bool__(self) -> bool:
        """Whether the environment names any proxy."""
        return bool(self._proxies)

    def for_url(self, url: str) -> Proxy | None:
        """The environment's proxy for ``url``; None to connect directly."""
        if not self._proxies:
            return None
        parts = urllib.parse.urlsplit(url)
        chosen = self._proxies.get(parts.scheme) or self._proxies.get("all")
        bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
        if chosen is None or bypass(parts.netloc, self._environment):
            return None
        return chosen


def refuse_pool_settings(proxy: str | None, ca_certs: str | None, pool: str, advice: str) -> None:
    """``proxy=`` and ``ca_certs=`` configure the pool (or session) the client makes: beside
    ``http_client=`` they would be ignored in silence, so they are refused, saying where
    they belong instead."""
    if proxy is not None or ca_certs is not None:
        given = "proxy" if proxy is not None else "ca_certs"
        raise ConfigurationError(
            f"{given}= configures the {pool} the client makes; with http_client=, {advice}"
        )


class Transport:
    """Sends requests through urllib3; thread-safe. It closes only pools it created.

    Proxies: an explicit ``proxy`` for every request; else, with ``trust_env``, the
    ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` of the environment (as read when the
    client is made) for each request's host; a pool passed in is used as it is.
    """

    def __init__(
        self,
        *,
        ca_certs: str | None = None,
        http_client: urllib3.PoolManager | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        import urllib3  # here, not at import: only clients pay for urllib3

        self._urllib3 = urllib3
        self.sleep = sleep
        self.clock = clock
        self.monotonic = monotonic
        if http_client is not None:
            if not isinstance(http_client, urllib3.PoolManager):
                raise ConfigurationError(
                    f"http_client must be a urllib3.PoolManager; got {type(http_client).__name__}"
                )
            refuse_pool_settings(
                proxy,
                ca_certs,
                "pool",
                "set it on your own PoolManager (urllib3.ProxyManager for a proxy)",
            )
        self._given = http_client
        self._ca_certs = ca_certs
        self._proxy = Proxy(proxy) if proxy is not None else None
        self._environment = EnvironmentProxies(trust_env and proxy is None)
        self._pools: dict[str, urllib3.PoolManager] = {}  # proxy URL ("" direct) -> pool
        self._lock = threading.Lock()
        self._timeouts: dict[Timeouts, urllib3.Timeout] = {}
        self._closed = threading.Event()

    def __repr__(self) -> str:
        via = f", proxy={self._proxy.shown!r}" if self._proxy else ""
        return f"Transport({'own pool' if self._given is None else 'given pool'}{via})"

    @property
    def owns_pool(self) -> bool:
        return self._given is None

    def close(self) -> None:
        """Close the pools this transport made; a pool passed in stays open."""
        self._closed.set()
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.clear()

    # -- one call -----------------------------------------------------------------------
    def send(self, call: Call[T]) -> T:
        """Send the call's attempts until one is final; its result, or its error."""
        if self._closed.is_set():
            raise ConfigurationError("this client has been closed")
        hooks = call.options.hooks
        while True:
            attempt = call.next_attempt()
            if hooks.request:
                event = call.request_event(attempt)
                for on_request in hooks.request:
                    call_unawaited(on_request, event)
            status, content = 0, b""
            headers: Mapping[str, str] = {}
            outcome: Outcome
            pool = self._pool_for(attempt.url)
            try:
                response = pool.urlopen(
                    attempt.method,
                    attempt.url,
                    body=attempt.body,
                    headers=attempt.headers,
                    timeout=self._timeout(attempt.timeouts),
                    redirect=False,
                    retries=False,
                    preload_content=False,
                )
                content = self._read(response, call)
            except TransportError as late:  # the deadline passed while reading
                outcome = call.interrupted(attempt, late)
            except Exception as error:  # urllib3 raises several families; sorted below
                outcome = call.failed(attempt, self._failure(error))
            else:
                status, headers = response.status, response.headers
                outcome = call.answered(attempt, status, headers, content)
            if outcome.event is not None:
                for on_response in hooks.response:
                    call_unawaited(on_response, outcome.event)
            if outcome.error is not None:
                raise outcome.error from None
            if outcome.retry_in is None:
                return call.result(status, headers, content)
            self.sleep(outcome.retry_in)

    def _pool_for(self, url: str) -> urllib3.PoolManager:
        if self._given is not None:
            return self._given
        proxy = self._proxy or self._environment.for_url(url)
        key = proxy.url if proxy else ""
        pool = self._pools.get(key)
        if pool is None:
            with self._lock:
                pool = self._pools.get(key)
                if pool is None:
                    pool = self._pools[key] = self._new_pool(proxy)
        return pool

    def _new_pool(self, proxy: Proxy | None) -> urllib3.PoolManager:
        library = self._urllib3
        settings: dict[str, Any] = {
            "num_pools": 8,
            "maxsize": 16,
            "block": False,
            "cert_reqs": "CERT_REQUIRED",
            "ca_certs": self._ca_certs,
            "retries": False,
        }
        pool: urllib3.PoolManager = (
            library.PoolManager(**settings)
            if proxy is None
            else library.ProxyManager(proxy.url, proxy_headers=proxy.headers, **settings)
        )
        return pool

    def _timeout(self, timeouts: Timeouts) -> urllib3.Timeout:
        made = self._timeouts.get(timeouts)
        if made is None:
            made = self._urllib3.Timeout(connect=timeouts.connect, read=timeouts.read)
            if len(self._timeouts) < 64:  # the limits in use; deadline-cut ones vary
                self._timeouts[timeouts] = made
        return made

    def _read(self, response: Any, call: Call[Any]) -> bytes:
        """The body, read as it comes so that a server trickling bytes cannot hold the
        call past its deadline (a read timeout only bounds the wait for each byte)."""
        if call.ends is None:
            return bytes(response.data or b"")
        parts: list[bytes] = []
        # without a content coding, the body is complete when its length is read: no
        # further read to find the end (a decoder may still hold bytes: read on then)
        counted = "content-encoding" not in response.headers
        try:
            while True:
                chunk = response.read1(65536)
                if not chunk:
                    return b"".join(parts)
                parts.append(chunk)
                call.check_reading()
                if counted and response.length_remaining == 0:
                    return b"".join(parts)
        finally:
            response.release_conn()

    def _failure(self, error: Exception) -> Failure:
        """What kind of failure a urllib3 exception is, for the retry rule."""
        exceptions = self._urllib3.exceptions
        cause = error.reason if isinstance(error, exceptions.MaxRetryError) else error
        if isinstance(cause, exceptions.ProxyError):
            # the proxy could not be reached or refused the tunnel: nothing was sent on
            inner = cause.original_error
            if isinstance(inner, exceptions.SSLError):
                return Failure("tls", f"to the proxy: {_short(inner)}")
            return Failure("no connection", f"through the proxy: {_short(inner)}")
        if isinstance(cause, exceptions.SSLError):
            return Failure("tls", _short(cause))
        if isinstance(cause, (exceptions.NewConnectionError, exceptions.ConnectTimeoutError)):
            return Failure("no connection", _short(cause))
        if isinstance(cause, (exceptions.ReadTimeoutError, exceptions.TimeoutError)):
            return Failure("read timeout", _short(cause))
        return Failure("connection failed", _short(cause))


def _short(error: BaseException) -> str:
    return str(error).split(": ", 1)[-1][:200]
