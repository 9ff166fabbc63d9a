"""GET /t/<slug>/timeline.png: the tracker's timeline picture (bot/chart.py says what it shows).

`?months=N` (the last N months and a little ahead, default 12) or `?from=YYYY-MM-DD&to=YYYY-MM-DD`;
other parameters (Slack's cache-busting `v=`) are ignored. A bad value is a 400 in one line. The
picture's ETag is its content hash: a client that has it gets 304, and a picture drawn before is a
file read (bot/chart_store.py). The database and the drawing run in a bounded pool, never on the
event loop; when the pool is full, or a picture takes longer than NTRACK_ANSWER_DEADLINE, 503. A
picture asked for again within MEMO_SECONDS costs no query at all: its hash is remembered.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot import clock
from bot.app import Runtime
from bot.chart import Window, digest, parse_window, picture_for
from bot.chart_store import ChartStore, warm_up
from bot.errors import UserError
from bot.public.documents import etag_matches
from bot.webtools import BoundedPool, finished_within

CACHE_CONTROL = "public, max-age=300"  # today moves at midnight; the data whenever the worker polls
THREADS, QUEUE = 4, 64
# A picture asked for again within this many seconds is not looked up again: its hash is remembered
# (the rows of a year of a busy negotiation take longer to read than the file). Far less than the
# five minutes Cache-Control lets any client keep it.
MEMO_SECONDS = 10.0
MEMO_SIZE = 256
log = logging.getLogger("ntrack.chart")


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text + "\n", status_code=status)


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    key: str = ""
    png: bytes = b""
    error: str = ""


class _Memo:
    """(slug, window) -> the content hash last read for it, for MEMO_SECONDS (at most MEMO_SIZE kept)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, Window], tuple[float, str]] = {}

    def get(self, what: tuple[str, Window]) -> str | None:
        with self._lock:
            found = self._keys.get(what)
        if found is None or time.monotonic() - found[0] > MEMO_SECONDS:
            return None
        return found[1]

    def put(self, what: tuple[str, Window], key: str) -> None:
        with self._lock:
            if len(self._keys) >= MEMO_SIZE:
                self._keys.clear()
            self._keys[what] = (time.monotonic(), key)


def routes(rt: Runtime) -> list[BaseRoute]:
    store = ChartStore.of(rt.settings)
    pool = BoundedPool(THREADS, QUEUE, "ntrack-chart")
    pool.submit(warm_up)  # matplotlib is imported beside start-up, not in the first request
    deadline = rt.settings.answer_deadline

    memo = _Memo()

    def answer(slug: str, window: Window, etag: str | None) -> _Answer:
        key = memo.get((slug, window))
        if key is not None:
            if etag_matches(etag, key):
                return _Answer(304, key)
            png = store.cached(key)
            if png is not None:
                return _Answer(200, key, png)
        found = rt.by_slug(slug)
        if found is None:
            return _Answer(404, error=f"no tracker {slug!r}")
        tracker, tracker_id = found
        with rt.sessions.begin() as session:
            picture = picture_for(session=session, tracker=tracker, tracker_id=tracker_id, window=window)
        key = digest(picture)
        memo.put((slug, window), key)
        if etag_matches(etag, key):
            return _Answer(304, key)
        return _Answer(200, key, store.png(picture, key)[1])

    async def timeline_png(request: Request) -> Response:
        slug = request.path_params["slug"]
        try:
            window = parse_window(request.query_params, clock.now(rt.settings.now).date())
        except UserError as exc:
            return _plain(400, str(exc))
        pending = pool.submit(answer, slug, window, request.headers.get("if-none-match"))
        if pending is None:
            return _plain(503, "busy drawing pictures: try again in a few seconds")
        if not await finished_within(pending, deadline):
            return _plain(503, "the picture is taking too long: try again in a minute")
        try:
            done = pending.result()
        except Exception:
            log.exception("the timeline picture of %r failed", slug)
            return _plain(500, "the picture could not be drawn (an internal error, logged)")
        if done.error:
            return _plain(done.status, done.error)
        headers = {"ETag": f'"{done.key}"', "Cache-Control": CACHE_CONTROL}
        if done.status == 304:
            return Response(status_code=304, headers=headers)
        return Response(done.png, media_type="image/png", headers=headers)

    return [Route("/t/{slug}/timeline.png", timeline_png, methods=["GET", "HEAD"])]
