"""Rows for the Slack tests, written straight to the database (no spaCy): events with their sources,
status changes, subscriptions and their outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.app import Runtime
from db import models as m
from db import outbox, repo

HEADLINE = "<!channel> Putin & Mori <b>to meet</b> in Brunei"
WHEN = datetime(2000, 11, 5, 9, tzinfo=UTC)


def kuril_id(rt: Runtime) -> int:
    return rt.tracker_id(rt.tracker("kuril"))


def add_event(
    rt: Runtime, *, type: str = "summit", status: str = "scheduled", day: date = date(2000, 11, 15),
    location: str | None = "Brunei", title: str = HEADLINE, url: str = "https://news.example/brunei?a=1&b=2",
    n: int = 0,
) -> int:
    """An event with one article as its evidence; returns the event id."""
    tid = kuril_id(rt)
    with rt.sessions.begin() as s:
        art = m.Article(tracker_id=tid, guid=f"guid-{type}-{n}-{day}", url=url, title=title, published=WHEN,
                        fetched_at=WHEN, text=f"{title}. The leaders will meet.", content_hash=f"h{n}{day}",
                        relevant=True)
        s.add(art)
        s.flush()
        ev = m.Event(tracker_id=tid, type=type, status=status, date_value=day.isoformat(), date_start=day,
                     date_end=day, granularity="day", location=location, summary=title, mentions=1, as_of=WHEN,
                     first_seen_at=WHEN, updated_at=WHEN)
        ev.evidence.append(m.EvidenceRow(article_id=art.id, sentence=title, start=0, end=len(title), published=WHEN,
                                         status=status, date_value=day.isoformat(), attribution=[]))
        s.add(ev)
        s.flush()
        return ev.id


def subscribe(rt: Runtime, channel: str, *, team_id: str = "T0001", platform: str = "slack", level: str = "all") -> int:
    with rt.sessions.begin() as s:
        return repo.subscribe(session=s, tracker_id=kuril_id(rt), platform=platform, channel=channel,
                              team_id=team_id, level=level, now=WHEN).id


def add_change(rt: Runtime, event_id: int, *, kind: str = "status", old: str = "proposed", new: str = "scheduled") -> list[int]:
    """A status change, queued to every subscribed channel as the pipeline does; returns delivery ids."""
    tid = kuril_id(rt)
    with rt.sessions.begin() as s:
        change = m.StatusChange(tracker_id=tid, event_id=event_id, kind=kind, old=old, new=new, created_at=WHEN,
                                alert=True)
        s.add(change)
        s.flush()
        outbox.queue_alerts(session=s, tracker_id=tid, change=change, event_type=s.get_one(m.Event, event_id).type, now=WHEN)
        return [d.id for d in s.query(m.Outbox).filter_by(change_id=change.id).order_by(m.Outbox.id)]


def delivery(rt: Runtime, delivery_id: int) -> m.Outbox:
    with rt.sessions.begin() as s:
        return s.get_one(m.Outbox, delivery_id)


def three_alerts(rt: Runtime, channel: str = "C1") -> list[int]:
    """A channel subscribed to the Brunei summit's three status changes; their delivery ids in order."""
    subscribe(rt, channel)
    ev = add_event(rt)
    ids = []
    for old, new in (("proposed", "scheduled"), ("scheduled", "postponed"), ("postponed", "scheduled")):
        ids += add_change(rt, ev, old=old, new=new)
    return ids
