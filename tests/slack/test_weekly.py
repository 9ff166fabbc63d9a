"""Weekly summaries: each channel's slot in its own time zone, posted once, caught up within six hours
of a missed slot and skipped after, kept by APScheduler's SQLAlchemy job store across restarts."""

from __future__ import annotations

import json
import pickle
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text

from bot import jobs
from bot.app import Runtime, open_runtime
from bot.deliver import deliver_pending
from bot.platforms.slack.transport import SlackTransport
from bot.service import answer
from bot.weekly import DAYS, due_slot, last_slot, queue_due_summaries
from db import models as m
from tests.slack import seed
from tests.slack.conftest import slack_settings
from tests.slack.fake_slack import BOT_TOKEN, TEAM_ID, FakeSlack

MONDAY_0900_TOKYO = datetime(2000, 11, 6, 0, 0, tzinfo=UTC)


@pytest.fixture
def transport(fake_slack: FakeSlack) -> SlackTransport:
    return SlackTransport(token_for=lambda team: BOT_TOKEN, base_url=fake_slack.api_url, timeout=5)


def subscribe_weekly(rt: Runtime, words: str, channel: str = "C1") -> None:
    reply = answer(rt, rt.tracker("kuril"), f"subscribe weekly {words}", channel=channel, platform="slack",
                   team_id=TEAM_ID)
    assert reply.error is None, reply.error


def post(rt: Runtime, transport: SlackTransport, now: datetime) -> list[str]:
    """Queue the due summaries and deliver Slack's outbox at once, as the worker's two jobs do."""
    trackers = {seed.kuril_id(rt): rt.tracker("kuril")}
    done = queue_due_summaries(sessions=rt.sessions, now=now, trackers=trackers, platforms=[transport.platform])
    deliver_pending(sessions=rt.sessions, transport=transport, now=now, titles={t: k.command for t, k in trackers.items()})
    return done


def test_slot_is_in_the_channels_time_zone() -> None:
    monday_morning_utc = datetime(2000, 11, 6, 3, tzinfo=UTC)
    assert last_slot(weekly_day=0, weekly_time="09:00", timezone="Asia/Tokyo", now=monday_morning_utc) == MONDAY_0900_TOKYO
    # before 09:00 in New York on that Monday, the last slot is the week before
    assert last_slot(weekly_day=0, weekly_time="09:00", timezone="America/New_York", now=monday_morning_utc) == \
        datetime(2000, 10, 30, 14, tzinfo=UTC)


def test_summary_posted_once_per_week(slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport) -> None:
    seed.add_event(slack_rt)
    subscribe_weekly(slack_rt, "mon 09:00 Asia/Tokyo")
    assert post(slack_rt, transport, MONDAY_0900_TOKYO - timedelta(minutes=1)) == []
    assert post(slack_rt, transport, MONDAY_0900_TOKYO + timedelta(minutes=1)) == [
        "weekly summary to C1 (slot 2000-11-06 00:00 UTC)"]
    msg = fake_slack.posted("C1")[0]
    shown = json.dumps(msg["blocks"])
    assert "week to 6 Nov 2000" in shown and "Trend:" in shown and "What is next" in shown
    assert post(slack_rt, transport, MONDAY_0900_TOKYO + timedelta(hours=1)) == []
    assert len(post(slack_rt, transport, MONDAY_0900_TOKYO + timedelta(days=7, minutes=5))) == 1
    assert len(fake_slack.posted("C1")) == 2


def test_missed_slot_caught_up_within_six_hours_else_skipped(
    slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport
) -> None:
    subscribe_weekly(slack_rt, "mon 09:00 Asia/Tokyo", channel="C1")
    subscribe_weekly(slack_rt, "mon 09:00 Asia/Tokyo", channel="C2")
    with slack_rt.sessions.begin() as s:
        c1 = s.query(m.Subscription).filter_by(channel="C1").one()
        assert due_slot(c1, MONDAY_0900_TOKYO + timedelta(hours=5, minutes=59)) == MONDAY_0900_TOKYO
        assert due_slot(c1, MONDAY_0900_TOKYO + timedelta(hours=6, minutes=1)) is None
    assert post(slack_rt, transport, MONDAY_0900_TOKYO + timedelta(hours=7)) == []  # the worker was down too long
    assert fake_slack.posted("C1") == [] and fake_slack.posted("C2") == []


def test_a_summary_slack_took_before_failing_is_not_posted_twice(
    slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport
) -> None:
    subscribe_weekly(slack_rt, "mon 09:00 Asia/Tokyo")
    fake_slack.fail_next("chat.postMessage", 500, after_effect=True)
    assert len(post(slack_rt, transport, MONDAY_0900_TOKYO + timedelta(minutes=1))) == 1  # queued; Slack took it, said 500
    assert post(slack_rt, transport, MONDAY_0900_TOKYO + timedelta(minutes=20)) == []  # not queued again; retried ...
    assert len(fake_slack.posted("C1")) == 1  # ... by finding the one Slack had
    with slack_rt.sessions.begin() as s:
        assert [(r.kind, r.state) for r in s.query(m.Outbox)] == [("summary", "sent")]


# --- APScheduler's persistent job store

@pytest.fixture
def live_rt(db_url: str, fake_slack: FakeSlack) -> Iterator[Runtime]:
    """A runtime on the real clock, as the worker runs."""
    rt = open_runtime(slack_settings(db_url, fake_slack, NTRACK_NOW=""), migrate=True)
    yield rt
    rt.engine.dispose()


def start_worker_scheduler(rt: Runtime) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    jobs.schedule(scheduler, rt)
    scheduler.remove_job("deliver")
    scheduler.remove_job("sync-weekly")
    scheduler.start(paused=True)
    jobs.sync_weekly_jobs(scheduler, rt)
    return scheduler


def stored_jobs(rt: Runtime) -> list[tuple[str, float]]:
    with rt.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, next_run_time FROM apscheduler_jobs ORDER BY id"))]


def set_next_run(rt: Runtime, when: datetime) -> None:
    """Rewrite the one stored job's next run time, in its column and in its pickled state."""
    with rt.engine.begin() as conn:
        job_id, state = conn.execute(text("SELECT id, job_state FROM apscheduler_jobs")).one()
        job = pickle.loads(state)
        job["next_run_time"] = when
        conn.execute(text("UPDATE apscheduler_jobs SET next_run_time = :t, job_state = :s WHERE id = :id"),
                     {"t": when.timestamp(), "s": pickle.dumps(job), "id": job_id})


def test_weekly_job_survives_restarts_without_moving(live_rt: Runtime) -> None:
    subscribe_weekly(live_rt, "mon 09:00 Asia/Tokyo")
    scheduler = start_worker_scheduler(live_rt)
    [(job_id, next_run)] = stored_jobs(live_rt)
    job = scheduler.get_job(job_id)
    assert job.misfire_grace_time == 6 * 3600 and job.coalesce
    fires = datetime.fromtimestamp(next_run, UTC)
    assert (fires.weekday(), fires.hour, fires.minute) == (0, 0, 0)  # Monday 09:00 in Tokyo
    scheduler.shutdown()

    scheduler = start_worker_scheduler(live_rt)  # a restart: same job, same next run
    assert stored_jobs(live_rt) == [(job_id, next_run)]
    subscribe_weekly(live_rt, "fri 17:30 Europe/Moscow")
    assert jobs.sync_weekly_jobs(scheduler, live_rt) == 1
    fires = datetime.fromtimestamp(stored_jobs(live_rt)[0][1], UTC)
    assert (fires.weekday(), fires.hour, fires.minute) == (4, 14, 30)
    answer(live_rt, live_rt.tracker("kuril"), "unsubscribe", channel="C1", platform="slack", team_id=TEAM_ID)
    assert jobs.sync_weekly_jobs(scheduler, live_rt) == 1 and stored_jobs(live_rt) == []
    scheduler.shutdown()


@pytest.mark.parametrize(("missed_by", "posted"), [(timedelta(hours=5), 1), (timedelta(hours=7), 0)])
def test_run_missed_while_down_is_caught_up_or_skipped(
    live_rt: Runtime, fake_slack: FakeSlack, missed_by: timedelta, posted: int
) -> None:
    slot = (datetime.now(UTC) - missed_by).replace(second=0, microsecond=0)
    subscribe_weekly(live_rt, f"{DAYS[slot.weekday()]} {slot:%H:%M} UTC")
    start_worker_scheduler(live_rt).shutdown()
    set_next_run(live_rt, slot)  # the worker was down when the job was due

    scheduler = start_worker_scheduler(live_rt)
    scheduler.resume()
    deadline = time.monotonic() + 5
    while stored_jobs(live_rt)[0][1] <= slot.timestamp() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    scheduler.shutdown()
    live_rt.now = datetime.now(UTC)
    list(jobs.deliver_all(live_rt, jobs.transports(live_rt)))  # the worker's delivery job posts what was queued
    assert len(fake_slack.posted("C1")) == posted
    assert stored_jobs(live_rt)[0][1] == (slot + timedelta(days=7)).timestamp()  # next week either way
