"""The web process (ASGI): answers from the database; never imports spaCy. Each configured platform
adds its routes (bot/platforms/).

The event loop never waits on the database: blocking work runs in bounded thread pools and is awaited
with a deadline, and request bodies are read in a stream up to a limit (bot/webtools.py); a connection
that trickles its request head is closed (`GuardedH11Protocol`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot import clock, platforms, public
from bot.app import Runtime
from bot.webtools import BoundedPool, finished_within
from db import outbox
from db import sources as source_rows


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with a limit on the time a client takes to send a request head: uvicorn
    times out idle kept-alive connections but not one that trickles its headers (slowloris)."""

    header_timeout: float = 10.0
    _guard: asyncio.TimerHandle | None = None
    _heads: int = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._guard = self.loop.call_later(self.header_timeout, self._too_slow, self._heads)

    def _disarm(self) -> None:
        if self._guard is not None:
            self._guard.cancel()
            self._guard = None

    def _too_slow(self, heads: int) -> None:
        self._guard = None
        if heads == self._heads and not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request head came in whole
            self._heads += 1
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection has as long for its head

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def guarded_protocol(header_timeout: float) -> type[GuardedH11Protocol]:
    """GuardedH11Protocol with its own header timeout (uvicorn takes a protocol class)."""
    return type("GuardedH11", (GuardedH11Protocol,), {"header_timeout": header_timeout})


def create_app(rt: Runtime) -> Starlette:
    health_pool = BoundedPool(1, 0, "ntrack-health")  # a hung check makes the next ones 503 at once
    timeout = rt.settings.health_timeout

    def health() -> dict[str, Any]:
        with rt.sessions.begin() as session:
            last_poll, disabled = source_rows.health(session=session)
            states = outbox.counts(session=session)
        return {"ok": True, "now": clock.now(rt.settings.now).isoformat(),
                "last_successful_poll": last_poll.isoformat() if last_poll else None,
                "outbox_backlog": states.get("pending", 0) + states.get("sending", 0),
                "outbox_parked": states.get("parked", 0), "sources_disabled": disabled}

    def unhealthy(error: str) -> JSONResponse:
        return JSONResponse({"ok": False, "error": error}, status_code=503)

    async def healthz(request: Request) -> JSONResponse:
        pending = health_pool.submit(health)
        if pending is None:
            return unhealthy("database: an earlier health check is still waiting for it")
        if not await finished_within(pending, timeout):
            return unhealthy(f"database: no answer within {timeout:g} s")
        try:
            return JSONResponse(pending.result())
        except Exception as exc:  # the health check reports, it does not crash
            return unhealthy(f"database: {type(exc).__name__}")

    routes: list[BaseRoute] = [Route("/healthz", healthz)]
    if rt.settings.pages:
        routes += public.routes(rt)
    for platform in platforms.enabled(rt.settings):
        routes += platform.routes(rt)
    return Starlette(routes=routes)
