"""Pieces the fake services and the delivery tests share: a loopback HTTP server for a fake API's
state, and a clock that sleeps without waiting."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, TypeVar

S = TypeVar("S")


class LoopbackServer(Generic[S]):
    """`with Server() as state:` serves `handler(state)` on 127.0.0.1 at a free port until the block
    ends; the state's `url` is set, and requests held by its `hang` gates are let go at the end."""

    def __init__(self, state: S, handler: type[BaseHTTPRequestHandler]) -> None:
        self.state = state
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        state.url = f"http://127.0.0.1:{self._server.server_address[1]}"  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> S:
        self._thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        hang: dict[Any, threading.Event] = getattr(self.state, "hang", {})
        for gate in list(hang.values()):
            gate.set()
        self._server.shutdown()
        self._server.server_close()


class FakeClock:
    """monotonic() and sleep() for the outbox's pacing and rate limits, without waiting."""

    def __init__(self, start: float = 100.0) -> None:
        self.t = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.t += seconds
