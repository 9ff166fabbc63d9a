"""GET /t/<slug>/changes.atom: the tracker's alerted changes, newest first, as an Atom feed
(bot/atomfeed.py words it)."""

from __future__ import annotations

from datetime import datetime

from starlette.routing import BaseRoute

from bot import atomfeed
from bot.app import Runtime
from bot.public.documents import document_route
from bot.tracker import Tracker
from db import calendar as calendar_rows

MAX_ENTRIES = 50
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


def build(rt: Runtime, tracker: Tracker, tracker_id: int, now: datetime) -> bytes:
    """The feed as of `now`: changes made up to then, read in one transaction."""
    with rt.sessions.begin() as session:
        changes = calendar_rows.alerted_changes(session=session, tracker_id=tracker_id, until=now, limit=MAX_ENTRIES)
    return atomfeed.feed_bytes(changes, slug=tracker.slug, title=tracker.title, public_url=rt.settings.public_url,
                               empty_updated=now)


def routes(rt: Runtime) -> list[BaseRoute]:
    return [document_route(rt, "/t/{slug}/changes.atom", lambda t, tid, now: build(rt, t, tid, now),
                           media_type=MEDIA_TYPE, max_age=300, name="changes-feed")]
