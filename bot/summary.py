"""The weekly summary: what changed this week, what is next, deadlines, the trend, quotes, sources,
and the timeline picture of the last months."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.chart import image_for
from bot.commands.format import event_line, human_date
from bot.commands.reply import Line, Reply, Section
from bot.domain import ChangeView
from bot.event_types import trend_weight
from bot.flash import change_line
from bot.tracker import Tracker
from db import reads

WEEK = timedelta(days=7)
QUOTE = re.compile(r"[\"\u201c]([^\"\u201d]{20,300})[\"\u201d]")


def trend(changes: list[ChangeView]) -> str:
    """'improved', 'deteriorated' or 'unchanged' from the week's changes."""
    score = sum(trend_weight(c.event.type, c.kind, c.new) for c in changes)
    return "improved" if score > 0 else "deteriorated" if score < 0 else "unchanged"


def said_line(change: ChangeView) -> Line:
    """'Vladimir Putin, Tokyo, 1 Nov 2000: <the sentence that reported it>' with its source."""
    ev = change.event
    who = ", ".join(ev.participants) or ", ".join(ev.parties) or "Unattributed"
    where = f", {ev.location}" if ev.location else ""
    art = change.article
    return Line(text=f"{who}{where}, {human_date(ev.date_value, ev.date_mod)}: {ev.sentence or ev.summary}".strip(),
                source_title=art.title if art else None, source_url=art.url if art else None)


def weekly_summary(*, session: Session, tracker: Tracker, tracker_id: int, now: datetime) -> Reply:
    since = now - WEEK
    seen = reads.overview(session=session, tracker_id=tracker_id, now=now, since=since, changes=50)
    changes, upcoming, deadlines = seen.changes, seen.upcoming, seen.deadlines
    articles = reads.articles_between(session=session, tracker_id=tracker_id, since=since, until=now)
    quotes: list[Line] = []
    for art in articles:
        for q in QUOTE.findall(art.text)[:2]:
            quotes.append(Line(text=f"\u201c{q.strip()}\u201d", source_title=art.title, source_url=art.url))
    direction = trend(changes)
    said = [c for c in reversed(changes) if c.event.type == "statement" and c.kind == "new"]
    happened = [c for c in reversed(changes) if c.event.type != "statement"]
    return Reply(
        title=f"{tracker.title}: week to {human_date(now.date().isoformat())}",
        note=f"Trend: {direction} ({len(changes)} changes, {len(articles)} articles)",
        sections=[
            Section("What changed this week", [change_line(c) for c in happened], "No changes this week."),
            Section("What was said", [said_line(c) for c in said], "No statements this week."),
            Section("What is next", [event_line(e) for e in upcoming], "Nothing scheduled."),
            Section("Deadlines", [event_line(e) for e in deadlines], "No active deadlines."),
            Section("Notable quotes", quotes[:5], "No quotes this week."),
            Section("Sources", [Line(text=a.title or a.url or "article", source_url=a.url)
                                for a in articles[:10]], "No articles this week."),
        ],
        image=image_for(session=session, tracker=tracker, tracker_id=tracker_id, now=now),
    )
