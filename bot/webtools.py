"""What every route of the web process uses to stay responsive: bounded thread pools for blocking work
(`BoundedPool`: a fixed number of threads and of waiting tasks; beyond that the caller is told at once),
a deadline wait that never blocks the event loop (`finished_within`), and a request body read in a
stream up to a limit (`read_body`). bot/web.py builds the app; the platforms and bot/public/ use these."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from starlette.requests import Request

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
