"""The web process (ASGI): answers from the database; never imports spaCy. Each configured platform
adds its routes (bot/platforms/).

The event loop never waits on the database: blocking work runs in bounded thread pools
(`BoundedPool`: a fixed number of threads and of waiting tasks; beyond that the caller is told at
once) and is awaited with a deadline (`finished_within`). Request bodies are read in a stream up to
a limit (`read_body`); a connection that trickles its request head is closed (`GuardedH11Protocol`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot import clock, platforms, public
from bot.app import Runtime
from db import outbox
from db import sources as source_rows

T = TypeVar("T")
P = ParamSpec("P")


class BoundedPool:
    """A thread pool with `workers` threads and room for `queue` tasks waiting for one: `submit`
    returns None when both are taken, instead of queueing without end."""

    def __init__(self, workers: int, queue: int, name: str) -> None:
        self.capacity = max(1, workers) + max(0, queue)
        self._slots = threading.BoundedSemaphore(self.capacity)
        self._executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix=name)

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T] | None:
        if not self._slots.acquire(blocking=False):
            return None
        try:
            future = self._executor.submit(fn, *args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


async def finished_within(future: Future[T], seconds: float) -> bool:
    """Whether `future` (of a thread pool) is done within `seconds`, awaited without blocking the
    event loop. The future is not cancelled here."""
    if future.done():
        return True
    if seconds <= 0:
        return False
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    def notify(_: Future[T]) -> None:
        try:
            loop.call_soon_threadsafe(wake)
        except RuntimeError:  # the loop is closed: nobody waits any more
            pass

    future.add_done_callback(notify)
    done, _ = await asyncio.wait({ready}, timeout=seconds)
    if not done:
        ready.cancel()
    return bool(done)


class BodyTooLarge(Exception):
    """The request body is, or says it is, longer than the limit."""


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The raw body, read chunk by chunk and stopped at `limit` bytes (BodyTooLarge) or after
    `timeout` seconds (TimeoutError). A declared Content-Length over the limit is refused unread."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0

    async def pull() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)

    await asyncio.wait_for(pull(), timeout)
    return b"".join(chunks)


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
