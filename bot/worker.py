"""The worker: polls every tracker's sources, delivers every platform's outbox, queues weekly summaries.
Jobs are plain functions that `worker --once`, the demo and tests call directly; APScheduler only
decides when. It imports no platform: bot/jobs.py asks the registry."""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from bot import sources
from bot.app import Runtime
from bot.errors import SourceError
from bot.fetch import HostPacer
from bot.ingest import IngestReport, ingest_source
from bot.sources import PollConfig, register_tracker_sources
from bot.tracker import Tracker
from db import sources as source_rows
from db.repo import as_utc
from db.sources import SourceRow

log = logging.getLogger("ntrack.worker")


def extractor_for(tracker: Tracker) -> Callable[[], Any]:
    """A factory that loads spaCy on first use only: a poll with nothing new never pays for the model.

    The extractor it hands out runs one article batch at a time: the worker polls sources in
    several threads, and a spaCy pipeline is not meant to be shared between them.
    """
    loaded: list[Any] = []
    lock = threading.Lock()

    def factory() -> Any:
        with lock:
            if not loaded:
                from bot.extract.events import Extractor
                from bot.extract.nlp import load_nlp
                from bot.settings import get_settings

                limits = get_settings()
                loaded.append(_OneAtATime(Extractor(load_nlp(tracker), tracker, max_chars=limits.max_article_chars,
                                                    seconds=limits.article_seconds)))
        return loaded[0]

    return factory


class _OneAtATime:
    def __init__(self, inner: Any) -> None:
        self._inner, self._lock = inner, threading.Lock()

    def extract_many(self, items: Any, batch_size: int = 16) -> Iterator[Any]:
        with self._lock:
            yield from self._inner.extract_many(items, batch_size=batch_size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


_pacers: dict[float, HostPacer] = {}


def poll_config(rt: Runtime) -> PollConfig:
    """The fetch limits from settings, with one host pacer per process (shared by its threads)."""
    interval = rt.settings.host_interval
    pacer = _pacers.setdefault(interval, HostPacer(interval))
    return PollConfig.from_settings(rt.settings, pacer=pacer)


def worker_id() -> str:
    """Who holds a lease: host, process and thread, so two workers (or two jobs) never share one."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{threading.get_ident()}"


class Extractors:
    """One lazily loaded extractor per tracker (each has its own gazetteer), shared by the poll jobs."""

    def __init__(self) -> None:
        self._factories: dict[str, Callable[[], Any]] = {}

    def __call__(self, tracker: Tracker) -> Callable[[], Any]:
        return self._factories.setdefault(tracker.slug, extractor_for(tracker))


def ingest_all(
    rt: Runtime, tracker: Tracker, locations: list[str], *, extractor: Callable[[], Any], origin: str = "cli",
    alert: bool = True, progress: Callable[[str, int], None] | None = None, config: PollConfig | None = None,
    now: datetime | None = None, pages: Iterable[str] = (),
) -> tuple[list[IngestReport], list[str]]:
    """Poll each location of one tracker now, due or not; one bad source never stops the others.
    Returns (reports, one-line failures). `pages` are article pages, the rest feeds (the tracker
    file's own keep the kind it gives them).

    Each source is leased while it is polled: one that another worker is polling right now is
    skipped with a line. New sources are recorded with `origin` (the tracker file's keep "tracker").
    """
    cfg = config or poll_config(rt)
    now = now or rt.now
    owner = worker_id()
    tracker_id = rt.tracker_id(tracker)
    page_urls = set(pages)
    locations = list(dict.fromkeys([*locations, *pages]))
    with rt.sessions.begin() as session:
        register_tracker_sources(session=session, tracker_id=tracker_id, tracker=tracker)
        sources.ensure_sources(session=session, tracker_id=tracker_id, urls=[u for u in locations if u in page_urls],
                               origin=origin, kind="page")
        sources.ensure_sources(session=session, tracker_id=tracker_id,
                               urls=[u for u in locations if u not in page_urls], origin=origin)
    leased = set(sources.claim(sessions=rt.sessions, tracker_id=tracker_id, owner=owner, now=now, lease=cfg.lease,
                               urls=locations, due_only=False))
    reports: list[IngestReport] = []
    failures: list[str] = []
    for location in locations:
        if location not in leased:
            failures.append(_held_elsewhere(rt, tracker_id, location, now))
            continue
        if progress is not None:
            progress("source", 1)
        outcome = poll_leased(rt, tracker, location, tracker_id=tracker_id, owner=owner, now=now, config=cfg,
                              extractor=extractor, alert=alert, progress=progress)
        if isinstance(outcome, IngestReport):
            reports.append(outcome)
        else:
            failures.append(outcome)
    return reports, failures


def _held_elsewhere(rt: Runtime, tracker_id: int, location: str, now: datetime) -> str:
    """Why a source was not polled: who holds its lease, and until when."""
    with rt.sessions.begin() as session:
        held = source_rows.lease_holder(session=session, tracker_id=tracker_id, url=location, now=now)
    if held is None:
        return f"{location}: another worker took it a moment ago; skipped"
    who, until = held
    return (f"{location}: worker {who} holds it until {as_utc(until):%Y-%m-%d %H:%M} UTC (polling it, or dead on "
            "another host: the lease then runs out); skipped")


def poll_leased(
    rt: Runtime, tracker: Tracker, location: str, *, tracker_id: int, owner: str, now: datetime, config: PollConfig,
    extractor: Callable[[], Any], alert: bool = True, progress: Callable[[str, int], None] | None = None,
) -> IngestReport | str:
    """Poll one source this worker holds: its report, or the one-line reason it failed."""
    try:
        with sources.kept(sessions=rt.sessions, tracker_id=tracker_id, url=location, owner=owner, now=now,
                          lease=config.lease):
            return ingest_source(sessions=rt.sessions, tracker=tracker, location=location, now=now,
                                 extractor=extractor, config=config, tracker_id=tracker_id, alert=alert,
                                 progress=progress)
    except SourceError as exc:
        return str(exc)
    except Exception as exc:  # a bug or a database hiccup with one source must not stop the others
        log.info("polling %s failed", location, exc_info=True)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        reason = f"{location}: internal error: {type(exc).__name__}: {detail}".rstrip(": ")
        try:  # counted like any failure (backoff, then disabled), which also gives the lease back
            with rt.sessions.begin() as session:
                source_id = source_rows.source_id(session=session, tracker_id=tracker_id, url=location)
            if source_id is not None:
                sources.record_failure(sessions=rt.sessions, source_id=source_id, error=reason, now=now,
                                       max_failures=config.max_failures)
        except Exception:
            log.info("could not record the failure of %s", location, exc_info=True)
            sources.release(sessions=rt.sessions, tracker_id=tracker_id, owner=owner, urls=[location])
        return reason


def register_all(rt: Runtime) -> dict[int, Tracker]:
    """Every tracker's feeds and pages as sources (what a tracker file lists is polled without an
    `ingest` first); the trackers by id."""
    trackers = rt.trackers()
    with rt.sessions.begin() as session:
        for tracker_id, tracker in trackers.items():
            register_tracker_sources(session=session, tracker_id=tracker_id, tracker=tracker)
    return trackers


def poll_due(
    rt: Runtime, *, extractors: Callable[[Tracker], Callable[[], Any]], now: datetime | None = None, limit: int | None = None,
    config: PollConfig | None = None, source_ids: list[int] | None = None,
) -> tuple[list[IngestReport], list[str]]:
    """Lease the due sources of every tracker (or those of `source_ids` that are due) that no other
    worker holds, and poll each with its tracker's extractor."""
    cfg = config or poll_config(rt)
    now = now or rt.now
    owner = worker_id()
    trackers = rt.trackers()
    leased: list[SourceRow] = sources.claim_due(sessions=rt.sessions, owner=owner, now=now, lease=cfg.lease,
                                                source_ids=source_ids, limit=limit)
    reports: list[IngestReport] = []
    failures: list[str] = []
    for row in leased:
        tracker = trackers.get(row.tracker_id)
        if tracker is None:  # its tracker file is gone: give the lease back, leave the source alone
            with rt.sessions.begin() as session:
                source_rows.release(session=session, owner=owner, source_ids=[row.id])
            continue
        outcome = poll_leased(rt, tracker, row.url, tracker_id=row.tracker_id, owner=owner, now=now, config=cfg,
                              extractor=extractors(tracker))
        if isinstance(outcome, IngestReport):
            reports.append(outcome)
        else:
            failures.append(outcome)
    return reports, failures


def due_sources(rt: Runtime, tracker: Tracker) -> list[str]:
    """One tracker's enabled sources (its file's feeds and pages among them) that are due and free."""
    tracker_id = rt.tracker_id(tracker)
    with rt.sessions.begin() as session:
        register_tracker_sources(session=session, tracker_id=tracker_id, tracker=tracker)
        return sources.due_urls(session=session, tracker_id=tracker_id, now=rt.now)


def run_once(rt: Runtime, *, deliver: bool = True) -> Iterator[str]:
    """Every due job once, for every tracker: poll due sources, then (with `deliver`) queue due weekly
    summaries and deliver every configured platform's outbox."""
    register_all(rt)
    reports, failures = poll_due(rt, extractors=Extractors())
    for r in reports:
        yield report_line(r)
    for f in failures:
        yield f"failed: {f}"
    if not reports and not failures:
        yield "no sources due"
    if deliver:
        from bot.jobs import run_due

        yield from run_due(rt)


def report_line(r: IngestReport) -> str:
    if r.not_modified:
        return f"{r.source}: not modified"
    dup = f", {r.articles_duplicate} already known" if r.articles_duplicate else ""
    skipped = f", {r.entries_skipped} entries skipped" if r.entries_skipped else ""
    return f"{r.source}: {r.articles_new} new, {len(r.changes)} changes{dup}{skipped}"


POLL_JOB = "poll:"


def sync_poll_jobs(
    scheduler: Any, rt: Runtime, *, job: Callable[[int], None], now: datetime, rng: random.Random | None = None,
) -> tuple[int, int]:
    """One interval job per enabled source of every tracker (max_instances=1, coalesced, jittered),
    first runs spread over the interval so a restart does not poll everything at once; jobs of
    sources removed or disabled since go. Returns (added, removed)."""
    from apscheduler.triggers.interval import IntervalTrigger

    rng = rng or random.Random()
    interval = timedelta(minutes=rt.settings.poll_minutes)
    jitter = int(min(60.0, interval.total_seconds() * 0.05))
    register_all(rt)
    with rt.sessions.begin() as session:
        rows = source_rows.enabled_schedule(session=session)
    wanted = {f"{POLL_JOB}{sid}": as_utc(next_at) for sid, next_at in rows}
    have = {j.id for j in scheduler.get_jobs(jobstore="default") if j.id.startswith(POLL_JOB)}
    for job_id in have - wanted.keys():
        scheduler.remove_job(job_id, jobstore="default")
    added = 0
    for job_id, next_at in wanted.items():
        if job_id in have:
            continue
        if next_at is None or next_at <= now:  # new or overdue: somewhere in the coming interval
            first = now + interval * rng.random() if next_at is not None else now + timedelta(seconds=rng.uniform(0, 30))
        else:
            first = next_at + timedelta(seconds=rng.uniform(0, max(1, jitter)))
        scheduler.add_job(
            job, IntervalTrigger(minutes=rt.settings.poll_minutes, start_date=first, jitter=jitter, timezone="UTC"),
            args=[int(job_id.removeprefix(POLL_JOB))], id=job_id, jobstore="default", max_instances=1, coalesce=True,
            misfire_grace_time=int(interval.total_seconds() / 2), replace_existing=True,
        )
        added += 1
    return added, len(have - wanted.keys())


def run_forever(rt: Runtime) -> None:
    """APScheduler 3: a job per source of every tracker, every NTRACK_POLL_MINUTES with jitter, leased so
    that no two workers poll one source at once; a job every minute keeps the per-source jobs in step
    with the sources table (added or removed from chat, disabled); the delivery and weekly-summary jobs
    of every configured platform (bot/jobs.py)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from bot import clock, jobs

    scheduler = BlockingScheduler(timezone="UTC")
    extractors = Extractors()
    config = poll_config(rt)

    def poll_source(source_id: int) -> None:
        reports, failures = poll_due(rt, extractors=extractors, now=clock.now(rt.settings.now),
                                     source_ids=[source_id], config=config)
        for r in reports:
            log.info(report_line(r))
        for f in failures:
            log.warning("failed: %s", f)

    def sync() -> None:
        added, removed = sync_poll_jobs(scheduler, rt, job=poll_source, now=clock.now(None))
        if added or removed:
            log.info("sources: %d poll jobs added, %d removed", added, removed)

    scheduler.add_job(sync, "interval", minutes=1, id="sources", jobstore="default", max_instances=1, coalesce=True,
                      next_run_time=clock.now(None))
    jobs.schedule(scheduler, rt)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    log.info("worker started: trackers %s, polling every %s min",
             ", ".join(t.slug for t in rt.trackers().values()), rt.settings.poll_minutes)
    for problem in rt.tracker_problems:
        log.error(problem)
    scheduler.start()
