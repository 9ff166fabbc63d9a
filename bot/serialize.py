"""Stored rows -> the JSON shapes of FORMAT.md and of the CHANGE records the CLI prints."""

from __future__ import annotations

from typing import Any

from db import models as m


def event_json(ev: m.Event, evidence: list[m.EvidenceRow] | None = None) -> dict[str, Any]:
    """An event in FORMAT.md's shape, plus its `id` and how many articles mention it. `evidence`:
    the rows to show (default: all of them)."""
    evidence = sorted(ev.evidence if evidence is None else evidence, key=lambda e: e.id)
    attribution: list[str] = []
    for e in evidence:
        for a in e.attribution or []:
            if a not in attribution:
                attribution.append(a)
    return {
        "id": ev.id,
        "type": ev.type,
        "status": ev.status,
        "date": {"value": ev.date_value, "text": ev.date_text, "mod": ev.date_mod},
        "location": ev.location,
        "participants": [a.actor.name for a in ev.actors if a.role == "participant"],
        "parties": sorted(a.actor.name for a in ev.actors if a.role == "party"),
        "summary": ev.summary,
        "evidence": [{"sentence": e.sentence, "start": e.start, "end": e.end, "article_id": e.article_id} for e in evidence],
        "attribution": attribution,
        "mentions": ev.mentions,
    }


def article_json(article: m.Article | None) -> dict[str, Any] | None:
    if article is None:
        return None
    return {
        "url": article.url,
        "title": article.title,
        "published": article.published.date().isoformat() if article.published else None,
    }


def change_json(change: m.StatusChange, ev: m.Event, article: m.Article | None, *, alert: bool) -> dict[str, Any]:
    return {
        "change": change.kind,
        # the evidence of the article that made the change, not every article that ever told the event
        "event": event_json(ev, None if article is None else [e for e in _evidence(ev, article)]),
        "old": change.old,
        "new": change.new,
        "article": article_json(article),
        "alert": alert,
    }


def _evidence(ev: m.Event, article: m.Article) -> list[m.EvidenceRow]:
    from sqlalchemy.orm import object_session

    from db.repo import evidence_of

    session = object_session(ev)
    return evidence_of(session=session, event_id=ev.id, article_id=article.id) if session else []
