"""Events and changes -> the JSON shapes of FORMAT.md and of the CHANGE records the CLI prints.
Given their data; never a query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain import EventView, EvidenceView, SourceLink
from bot.flash import flash_of
from db import models as m


def _evidence_json(evidence: Sequence[EvidenceView]) -> tuple[list[dict[str, Any]], list[str]]:
    attribution: list[str] = []
    for e in evidence:
        for a in e.attribution:
            if a not in attribution:
                attribution.append(a)
    rows = [{"sentence": e.sentence, "start": e.start, "end": e.end, "article_id": e.article_id} for e in evidence]
    return rows, attribution


def event_json(ev: EventView, evidence: Sequence[EvidenceView]) -> dict[str, Any]:
    """An event in FORMAT.md's shape, plus its `id` and how many articles mention it."""
    rows, attribution = _evidence_json(evidence)
    return {
        "id": ev.id,
        "type": ev.type,
        "status": ev.status,
        "date": {"value": ev.date_value, "text": ev.date_text, "mod": ev.date_mod},
        "location": ev.location,
        "participants": list(ev.participants),
        "parties": sorted(ev.parties),
        "summary": ev.summary,
        "evidence": rows,
        "attribution": attribution,
        "mentions": ev.mentions,
    }


def source_json(link: SourceLink | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {"url": link.url, "title": link.title,
            "published": link.published.date().isoformat() if link.published else None}


def stored_event_view(ev: m.Event, names: dict[int, str]) -> EventView:
    """A view of an event row the worker holds, its actors named from `names` (id -> name)."""
    def named(role: str) -> tuple[str, ...]:
        return tuple(names.get(a.actor_id) or a.actor.name for a in ev.actors if a.role == role)

    return EventView(id=ev.id, type=ev.type, status=ev.status, date_value=ev.date_value, date_mod=ev.date_mod,
                     date_text=ev.date_text, location=ev.location, summary=ev.summary, mentions=ev.mentions,
                     participants=named("participant"), parties=named("party"))


def change_json(
    *, kind: str, old: str | None, new: str | None, event: EventView, evidence: Sequence[EvidenceView],
    article: SourceLink | None, alert: bool,
) -> dict[str, Any]:
    """A change as `ingest --json` prints it, with the evidence of the article that made it (not every
    article that ever told the event) and `text`, the change as a wire flash (bot/flash.py)."""
    return {
        "change": kind,
        "event": event_json(event, evidence),
        "old": old,
        "new": new,
        "article": source_json(article),
        "alert": alert,
        "text": flash_of(kind, old, new, event),
    }
