"""The worker's platform-neutral jobs: deliver every platform's outbox, queue every due weekly summary.

`run_due` does both once (`ntrack worker --once`, tests). `schedule` adds them to the worker's
APScheduler: each enabled platform's outbox every NTRACK_DELIVER_SECONDS, and one cron job per
subscribed channel (of any enabled platform) for its weekly summary, kept in APScheduler's
SQLAlchemy job store (table `apscheduler_jobs`, migration 0002) so that a restart neither loses nor
repeats a week: a run missed by less than six hours is caught up, an older one skipped
(misfire_grace_time), and `queue_due_summaries` claims the slot in the database anyway.
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

from bot import clock, platforms
from bot.app import Runtime
from bot.deliver import Transport, deliver_pending
from bot.weekly import DAYS, GRACE, queue_due_summaries
from db import models as m
from db import outbox, repo

JOBSTORE = "weekly"
log = logging.getLogger("ntrack.jobs")


@dataclass(slots=True)
class _Context:
    rt: Runtime
    transports: dict[str, Transport]


# Jobs in a persistent store are pickled by reference ("bot.jobs:weekly_summary_job"), so the runtime
# they need cannot travel with them: `schedule` sets it here, in the worker process.
_context: _Context | None = None


def transports(rt: Runtime) -> dict[str, Transport]:
    """The transport of every platform this deployment is configured for."""
    return {p.name: p.transport(rt) for p in platforms.enabled(rt.settings) if p.posts(rt.settings)}


def deliver_all(rt: Runtime, using: dict[str, Transport]) -> Iterator[str]:
    """Deliver what is due on every platform of `using`, once, as of `rt.now`; a line per platform, and
    one for messages waiting for a platform that is not configured."""
    titles = rt.titles()
    for name, transport in using.items():
        sent = deliver_pending(sessions=rt.sessions, transport=transport, now=rt.now, titles=titles)
        yield f"outbox: {sent} posted to {name}"
    with rt.sessions.begin() as session:
        waiting = outbox.pending_by_platform(session=session)
    for name, n in sorted(waiting.items()):
        if name not in using and n:
            yield f"outbox: {n} pending for {name} ({name} is not configured: nothing delivered)"


def run_due(rt: Runtime, using: dict[str, Transport] | None = None) -> Iterator[str]:
    """Queue due weekly summaries, then deliver due messages, once, as of `rt.now`; one line per outcome."""
    using = transports(rt) if using is None else using
    yield from queue_due_summaries(sessions=rt.sessions, now=rt.now, trackers=rt.trackers(), platforms=list(using))
    yield from deliver_all(rt, using)


def schedule(scheduler: BaseScheduler, rt: Runtime) -> None:
    """Add the delivery and weekly-summary jobs to the worker's scheduler (before it starts)."""
    global _context
    _context = _Context(rt=rt, transports=transports(rt))
    scheduler.add_jobstore(SQLAlchemyJobStore(engine=rt.engine, tablename="apscheduler_jobs"), alias=JOBSTORE)
    scheduler.add_job(deliver_job, "interval", seconds=rt.settings.deliver_seconds, id="deliver", max_instances=1,
                      coalesce=True, next_run_time=clock.now(None))
    # New subscriptions and changed schedules reach the job store within a minute.
    scheduler.add_job(sync_weekly_jobs, "interval", minutes=1, args=[scheduler], id="sync-weekly", max_instances=1,
                      coalesce=True, next_run_time=clock.now(None))
    for platform in platforms.enabled(rt.settings):
        platform.schedule(scheduler, rt)


def deliver_job() -> None:
    ctx = _require_context()
    now = clock.now(ctx.rt.settings.now)
    titles = ctx.rt.titles()
    for name, transport in ctx.transports.items():
        sent = deliver_pending(sessions=ctx.rt.sessions, transport=transport, now=now, titles=titles)
        if sent:
            log.info("outbox: %s posted to %s", sent, name)


def weekly_summary_job(subscription_id: int) -> None:
    """One channel's weekly summary (a job in the persistent store): queued now, posted by deliver_job."""
    ctx = _require_context()
    for line in queue_due_summaries(sessions=ctx.rt.sessions, now=clock.now(ctx.rt.settings.now),
                                    trackers=ctx.rt.trackers(), subscription_id=subscription_id,
                                    platforms=list(ctx.transports)):
        log.info(line)


def job_id(subscription_id: int) -> str:
    return f"weekly-summary-{subscription_id}"


def weekly_trigger(sub: m.Subscription) -> CronTrigger:
    hour, minute = sub.weekly_time.split(":")
    return CronTrigger(day_of_week=DAYS[sub.weekly_day], hour=int(hour), minute=int(minute),
                       timezone=ZoneInfo(sub.timezone))


def sync_weekly_jobs(scheduler: BaseScheduler, rt: Runtime | None = None, platform_names: list[str] | None = None) -> int:
    """Make the job store hold one weekly job per active subscription of the enabled platforms.

    Jobs that exist with the right trigger are left alone: replacing them would move their next run
    time and lose a run the worker was down for. Returns how many jobs were added, changed or removed.
    """
    if rt is None:
        ctx = _require_context()
        rt, platform_names = ctx.rt, list(ctx.transports)
    if platform_names is None:
        platform_names = [p.name for p in platforms.enabled(rt.settings)]
    with rt.sessions.begin() as session:
        wanted = {job_id(s.id): (s.id, weekly_trigger(s))
                  for s in repo.active_subscriptions(session=session, platforms=platform_names)}
    existing = {job.id: job for job in scheduler.get_jobs(jobstore=JOBSTORE)}
    touched = 0
    for jid, (sub_id, trigger) in wanted.items():
        job = existing.get(jid)
        if job is None:
            scheduler.add_job("bot.jobs:weekly_summary_job", trigger, args=[sub_id], id=jid, jobstore=JOBSTORE,
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
        raise RuntimeError("bot.jobs.schedule() has not been called in this process")
    return _context
