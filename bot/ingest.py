"""The ingest job: fetch -> parse -> store -> extract -> resolve -> status changes -> outbox.

One source per call; one transaction per article, so a crash loses at most the article in hand and
never leaves a change without its outbox rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.domain import ArticleIn, ExtractedEvent
from bot.errors import SourceError
from bot.feeds import entry_guid, parse_feed
from bot.fetch import FetchResult, fetch
from bot.resolve import resolve
from bot.serialize import change_json
from bot.tracker import Tracker
from db import models as m
from db import repo

# Entries dated this far ahead of `now` are not published yet (replaying history with NTRACK_NOW).
FUTURE_SLACK = timedelta(days=1)
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=24)


class Extracts(Protocol):
    def extract_many(self, items: Any, batch_size: int = 16) -> Any: ...


@dataclass(slots=True)
class IngestReport:
    source: str
    articles_new: int = 0
    articles_irrelevant: int = 0
    articles_deferred: int = 0
    not_modified: bool = False
    first_poll: bool = False
    changes: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"articles_new": self.articles_new, "changes": self.changes}


def backoff(error_count: int) -> timedelta:
    """Exponential backoff after `error_count` consecutive failures, capped at a day."""
    return min(BACKOFF_MAX, BACKOFF_BASE * (2 ** max(0, error_count - 1)))


def record_failure(*, sessions: sessionmaker[Session], source_id: int, error: str, now: datetime) -> None:
    with sessions.begin() as session:
        src = session.get_one(m.Source, source_id)
        src.error_count += 1
        src.last_error = error
        src.last_polled_at = now
        src.next_poll_at = now + backoff(src.error_count)


def ingest_source(
    *,
    sessions: sessionmaker[Session],
    tracker: Tracker,
    location: str,
    now: datetime,
    extractor: Callable[[], Extracts],
    fetcher: Callable[..., FetchResult] = fetch,
    user_agent: str = "ntrack",
    max_bytes: int = 10 * 1024 * 1024,
) -> IngestReport:
    """Poll one source once; raise SourceError (recorded on the source) when it cannot be read."""
    with sessions.begin() as session:
        tracker_id = repo.sync_tracker(session=session, tracker=tracker).id
        src = repo.get_or_create_source(session=session, tracker_id=tracker_id, url=location)
        source_id, etag, last_modified, first_poll = src.id, src.etag, src.last_modified, src.polls == 0
    report = IngestReport(source=location, first_poll=first_poll)

    try:
        result = fetcher(location, etag=etag, last_modified=last_modified, user_agent=user_agent, max_bytes=max_bytes)
        if result.not_modified or result.body is None:
            report.not_modified = True
            _record_success(sessions, source_id, result, None, now)
            return report
        title, entries = parse_feed(result.body, where=location)
    except SourceError as exc:
        record_failure(sessions=sessions, source_id=source_id, error=str(exc), now=now)
        raise

    with sessions.begin() as session:
        guids = [entry_guid(a.guid, a.url, a.title, a.text) for a in entries]
        seen = repo.known_guids(session=session, tracker_id=tracker_id, guids=guids)
    fresh: list[tuple[str, ArticleIn]] = []
    for guid, art in zip(guids, entries, strict=True):
        if guid in seen or guid in {g for g, _ in fresh}:
            continue
        if art.published and art.published > now + FUTURE_SLACK:
            report.articles_deferred += 1
            continue
        fresh.append((guid, art))
    fresh.sort(key=lambda ga: ga[1].published or now)

    relevant = [(g, a) for g, a in fresh if tracker.is_relevant(f"{a.title or ''}\n{a.text}")]
    extracted: dict[str, list[ExtractedEvent]] = {}
    if relevant:
        results = extractor().extract_many(((a.text, (a.published or now).date()) for _, a in relevant))
        extracted = {g: events for (g, _), events in zip(relevant, results, strict=True)}

    for guid, art in fresh:
        with sessions.begin() as session:
            is_relevant = guid in extracted
            row = repo.add_article(session=session, tracker_id=tracker_id, source_id=source_id, article=art,
                                   guid=guid, relevant=is_relevant, now=now)
            report.articles_new += 1
            if not is_relevant:
                report.articles_irrelevant += 1
                continue
            report.changes.extend(
                _store_events(session, tracker, tracker_id, row, extracted[guid], now=now, alert=not first_poll)
            )
    _record_success(sessions, source_id, result, title, now)
    return report


def _store_events(
    session: Session, tracker: Tracker, tracker_id: int, article: Any, events: list[ExtractedEvent], *,
    now: datetime, alert: bool,
) -> list[dict[str, Any]]:
    countries = {p.name: p.country for p in tracker.places}
    known = repo.known_events(session=session, tracker_id=tracker_id)
    # Events this article creates are not matched by its own later events: the extractor already
    # decided they are different.
    published = article.published or now
    out: list[dict[str, Any]] = []
    cache: dict[str, Any] = {}
    for ev in events:
        update = resolve(ev, known, published=repo.as_utc(published), countries=countries)  # type: ignore[arg-type]
        row, changes = repo.apply_update(session=session, tracker_id=tracker_id, article=article, extracted=ev,
                                         update=update, now=now, alert=alert, actor_cache=cache)
        if update.event_id is not None:
            for k in known:
                if k.id == row.id:
                    k.status, k.date_value, k.location = row.status, row.date_value, row.location
                    k.participants |= set(ev.participants)
                    k.as_of = repo.as_utc(row.as_of)
        for change in changes:
            repo.queue_deliveries(session=session, tracker_id=tracker_id, change=change, now=now)
            out.append(change_json(change, row, article, alert=alert))
    return out


def _record_success(
    sessions: sessionmaker[Session], source_id: int, result: FetchResult, title: str | None, now: datetime
) -> None:
    with sessions.begin() as session:
        src = session.get_one(m.Source, source_id)
        src.polls += 1
        src.error_count = 0
        src.last_error = None
        src.last_polled_at = now
        src.last_success_at = now
        src.next_poll_at = None
        if result.etag:
            src.etag = result.etag
        if result.last_modified:
            src.last_modified = result.last_modified
        if title:
            src.title = title[:500]

