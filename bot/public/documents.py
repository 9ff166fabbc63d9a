"""Serving a document built from the database (the calendar, the changes feed) at /t/<slug>/...: the
tracker found by its slug, the reads run off the event loop in a bounded pool and awaited with a
deadline (as /healthz does), the bytes sent with an ETag so a calendar app or feed reader that polls
gets 304 while nothing changed."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot import clock
from bot.app import Runtime
from bot.tracker import Tracker
from bot.webtools import BoundedPool, finished_within

log = logging.getLogger("ntrack.public")

# Reads at once, and reads that may wait for one; beyond that a poller is told to come back later.
WORKERS, QUEUE = 2, 16
RETRY_AFTER = "60"

# What a route builds: (tracker, its database id, now) -> the document.
Build = Callable[[Tracker, int, datetime], bytes]


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(header: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (quoted or not, weak or strong) or is `*`."""
    if not header:
        return False
    offered = {t.strip().removeprefix("W/").strip('"') for t in header.split(",")}
    return tag.strip('"') in offered or "*" in offered


def _unavailable(text: str) -> Response:
    return PlainTextResponse(text + "\n", status_code=503, headers={"Retry-After": RETRY_AFTER})


def document_route(rt: Runtime, path: str, build: Build, *, media_type: str, max_age: int, name: str) -> Route:
    """A GET route at `path` (with a {slug} parameter) answering `build`'s bytes for that tracker."""
    pool = BoundedPool(WORKERS, QUEUE, f"ntrack-{name}")
    deadline = rt.settings.answer_deadline

    def read(slug: str, now: datetime) -> bytes | None:
        found = rt.by_slug(slug)
        return None if found is None else build(found[0], found[1], now)

    async def serve(request: Request) -> Response:
        slug = str(request.path_params["slug"])
        pending = pool.submit(read, slug, clock.now(rt.settings.now))
        if pending is None:
            return _unavailable("busy: too many requests are waiting for the database; try again in a minute")
        if not await finished_within(pending, deadline):
            return _unavailable(f"the database did not answer within {deadline:g} s; try again in a minute")
        try:
            body = pending.result()
        except Exception:  # a poller gets one line; the log has the rest
            log.exception("%s for %r failed", name, slug)
            return _unavailable("ntrack could not read its database just now; try again in a minute")
        if body is None:
            return PlainTextResponse(f"no tracker {slug[:64]!r} here\n", status_code=404)
        tag = etag(body)
        headers = {"ETag": tag, "Cache-Control": f"public, max-age={max_age}"}
        if etag_matches(request.headers.get("if-none-match"), tag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=media_type, headers=headers)

    return Route(path, serve, methods=["GET"], name=name)
