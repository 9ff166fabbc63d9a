"""The ingest job: fetch -> parse -> store -> extract -> resolve -> status changes -> outbox.

One source per call; one transaction per article, so a crash loses at most the article in hand and
never leaves a change without its outbox rows. An entry is the unit of failure: one that cannot be
parsed, extracted or stored is left out with one line naming it (`IngestReport.entry_notes`), the
rest of the feed is stored and the source counts as healthy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import dedup, event_types, pages
from bot import sources as src_state
from bot.domain import EvidenceView, ExtractedEvent, KnownEvent, SourceLink
from bot.errors import SourceError
from bot.feeds import EntryNotes, entry_name, parse_feed
from bot.fetch import PAGE_ACCEPT, FetchResult, fetch, is_url
from bot.resolve import KnownIndex, fold_deadline_moves, implied_resumptions, resolve
from bot.serialize import change_json, stored_event_view
from bot.sources import PollConfig, backoff, record_failure  # noqa: F401  (backoff, record_failure: public here too)
from bot.tracker import Tracker
from db import outbox, repo

log = logging.getLogger("ntrack.ingest")

# Entries dated this far ahead of `now` are not published yet (replaying history with NTRACK_NOW).
FUTURE_SLACK = timedelta(days=1)


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
    articles_duplicate: int = 0  # known entries and near-duplicate copies (their URLs are kept)
    pages_fetched: int = 0
    entries_skipped: int = 0  # entries left out (unreadable, extraction failed, refused by the database)
    articles_cut: int = 0  # articles longer than the extractor reads (it reads their first part)
    entry_notes: list[str] = field(default_factory=list)  # one line per entry left out or changed

    def to_json(self) -> dict[str, Any]:
        return {"articles_new": self.articles_new, "changes": self.changes}


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
    config: PollConfig | None = None,
    origin: str = "cli",
    alert: bool = True,
    tracker_id: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> IngestReport:
    """Poll one source once; raise SourceError (recorded on the source) when it cannot be read.

    `config` carries the fetch limits (default: `user_agent`, `max_bytes` and stock limits); `origin`
    is recorded for a new source (chat sources are held to public addresses); `alert=False` records
    without alerting (a backfill); `progress(kind, n)` hears "articles" (n new ones found), then
"done" (1) as each is extracted or, when irrelevant, stored.
    """
    cfg = config or PollConfig(user_agent=user_agent, max_bytes=max_bytes)
    with sessions.begin() as session:
        if tracker_id is None:
            tracker_id = repo.sync_tracker(session=session, tracker=tracker).id
        state = src_state.open_source(session=session, tracker_id=tracker_id, url=location, origin=origin)
    source_id, first_poll = state.id, state.first_poll
    report = IngestReport(source=location, first_poll=first_poll)
    options = cfg.fetch_options(restricted=state.restricted)
    # HTML parsed per page (NTRACK_MAX_PAGE_BYTES)
    page_bytes = cfg.max_page_bytes

    try:
        result = fetcher(location, etag=state.etag, last_modified=state.last_modified, **options)
        if result.not_modified or result.body is None:
            report.not_modified = True
            src_state.record_not_modified(sessions=sessions, source_id=source_id, result=result, now=now, config=cfg)
            return report
        notes = EntryNotes()
        if state.kind == "page":
            title, entries = pages.parse_page(result.body, url=location, content_type=result.content_type, notes=notes,
                                              max_bytes=page_bytes)
        else:
            title, entries = parse_feed(result.body, where=location, content_type=result.content_type, notes=notes)
    except SourceError as exc:
        record_failure(sessions=sessions, source_id=source_id, error=str(exc), now=now,
                       retry_after=getattr(exc, "retry_after", None), max_failures=cfg.max_failures)
        raise
    report.entries_skipped += len(notes.skipped)
    for line in notes.all():
        _note(report, line)

    candidates = dedup.identify(entries, url_keys=state.kind != "page")
    with sessions.begin() as session:
        unseen = dedup.match_known(session=session, tracker_id=tracker_id, entries=candidates)
        report.articles_duplicate += dedup.record_copies(session=session, tracker_id=tracker_id, entries=candidates,
                                                         source_id=source_id, now=now)
    waiting = []
    for entry in unseen:
        art = entry.article
        if art.published and art.published > now + FUTURE_SLACK:
            report.articles_deferred += 1
            continue
        waiting.append(entry)
    if is_url(location) and waiting:  # a local file is the operator's whole text; web feeds may link to more
        page_options = {**options, "accept": PAGE_ACCEPT}
        report.pages_fetched = pages.fill_full_text(
            waiting, fetch_page=lambda url: fetcher(url, **page_options), limit=cfg.max_page_fetches,
            max_bytes=page_bytes,
        ).fetched
    with sessions.begin() as session:
        unique = dedup.match_near(session=session, tracker_id=tracker_id, entries=waiting)
        report.articles_duplicate += dedup.record_copies(session=session, tracker_id=tracker_id, entries=waiting,
                                                         source_id=source_id, now=now)
    unique.sort(key=lambda e: e.article.published or now)
    fresh = [(e.identity, e.article) for e in unique]
    by_identity = {e.identity: e for e in unique}
    if progress is not None:
        progress("articles", len(fresh))

    relevant = [(g, a) for g, a in fresh if tracker.is_relevant(f"{a.title or ''}\n{a.text}")]
    extracted: dict[str, list[ExtractedEvent]] = {}
    failed: set[str] = set()
    if relevant:
        ex = extractor()
        limit = getattr(ex, "max_chars", 0)
        for g, a in relevant:
            if isinstance(limit, int) and 0 < limit < len(a.text):
                report.articles_cut += 1
                log.info("%s: %s: %d characters, events from the first %d", location, _name(g, a), len(a.text), limit)
        for g, events in _extract_each(ex, relevant, now=now):
            if events is None:
                failed.add(g)
                report.entries_skipped += 1
                _note(report, f"{location}: {_name(g, by_identity[g].article)}: skipped (extraction failed)")
            else:
                extracted[g] = events
            if progress is not None:
                progress("done", 1)

    # What the tracker knows, loaded once per poll and kept current as articles add to it (reloading
    # it per article made a backfill quadratic in the number of events).
    known: KnownIndex | None = None
    read_until: datetime | None = None  # the newest news the tracker had read before this poll
    actor_ids: dict[str, int] = {}  # actor name -> id, for the whole poll
    for guid, art in fresh:
        if guid in failed:  # not stored: read again at the next poll
            continue
        try:
            with sessions.begin() as session:
                if known is None and guid in extracted:
                    known = KnownIndex(repo.known_events(session=session, tracker_id=tracker_id))
                    read_until = read_until or repo.latest_news(session=session, tracker_id=tracker_id)
                is_relevant = guid in extracted
                row = repo.add_article(session=session, tracker_id=tracker_id, source_id=source_id, article=art,
                                       guid=guid, relevant=is_relevant, now=now)
                row.simhash = by_identity[guid].simhash
                dedup.add_keys(session=session, tracker_id=tracker_id, article_id=row.id,
                               keys=by_identity[guid].keys, source_id=source_id, now=now)
                report.articles_new += 1
                if is_relevant:
                    report.changes.extend(_store_events(session, tracker, tracker_id, row, extracted[guid], now=now,
                                                        alert=alert and not first_poll, known=known,  # type: ignore[arg-type]
                                                        actor_ids=actor_ids, read_until=read_until))
                else:
                    report.articles_irrelevant += 1
        except IntegrityError:  # another worker stored the same article a moment ago
            report.articles_duplicate += 1
            known = None  # what this article added was rolled back: read again
            actor_ids.clear()
        except DataError as exc:  # a value this database refuses: this entry only, rolled back
            report.entries_skipped += 1
            detail = str(getattr(exc, "orig", exc)).strip().splitlines()
            _note(report, f"{location}: {_name(guid, art)}: skipped (the database refused it: "
                          f"{detail[0][:120] if detail else type(exc).__name__})")
            known = None
            actor_ids.clear()
        if progress is not None and guid not in extracted:
            progress("done", 1)
    src_state.record_success(sessions=sessions, source_id=source_id, result=result, title=title, now=now, config=cfg)
    return report


def _note(report: IngestReport, line: str) -> None:
    report.entry_notes.append(line)
    log.info("%s", line)


def _name(guid: str, art: Any) -> str:
    return entry_name(None, guid, getattr(art, "url", None), getattr(art, "title", None))


def _extract_each(
    ex: Extracts, items: list[tuple[str, Any]], *, now: datetime
) -> Iterator[tuple[str, list[ExtractedEvent] | None]]:
    """(identity, events) for each article in order; None for one whose extraction raised. Articles
    go in batches; when a batch fails, the rest are extracted one at a time to find the culprit."""
    def item(a: Any) -> tuple[str, Any]:
        return a.text, (a.published or now).date()

    done = 0
    try:
        for events in ex.extract_many(item(a) for _, a in items):
            yield items[done][0], events
            done += 1
    except Exception:
        log.info("extraction failed in a batch; extracting one article at a time", exc_info=True)
    for g, a in items[done:]:
        try:
            events_one = list(ex.extract_many([item(a)]))
        except Exception:
            log.info("extraction failed for %s", g, exc_info=True)
            yield g, None
            continue
        yield g, events_one[0] if events_one else []


def _told_twice(ev: ExtractedEvent, taken: list[KnownEvent]) -> KnownEvent | None:
    """The event this article already matched that `ev` is told again as: of its type, its very dates and
    its place, and no other people ('their summit of December 14 and 15' in Brussels, after 'the leaders
    agreed on Friday' took the summit)."""
    date = ev.date.value if ev.date else None
    for k in taken:
        if k.type == ev.type and date and k.date_value == date and ev.location and k.location == ev.location \
                and not (k.participants and ev.participants and not k.participants & set(ev.participants)):
            return k
    return None


def _store_events(
    session: Session, tracker: Tracker, tracker_id: int, article: Any, events: list[ExtractedEvent], *,
    now: datetime, alert: bool, known: KnownIndex, actor_ids: dict[str, int] | None = None,
    read_until: datetime | None = None,
) -> list[dict[str, Any]]:
    """Resolve one article's events against `known` (updated in place) and store the outcome."""
    within = tracker.place_ancestors()
    leaders = tracker.leaders()
    published = article.published or now
    out: list[dict[str, Any]] = []
    cache: dict[str, int] = actor_ids if actor_ids is not None else {}
    # One article's events are distinct (the extractor merged what was one): each stored event is
    # matched at most once per article, and the events it creates are not matched by its own others.
    matched: set[int] = set()
    created: list[KnownEvent] = []
    for ev in implied_resumptions(fold_deadline_moves(events, published)):
        offered = known.candidates(ev)
        candidates = [k for k in offered if k.id not in matched]
        update = resolve(ev, candidates, published=repo.as_utc(published), within=within, read_until=read_until,
                         leaders=leaders)
        twin = _told_twice(ev, [k for k in offered if k.id in matched]) \
            if update.event_id is None and not update.skip else None
        if twin is not None:  # the extractor kept two tellings of one happening apart: the second adds nothing new
            update = resolve(ev, [twin], published=repo.as_utc(published), within=within, read_until=read_until,
                             leaders=leaders)
        if update.skip:
            continue
        if update.event_id is not None:
            matched.add(update.event_id)
        # statements and agreements only to go on talking are recorded, not alerted
        alerted = alert and event_types.alerts(update.type or ev.type) and not ev.arrangement
        row, changes = repo.apply_update(session=session, tracker_id=tracker_id, article=article, extracted=ev,
                                         update=update, now=now, alert=alerted, actor_cache=cache)
        if update.event_id is not None:
            k = known.get(row.id)
            if k is not None:
                k.status, k.date_value, k.location, k.type = row.status, row.date_value, row.location, row.type
                k.participants |= set(ev.participants)
                k.parties |= set(ev.parties)
                k.as_of = repo.as_utc(row.as_of)
                known.refresh(k)
        else:
            created.append(KnownEvent(id=row.id, type=row.type, status=row.status, date_value=row.date_value,
                                      location=row.location, participants=set(ev.participants),
                                      parties=set(ev.parties), as_of=repo.as_utc(row.as_of)))
        if changes:
            names = {actor_id: name for name, actor_id in cache.items()}
            view = stored_event_view(row, names)
            link = SourceLink(article.title, article.url, article.published)
            told: dict[int, EvidenceView] = {}
            for item in ev.evidence:
                told.setdefault(item.start, EvidenceView(event_id=row.id, article_id=article.id, sentence=item.sentence,
                                                         start=item.start, end=item.end,
                                                         attribution=tuple(ev.attribution)))
        if changes:  # one alert says all the article changed about the event (bot/flash.py: flash_all)
            outbox.queue_alerts(session=session, tracker_id=tracker_id, change=changes[0], event_type=row.type, now=now)
        for change in changes:
            out.append(change_json(kind=change.kind, old=change.old, new=change.new, event=view,
                                   evidence=list(told.values()), article=link, alert=alerted))
    for k in created:
        known.add(k)
    return out

