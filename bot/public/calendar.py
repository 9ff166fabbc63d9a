"""GET /t/<slug>/calendar.ics: the tracker's dated events as a calendar to subscribe to (bot/ics.py
words it). The last six months and everything ahead, at most MAX_EVENTS of them."""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.routing import BaseRoute

from bot import event_types as et
from bot import ics
from bot.app import Runtime
from bot.public.documents import document_route
from bot.tracker import Tracker
from db import calendar as calendar_rows

PAST = timedelta(days=183)
MAX_EVENTS = 500
# Events a subscriber would put in a diary: every type whose changes are news (statements are not:
# nearly every article has one).
TYPES = tuple(t for t in et.EVENT_TYPES if et.alerts(t))
MEDIA_TYPE = "text/calendar; charset=utf-8"


def build(rt: Runtime, tracker: Tracker, tracker_id: int, now: datetime) -> bytes:
    """The calendar as of `now`, read in one transaction."""
    with rt.sessions.begin() as session:
        events = calendar_rows.dated_events(session=session, tracker_id=tracker_id, since=(now - PAST).date(),
                                            types=TYPES, limit=MAX_EVENTS)
    return ics.calendar_bytes(events, slug=tracker.slug, title=tracker.title, public_url=rt.settings.public_url)


def routes(rt: Runtime) -> list[BaseRoute]:
    return [document_route(rt, "/t/{slug}/calendar.ics", lambda t, tid, now: build(rt, t, tid, now),
                           media_type=MEDIA_TYPE, max_age=900, name="calendar")]
