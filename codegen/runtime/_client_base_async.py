"""The asyncio client's base: the shared configuration, sent through aiohttp."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._aiohttp import AsyncTransport, Sleep
from ._call import DEFAULT_DEADLINE
from ._client_base import DEFAULT_TIMEOUT, ClientCore
from ._events import EventHooks
from ._retry import RetryPolicy

if TYPE_CHECKING:
    import aiohttp
    from typing_extensions import Self

    from ._request import Request, Timeout
    from .client import Auth, Region

T = TypeVar("T")

__all__ = ["AsyncBaseClient"]


class AsyncBaseClient(ClientCore[AsyncTransport]):
    """The asyncio client: its calls go through aiohttp on the running loop. Generated
    subclasses add the groups, whose methods are coroutines.

    One client serves one event loop (its session is made there on the first call).
    """

    AWAITS_HOOKS = True

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
        http_client: aiohttp.ClientSession | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        sleep: Sleep = asyncio.sleep,
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
        self._transport = AsyncTransport(
            ca_certs=ca_certs,
            http_client=http_client,
            proxy=proxy,
            trust_env=trust_env,
            sleep=sleep,
            clock=clock,
        )
        self._attach(options, self._base_url, self._host)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the session (also done by ``async with``); a session passed in as
        ``http_client`` is left open for its owner."""
        await self._transport.close()

    def _send(self, request: Request[T]) -> Coroutine[Any, Any, T]:
        """Send one operation and read its answer into its response model: the
        transport's coroutine itself, which the generated method awaits (a coroutine
        around it would only add a frame to every call)."""
        return self._transport.send(self._call(request))
