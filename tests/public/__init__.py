"""Tests of what people read without chat (bot/public/). `seed` writes a small Kuril timeline straight to
the database (no spaCy): the rows the page, its filters and the browser test look at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.app import Runtime
from db import models as m

SCRIPT_HEADLINE = "<script>alert(1)</script> Putin speaks on the islands"
# As of the tests' NTRACK_NOW (2000-11-06), the Brunei summit is next.
NEXT_SUMMIT = "Summit · Brunei"


@dataclass(frozen=True)
class Told:
    """An event to write, with the article that told it and its changes (kind, old, new)."""

    type: str
    status: str
    day: date | None
    location: str | None
    title: str
    people: tuple[str, ...] = ()
    sentence: str = ""
    url: str = ""
    changes: tuple[tuple[str, str | None, str | None], ...] = ()


KURIL_2000 = (
    Told("summit", "scheduled", date(2000, 11, 15), "Brunei", "Putin and Mori to meet in Brunei on November 15",
         ("Vladimir Putin", "Yoshiro Mori"), "Putin and Mori will meet in Brunei on November 15, officials said.",
         changes=(("new", None, "proposed"), ("status", "proposed", "scheduled"))),
    Told("talks", "held", date(2000, 10, 20), "Tokyo", "Foreign ministers end two days of treaty talks in Tokyo",
         ("Igor Ivanov", "Yohei Kono"), "Ivanov and Kono ended two days of talks in Tokyo on Friday.",
         changes=(("new", None, "scheduled"), ("status", "scheduled", "held"))),
    Told("statement", "made", date(2000, 11, 3), "Moscow", SCRIPT_HEADLINE, ("Vladimir Putin",),
         'Putin said <b>"the 1956 declaration"</b> stays valid.', changes=(("new", None, "made"),)),
    Told("deadline", "active", date(2000, 12, 31), None, "Krasnoyarsk target of a treaty by 2000 still stands",
         ("Boris Yeltsin", "Ryutaro Hashimoto"), "Both sides still speak of a treaty by the end of 2000.",
         changes=(("new", None, "active"),)),
    Told("visit", "held", date(2000, 9, 5), "Tokyo", "Putin ends his Tokyo visit", ("Vladimir Putin",),
         "Putin ended his three-day visit to Tokyo on Tuesday.", url="javascript:alert(2)",
         changes=(("new", None, "held"),)),
    Told("agreement", "proposed", None, None, "A joint economic plan is on the table", (),
         "Officials say a joint economic plan is being drafted.", changes=(("new", None, "proposed"),)),
)


def seed(rt: Runtime, told: tuple[Told, ...] = KURIL_2000, *, published: datetime | None = None) -> dict[str, int]:
    """Write the events (each with one article, its people and its changes, all published a day before
    the tests' now unless `published` says otherwise; the earlier in `told`, the newer its last change);
    their ids by title."""
    tid = rt.tracker_id(rt.tracker("kuril"))
    when = published or datetime(2000, 11, 5, 9, tzinfo=UTC)
    ids: dict[str, int] = {}
    with rt.sessions.begin() as s:
        actors = {name: id_ for name, id_ in s.execute(select(m.Actor.name, m.Actor.id).where(m.Actor.tracker_id == tid))}
        for n, t in enumerate(told):
            url = t.url or f"https://news.example/{n}?a=1&b=2"
            art = m.Article(tracker_id=tid, guid=f"seed-{n}-{t.title}", url=url, title=t.title, published=when,
                            fetched_at=when, text=f"{t.title}. {t.sentence}", content_hash=f"seed{n}", relevant=True)
            s.add(art)
            s.flush()
            day = t.day.isoformat() if t.day else None
            ev = m.Event(tracker_id=tid, type=t.type, status=t.status, date_value=day, date_start=t.day, date_end=t.day,
                         granularity="day" if t.day else None, location=t.location, summary=t.title, mentions=1,
                         as_of=when, first_seen_at=when, updated_at=when)
            sentence = t.sentence or t.title
            ev.evidence.append(m.EvidenceRow(article_id=art.id, sentence=sentence, start=0, end=len(sentence),
                                             published=when, status=t.status, date_value=day, attribution=[]))
            ev.actors.extend(m.EventActor(actor_id=actors[p], role="participant") for p in t.people)
            ev.actors.extend(m.EventActor(actor_id=actors[p], role="party") for p in ("Russia", "Japan"))
            s.add(ev)
            s.flush()
            for k, (kind, old, new) in enumerate(t.changes):
                s.add(m.StatusChange(tracker_id=tid, event_id=ev.id, article_id=art.id, kind=kind, old=old, new=new,
                                     created_at=when - timedelta(days=len(t.changes) - 1 - k, minutes=n),
                                     alert=True))
            ids[t.title] = ev.id
    return ids
