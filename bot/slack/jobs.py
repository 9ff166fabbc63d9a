"""The worker's Slack jobs: deliver the outbox, post weekly summaries.

`run_due` does both once (`ntrack worker --once`, tests). `schedule` adds them to the worker's
APScheduler: the outbox every NTRACK_DELIVER_SECONDS, and one cron job per subscribed channel for its
weekly summary, kept in APScheduler's SQLAlchemy job store (table `apscheduler_jobs`, migration 0002)
so that a restart neither loses nor repeats a week: a run missed by less than six hours is caught
up, an older one skipped (misfire_grace_time), and `post_due_summaries` re-checks the slot anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from bot import clock
from bot.app import Runtime
from bot.deliver import deliver_pending
from bot.slack.transport import SlackTransport
from bot.slack.workspaces import api_url, token_lookup
from bot.tracker import Tracker, available, load_tracker
from bot.weekly import DAYS, GRACE, post_due_summaries
from db import models as m
from db import repo

JOBSTORE = "weekly"
log = logging.getLogger("ntrack.slack.jobs")


@dataclass(slots=True)
class _Context:
    rt: Runtime
    transport: SlackTransport
    trackers: dict[int, Tracker]


# Jobs in a persistent store are pickled by reference ("bot.slack.jobs:weekly_summary_job"), so the
# runtime they need cannot travel with them: `schedule` sets it here, in the worker process.
_context: _Context | None = None


def slack_transport(rt: Runtime) -> SlackTransport:
    return SlackTransport(token_for=token_lookup(rt.settings, rt.engine), base_url=api_url(rt.settings))


def known_trackers(rt: Runtime) -> dict[int, Tracker]:
    trackers = [load_tracker(slug, rt.settings.trackers_dir) for slug in available(rt.settings.trackers_dir)]
    return {rt.tracker_id(t): t for t in trackers}


def run_due(rt: Runtime, transport: SlackTransport | None = None) -> Iterator[str]:
    """Deliver due alerts and post due weekly summaries, once, as of `rt.now`; one line per outcome."""
    if transport is None and not rt.settings.slack_enabled:
        with rt.sessions.begin() as session:
            backlog = repo.count_pending(session=session)
        yield f"outbox: {backlog} pending (Slack is not configured: nothing delivered)"
        return
    transport = transport or slack_transport(rt)
    trackers = known_trackers(rt)
    titles = {tid: t.command for tid, t in trackers.items()}
    sent = deliver_pending(sessions=rt.sessions, transport=transport, now=rt.now, titles=titles)
    yield f"outbox: {sent} alerts posted to Slack"
    yield from post_due_summaries(sessions=rt.sessions, transport=transport, now=rt.now, trackers=trackers)


def schedule(scheduler: BaseScheduler, rt: Runtime) -> None:
    """Add the Slack jobs to the worker's scheduler (before it starts)."""
    global _context
    _context = _Context(rt=rt, transport=slack_transport(rt), trackers=known_trackers(rt))
    scheduler.add_jobstore(SQLAlchemyJobStore(engine=rt.engine, tablename="apscheduler_jobs"), alias=JOBSTORE)
    scheduler.add_job(deliver_job, "interval", seconds=rt.settings.deliver_seconds, id="deliver", max_instances=1,
                      coalesce=True, next_run_time=clock.now(None))
    # New subscriptions and changed schedules reach the job store within a minute.
    scheduler.add_job(sync_weekly_jobs, "interval", minutes=1, args=[scheduler], id="sync-weekly", max_instances=1,
                      coalesce=True, next_run_time=clock.now(None))


def deliver_job() -> None:
    ctx = _require_context()
    titles = {tid: t.command for tid, t in ctx.trackers.items()}
    sent = deliver_pending(sessions=ctx.rt.sessions, transport=ctx.transport, now=clock.now(ctx.rt.settings.now),
                           titles=titles)
    if sent:
        log.info("outbox: %s alerts posted", sent)


def weekly_summary_job(subscription_id: int) -> None:
    """One channel's weekly summary (a job in the persistent store)."""
    ctx = _require_context()
    for line in post_due_summaries(sessions=ctx.rt.sessions, transport=ctx.transport,
                                   now=clock.now(ctx.rt.settings.now), trackers=ctx.trackers,
                                   subscription_id=subscription_id):
        log.info(line)


def job_id(subscription_id: int) -> str:
    return f"weekly-summary-{subscription_id}"


def weekly_trigger(sub: m.Subscription) -> CronTrigger:
    hour, minute = sub.weekly_time.split(":")
    return CronTrigger(day_of_week=DAYS[sub.weekly_day], hour=int(hour), minute=int(minute),
                       timezone=ZoneInfo(sub.timezone))


def sync_weekly_jobs(scheduler: BaseScheduler, rt: Runtime | None = None) -> int:
    """Make the job store hold one weekly job per active Slack subscription, with its current slot.

    Jobs that exist with the right trigger are left alone: replacing them would move their next run
    time and lose a run the worker was down for. Returns how many jobs were added, changed or removed.
    """
    rt = rt or _require_context().rt
    with rt.sessions.begin() as session:
        wanted = {job_id(s.id): (s.id, weekly_trigger(s))
                  for s in repo.active_subscriptions(session=session, platform="slack")}
    existing = {job.id: job for job in scheduler.get_jobs(jobstore=JOBSTORE)}
    touched = 0
    for jid, (sub_id, trigger) in wanted.items():
        job = existing.get(jid)
        if job is None:
            scheduler.add_job("bot.slack.jobs:weekly_summary_job", trigger, args=[sub_id], id=jid, jobstore=JOBSTORE,
                              misfire_grace_time=int(GRACE.total_seconds()), coalesce=True, max_instances=1)
            touched += 1
        elif repr(job.trigger) != repr(trigger):  # repr names the time zone too
            scheduler.reschedule_job(jid, jobstore=JOBSTORE, trigger=trigger)
            touched += 1
    for jid in existing.keys() - wanted.keys():
        try:
            scheduler.remove_job(jid, jobstore=JOBSTORE)
            touched += 1
        except JobLookupError:
            pass
    return touched


def _require_context() -> _Context:
    if _context is None:
        raise RuntimeError("bot.slack.jobs.schedule() has not been called in this process")
    return _context
