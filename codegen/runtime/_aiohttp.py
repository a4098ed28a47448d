"""The aiohttp driver: sends a ``Call``'s attempts on the event loop, never blocking it.

It does what ``_http`` does for urllib3 and nothing more: every rule (signing each
attempt afresh, the retry decision, the deadline, ``Retry-After``, the typed errors)
is ``_call``'s. Waits are ``asyncio.sleep``; a cancelled task releases its connection
and sees ``CancelledError``, never a library exception. aiohttp is imported when the
first ``AsyncVoiceClient`` is made, so ``import sinch_voice`` works without it.
"""

from __future__ import annotations

import asyncio
import inspect
import ssl
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._call import Attempt, Call, Failure, Outcome, Timeouts
from ._http import EnvironmentProxies, Proxy, refuse_pool_settings
from .errors import ConfigurationError, TransportError

if TYPE_CHECKING:
    import aiohttp

__all__ = ["EXTRA", "AsyncTransport", "require_aiohttp"]

T = TypeVar("T")

EXTRA = "sinch-voice[aiohttp]"

Sleep = Callable[[float], object]
"""``asyncio.sleep`` or a stand-in: what it returns is awaited when it is awaitable, so a
plain function (a test's recorder) is allowed too."""


def require_aiohttp() -> Any:
    """The aiohttp module; a one-line ``ConfigurationError`` naming the extra without it."""
    try:
        import aiohttp
    except ImportError:
        raise ConfigurationError(f"AsyncVoiceClient needs aiohttp: pip install '{EXTRA}'") from None
    return aiohttp


async def settle(value: object) -> None:
    """Await what a hook or sleeper returned when it is awaitable (``async def`` ones)."""
    if inspect.isawaitable(value):
        await value


class AsyncTransport:
    """Sends requests through an ``aiohttp.ClientSession``; it closes only a session it
    made, and makes it on the first call (a session belongs to the running loop).

    Proxies: an explicit ``proxy`` for every request; else, with ``trust_env``, the
    ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` of the environment as read when the
    client is made (as ``VoiceClient`` reads them); a session passed in is used as it
    is (its own ``trust_env`` decides).
    """

    def __init__(
        self,
        *,
        ca_certs: str | None = None,
        http_client: aiohttp.ClientSession | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        library = require_aiohttp()
        import yarl  # aiohttp's URL type

        self._aiohttp = library
        self._url = yarl.URL
        self.sleep = sleep
        self.clock = clock
        self.monotonic = monotonic
        if http_client is not None:
            if not isinstance(http_client, library.ClientSession):
                raise ConfigurationError(
                    "http_client must be an aiohttp.ClientSession; got "
                    f"{type(http_client).__name__}"
                )
            refuse_pool_settings(
                proxy,
                ca_certs,
                "session",
                "set it on your own aiohttp.ClientSession (its connector, or proxy=)",
            )
        self._given = http_client
        self._session: aiohttp.ClientSession | None = http_client
        # made now, not on the loop: loading the CA certificates takes milliseconds
        self._ssl = ssl.create_default_context(cafile=ca_certs) if http_client is None else None
        self._proxy = Proxy(proxy) if proxy is not None else None
        # read as the blocking client reads it, once: aiohttp's trust_env reads the
        # environment (and ~/.netrc) on every request, which doubled a call's time
        self._environment = EnvironmentProxies(trust_env and proxy is None)
        self._proxies: dict[str, Proxy | None] = {}  # origin -> its proxy, None: direct
        # no proxy to look up for any URL: the common case, decided once
        self._direct = self._proxy is None and (http_client is not None or not self._environment)
        self._timeouts: dict[Timeouts, aiohttp.ClientTimeout] = {}
        self._closed = False

    def __repr__(self) -> str:
        via = f", proxy={self._proxy.shown!r}" if self._proxy else ""
        return f"AsyncTransport({'own session' if self._given is None else 'given session'}{via})"

    @property
    def owns_pool(self) -> bool:
        return self._given is None

    async def close(self) -> None:
        """Close the session this transport made; a session passed in stays open."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._given is None:
            await session.close()

    def _session_now(self) -> aiohttp.ClientSession:
        """The session, made on first use inside the running loop."""
        if self._closed:
            raise ConfigurationError("this client has been closed")
        session = self._session
        if session is None:
            library = self._aiohttp
            session = self._session = library.ClientSession(
                connector=library.TCPConnector(ssl=self._ssl, limit=100)
            )
        return session

    # -- one call -----------------------------------------------------------------------
    async def send(self, call: Call[T]) -> T:
        """Send the call's attempts until one is final; its result, or its error."""
        session = self._session_now()
        hooks = call.options.hooks
        url_of = self._url
        direct = self._direct
        while True:
            attempt = call.next_attempt()
            if hooks.request:
                event = call.request_event(attempt)
                for on_request in hooks.request:
                    await settle(on_request(event))
            status, content = 0, b""
            headers: Mapping[str, str] = {}
            outcome: Outcome
            proxy = None if direct else self._proxy_for(call.url)
            try:
                async with session.request(
                    attempt.method,
                    url_of(attempt.url, encoded=True),  # signed as it is: not re-quoted
                    data=attempt.body,
                    headers=attempt.headers if proxy is None else _with_proxy_login(attempt, proxy),
                    timeout=self._timeout(attempt.timeouts),
                    allow_redirects=False,
                    proxy=proxy.url if proxy else None,
                    proxy_headers=proxy.headers if proxy else None,
                ) as response:
                    stream = response.content
                    if stream.is_eof():  # the whole answer came with its headers
                        content = stream.read_nowait()
                    else:
                        content = await self._read(response, call)
                    status, headers = response.status, response.headers
            except TransportError as late:  # the deadline passed while reading
                outcome = call.interrupted(attempt, late)
            except Exception as error:  # aiohttp raises several families; sorted below
                outcome = call.failed(attempt, self._failure(error))
            else:
                outcome = call.answered(attempt, status, headers, content)
            if outcome.event is not None:
                for on_response in hooks.response:
                    await settle(on_response(outcome.event))
            if outcome.error is not None:
                raise outcome.error from None
            if outcome.retry_in is None:
                return call.result(status, headers, content)
            await settle(self.sleep(outcome.retry_in))

    def _proxy_for(self, url: str) -> Proxy | None:
        """The proxy of ``url``: the explicit one; or the environment's, unless
        ``NO_PROXY`` names its host; none with a session passed in (it has its own)."""
        if self._proxy is not None or self._given is not None or not self._environment:
            return self._proxy
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxies:
            if len(self._proxies) > 64:  # for_call hosts vary: keep the cache small
                self._proxies.clear()
            self._proxies[origin] = self._environment.for_url(url)
        return self._proxies[origin]

    def _timeout(self, timeouts: Timeouts) -> aiohttp.ClientTimeout:
        made = self._timeouts.get(timeouts)
        if made is None:
            made = self._aiohttp.ClientTimeout(
                total=None, sock_connect=timeouts.connect, sock_read=timeouts.read
            )
            if len(self._timeouts) < 64:  # the limits in use; deadline-cut ones vary
                self._timeouts[timeouts] = made
        return made

    async def _read(self, response: aiohttp.ClientResponse, call: Call[Any]) -> bytes:
        """The body, read as it comes so that a server trickling bytes cannot hold the
        call past its deadline (the read timeout only bounds the wait for each chunk)."""
        if call.ends is None:
            return await response.read()
        parts: list[bytes] = []
        async for chunk in response.content.iter_any():
            parts.append(chunk)
            call.check_reading()
        return b"".join(parts)

    def _failure(self, error: Exception) -> Failure:
        """What kind of failure an aiohttp exception is, for the retry rule."""
        library = self._aiohttp
        if isinstance(error, library.ClientSSLError):
            return Failure("tls", _short(error))
        if isinstance(error, (library.ClientProxyConnectionError, library.ClientHttpProxyError)):
            # the proxy could not be reached or refused the tunnel: nothing was sent on
            return Failure("no connection", f"through the proxy: {_short(error)}")
        if isinstance(error, library.ClientConnectorError):
            return Failure("no connection", _short(error))
        connect_timeout = getattr(library, "ConnectionTimeoutError", None)  # aiohttp 3.10+
        if connect_timeout is not None and isinstance(error, connect_timeout):
            return Failure("no connection", "timed out connecting")
        if isinstance(error, (asyncio.TimeoutError, TimeoutError)):
            return Failure("read timeout", _short(error) or "timed out reading")
        return Failure("connection failed", _short(error) or type(error).__name__)


def _with_proxy_login(attempt: Attempt, proxy: Proxy) -> dict[str, str]:
    """The attempt's headers; through a proxy to a plain http:// URL the request itself
    goes to the proxy, so it carries the proxy's credentials (for https:// the tunnel's
    CONNECT carries them, from ``proxy_headers``)."""
    if not proxy.headers or attempt.url.startswith("https:"):
        return attempt.headers
    return {**attempt.headers, **proxy.headers}


def _short(error: BaseException) -> str:
    return str(error)[:200]
