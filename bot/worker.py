"""The worker: polls sources, delivers the outbox, posts weekly summaries. Jobs are plain functions
that `worker --once`, the demo and tests call directly; APScheduler only decides when."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from bot.app import Runtime
from bot.errors import SourceError
from bot.ingest import IngestReport, ingest_source
from bot.tracker import Tracker
from db import models as m

log = logging.getLogger("ntrack.worker")


def extractor_for(tracker: Tracker) -> Callable[[], Any]:
    """A factory that loads spaCy on first use only: a poll with nothing new never pays for the model."""
    loaded: list[Any] = []

    def factory() -> Any:
        if not loaded:
            from bot.extract.events import Extractor
            from bot.extract.nlp import load_nlp

            loaded.append(Extractor(load_nlp(tracker), tracker))
        return loaded[0]

    return factory


def ingest_all(
    rt: Runtime, tracker: Tracker, locations: list[str], *, extractor: Callable[[], Any]
) -> tuple[list[IngestReport], list[str]]:
    """Poll each location; one bad source never stops the others. Returns (reports, one-line failures)."""
    reports, failures = [], []
    for location in locations:
        try:
            reports.append(
                ingest_source(sessions=rt.sessions, tracker=tracker, location=location, now=rt.now,
                              extractor=extractor, user_agent=rt.settings.user_agent,
                              max_bytes=rt.settings.max_body_bytes)
            )
        except SourceError as exc:
            failures.append(str(exc))
    return reports, failures


def due_sources(rt: Runtime, tracker: Tracker) -> list[str]:
    """The tracker's feeds plus every enabled source whose backoff has passed."""
    from sqlalchemy import select

    with rt.sessions.begin() as session:
        tracker_id = rt.tracker_id(tracker)
        rows = session.scalars(select(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.disabled.is_(False)))
        due = [s.url for s in rows if s.next_poll_at is None or _utc(s.next_poll_at) <= rt.now]
    return list(dict.fromkeys([*tracker.feeds, *due]))


def _utc(value: Any) -> Any:
    from db.repo import as_utc

    return as_utc(value)


def run_once(rt: Runtime, tracker: Tracker, *, deliver: bool = True) -> Iterator[str]:
    """Every due job once: poll due sources, then (with `deliver`) post due alerts and weekly summaries."""
    locations = due_sources(rt, tracker)
    reports, failures = ingest_all(rt, tracker, locations, extractor=extractor_for(tracker))
    for r in reports:
        yield f"{r.source}: {'not modified' if r.not_modified else f'{r.articles_new} new, {len(r.changes)} changes'}"
    for f in failures:
        yield f"failed: {f}"
    if not locations:
        yield "no sources due"
    if deliver:
        from bot.slack.jobs import run_due

        yield from run_due(rt)


def run_forever(rt: Runtime, tracker: Tracker) -> None:
    """APScheduler 3: one poll job per interval, coalesced, never two at once."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from bot import clock

    scheduler = BlockingScheduler(timezone="UTC")

    def poll() -> None:
        rt.now = clock.now(rt.settings.now)
        for line in run_once(rt, tracker, deliver=False):  # the Slack jobs below deliver
            log.info(line)

    scheduler.add_job(poll, "interval", minutes=rt.settings.poll_minutes, id="poll", max_instances=1,
                      coalesce=True, next_run_time=clock.now(None), jitter=30)
    if rt.settings.slack_enabled:
        from bot.slack.jobs import schedule

        schedule(scheduler, rt)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    log.info("worker started: tracker %s, polling every %s min", tracker.slug, rt.settings.poll_minutes)
    scheduler.start()
