"""Rows for the calendar and changes-feed tests, written straight to the database (no spaCy), and a
runtime that publishes under a public URL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from starlette.testclient import TestClient

from bot.app import Runtime, open_runtime
from bot.dates import granularity, interval
from bot.settings import Settings
from bot.web import create_app
from db import models as m

PUBLIC = "https://ntrack.example/news/"
NOW = "2000-11-06T12:00:00Z"
WHEN = datetime(2000, 11, 5, 9, tzinfo=UTC)


def public_runtime(db_url: str, **extra: str) -> Runtime:
    values = {"DATABASE_URL": db_url, "NTRACK_NOW": NOW, "NTRACK_PUBLIC_URL": PUBLIC, **extra}
    return open_runtime(Settings(**values), migrate=True)  # type: ignore[arg-type]


def get_ok(rt: Runtime, url: str) -> Any:
    """GET `url` from the web app of `rt`, which must answer 200."""
    resp = TestClient(create_app(rt)).get(url)
    assert resp.status_code == 200, resp.text
    return resp


def kuril_id(rt: Runtime) -> int:
    return rt.tracker_id(rt.tracker("kuril"))


def add_event(
    rt: Runtime, *, type: str = "summit", status: str = "scheduled", value: str | None = "2000-11-15",
    location: str | None = "Brunei", title: str = "Putin and Mori to meet in Brunei",
    sentence: str = "Putin and Mori will meet in Brunei on November 15.", url: str | None = "https://news.example/a",
    people: tuple[str, ...] = ("Vladimir Putin", "Yoshiro Mori"), seen: datetime = WHEN,
) -> int:
    """An event with one article as its evidence and its people; returns its id."""
    tid = kuril_id(rt)
    span = interval(value)
    with rt.sessions.begin() as s:
        n = s.query(m.Article).count()
        art = m.Article(tracker_id=tid, guid=f"guid-{n}", url=url, title=title, published=seen, fetched_at=seen,
                        text=sentence, content_hash=f"h{n}", relevant=True)
        s.add(art)
        s.flush()
        ev = m.Event(tracker_id=tid, type=type, status=status, date_value=value, granularity=granularity(value),
                     date_start=span[0] if span else None, date_end=span[1] if span else None,
                     location=location, summary=title, mentions=1, as_of=seen, first_seen_at=seen, updated_at=seen)
        ev.evidence.append(m.EvidenceRow(article_id=art.id, sentence=sentence, start=0, end=len(sentence),
                                         published=seen, status=status, date_value=value, attribution=[]))
        s.add(ev)
        s.flush()
        for name in people:
            actor = s.query(m.Actor).filter_by(tracker_id=tid, name=name).one_or_none()
            if actor is None:
                actor = m.Actor(tracker_id=tid, name=name, kind="person")
                s.add(actor)
                s.flush()
            s.add(m.EventActor(event_id=ev.id, actor_id=actor.id, role="participant"))
        return ev.id


def add_change(
    rt: Runtime, event_id: int, *, kind: str = "status", old: str | None = "proposed", new: str | None = "scheduled",
    at: datetime = WHEN, alert: bool = True,
) -> int:
    """A change of an event, made by its newest article; returns the change's id."""
    with rt.sessions.begin() as s:
        article = (s.query(m.EvidenceRow.article_id).filter_by(event_id=event_id)
                   .order_by(m.EvidenceRow.id.desc()).first())
        change = m.StatusChange(tracker_id=kuril_id(rt), event_id=event_id, kind=kind, old=old, new=new,
                                created_at=at, alert=alert, article_id=article[0] if article else None)
        s.add(change)
        s.flush()
        return change.id


def queries_of(rt: Runtime, run: Callable[[], object]) -> int:
    """How many statements `run` sends to the database."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(rt.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(rt.engine, "before_cursor_execute", record)
    return len(seen)
