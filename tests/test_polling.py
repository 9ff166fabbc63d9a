"""Scheduling and scale-out: leases, per-source jobs, two workers on PostgreSQL, the backfill bar."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import sources
from bot.app import open_runtime
from bot.settings import Settings
from bot.worker import ingest_all, poll_due, sync_poll_jobs
from db import models as m
from db import repo
from tests.conftest import PG_URL, CliResult
from tests.feedserver import FeedServer, rss
from tests.test_sources import FAST, QUIET, NoEvents


def feed(i: int) -> bytes:
    return rss([{"title": f"Item {i}", "guid": f"s{i}", "description": f"Rain in Osaka, day {i}."}])


def add_sources(rt, tracker, urls: list[str]) -> int:  # type: ignore[no-untyped-def]
    with rt.sessions.begin() as session:
        tid = repo.sync_tracker(session=session, tracker=tracker).id
        sources.ensure_sources(session=session, tracker_id=tid, urls=urls, origin="cli")
    return tid


def test_a_leased_source_is_skipped_until_released_or_expired(runtime, kuril) -> None:  # type: ignore[no-untyped-def]
    tid = add_sources(runtime, kuril, ["a.xml", "b.xml"])
    now, lease = runtime.now, timedelta(minutes=10)
    got = sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="w1", now=now, lease=lease)
    assert sorted(got) == ["a.xml", "b.xml"]
    assert sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="w2", now=now, lease=lease) == []
    sources.release(sessions=runtime.sessions, tracker_id=tid, owner="w1", urls=["a.xml"])
    soon = now + timedelta(minutes=5)
    assert sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="w2", now=soon, lease=lease) == ["a.xml"]
    later = now + timedelta(minutes=11)  # w1 died holding b.xml: its lease runs out
    assert sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="w3", now=later, lease=lease) == ["b.xml"]


def test_ingest_skips_a_source_another_worker_is_polling(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    server.feed("/a", QUIET)
    server.feed("/b", feed(2))
    tid = add_sources(runtime, kuril, [server.url("/a")])
    sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="elsewhere", now=runtime.now,
                  lease=timedelta(minutes=10), urls=[server.url("/a")], due_only=False)
    reports, failures = ingest_all(runtime, kuril, [server.url("/a"), server.url("/b")], extractor=NoEvents, config=FAST)
    assert [r.source for r in reports] == [server.url("/b")]
    [failure] = failures
    assert failure.startswith(f"{server.url('/a')}: worker elsewhere holds it until 2000-11-06 12:10 UTC")
    assert server.hits["/a"] == 0


def test_polled_sources_are_due_again_after_most_of_an_interval(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    server.feed("/a", QUIET)
    add_sources(runtime, kuril, [server.url("/a")])
    assert len(poll_due(runtime, extractors=lambda t: NoEvents, config=FAST)[0]) == 1
    assert poll_due(runtime, extractors=lambda t: NoEvents, config=FAST, now=runtime.now + timedelta(minutes=5)) == ([], [])
    reports, _ = poll_due(runtime, extractors=lambda t: NoEvents, config=FAST, now=runtime.now + timedelta(minutes=15))
    assert [r.not_modified for r in reports] == [True]


def test_one_job_per_source_spread_over_the_interval(runtime, kuril) -> None:  # type: ignore[no-untyped-def]
    from apscheduler.schedulers.background import BackgroundScheduler

    now = datetime.now(UTC)  # the scheduler runs on the wall clock
    add_sources(runtime, kuril, [f"s{i}.xml" for i in range(20)])
    with runtime.sessions.begin() as session:
        session.execute(m.Source.__table__.update().values(next_poll_at=now - timedelta(hours=1)))
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.start(paused=True)
    try:
        added, removed = sync_poll_jobs(scheduler, runtime, job=lambda sid: None, now=now,
                                        rng=random.Random(1))
        assert (added, removed) == (20, 0)
        jobs = scheduler.get_jobs()
        assert all(j.max_instances == 1 and j.coalesce and j.trigger.interval == timedelta(minutes=15) for j in jobs)
        assert all(j.trigger.jitter for j in jobs)
        offsets = sorted((j.next_run_time - now).total_seconds() for j in jobs)
        assert 0 <= offsets[0] and offsets[-1] <= 15 * 60 and offsets[-1] - offsets[0] > 8 * 60  # spread out
        with runtime.sessions.begin() as session:
            session.execute(m.Source.__table__.update().where(m.Source.url == "s3.xml").values(disabled=True))
            session.execute(m.Source.__table__.delete().where(m.Source.url == "s4.xml"))
        assert sync_poll_jobs(scheduler, runtime, job=lambda sid: None, now=now) == (0, 2)
        assert len(scheduler.get_jobs()) == 18
    finally:
        scheduler.shutdown(wait=False)


@pytest.mark.skipif(not PG_URL, reason="two workers need PostgreSQL (row locks); SQLite runs one worker")
def test_two_workers_never_poll_the_same_source(db_url: str, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    n = 40
    for i in range(n):
        server.feed(f"/s{i}", feed(i))
    urls = [server.url(f"/s{i}") for i in range(n)]
    settings = Settings(DATABASE_URL=db_url, NTRACK_NOW="2000-11-06T12:00:00Z", NTRACK_HOST_INTERVAL="0")
    workers = [open_runtime(settings, migrate=True) for _ in range(3)]
    try:
        add_sources(workers[0], kuril, urls)
        start = threading.Barrier(len(workers))
        results: list[tuple[list, list]] = []

        def work(rt) -> None:  # type: ignore[no-untyped-def]
            start.wait()
            for _ in range(3):  # each worker keeps asking, as its scheduler would
                results.append(poll_due(rt, extractors=lambda t: NoEvents, config=FAST, limit=7))

        threads = [threading.Thread(target=work, args=(rt,)) for rt in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        polled = [r.source for reports, _ in results for r in reports]
        assert sorted(polled) == sorted(urls)  # every source once, none twice
        assert all(server.hits[f"/s{i}"] == 1 for i in range(n))
        assert all(not failures for _, failures in results)
        with workers[0].sessions.begin() as session:
            rows = session.execute(select(m.Source.polls, m.Source.lease_owner)).all()
            assert all(polls == 1 and owner is None for polls, owner in rows)
    finally:
        for rt in workers:
            rt.engine.dispose()


def test_backfill_reports_progress_and_records_without_alerts(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    body = rss([{"title": f"Kuril talks {i}", "guid": f"b{i}", "description": f"Peace treaty round {i}."}
                for i in range(5)] + [{"title": "Weather", "guid": "w", "description": "Rain."}])
    server.feed("/a", body)
    server.feed("/b", QUIET)
    seen: list[tuple[str, int]] = []
    reports, failures = ingest_all(runtime, kuril, [server.url("/a"), server.url("/b")], extractor=NoEvents,
                                   config=FAST, alert=False, progress=lambda kind, k: seen.append((kind, k)))
    assert not failures and sum(r.articles_new for r in reports) == 7
    assert seen.count(("source", 1)) == 2
    assert sum(k for kind, k in seen if kind == "articles") == 7
    assert sum(k for kind, k in seen if kind == "done") == 7


def test_backfill_flag_keeps_json_on_stdout(runtime, db_url: str, server: FeedServer,  # type: ignore[no-untyped-def]
                                            ntrack: Callable[..., CliResult]) -> None:
    server.feed("/q", QUIET)
    proc = ntrack("ingest", "--backfill", "--json", "--source", server.url("/q"),
                   env={"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"articles_new": 1, "changes": []}
    assert "sources" in proc.stderr and "articles" in proc.stderr
