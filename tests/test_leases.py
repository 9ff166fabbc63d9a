"""Leases are short and kept alive by a heartbeat while their worker polls: a worker that dies, on
this host or another, lets its sources go within one lease; a live one keeps them however long it polls."""

from __future__ import annotations

import time
from datetime import timedelta

from bot import sources
from bot.app import Runtime
from bot.settings import Settings
from db import repo


def _source(rt: Runtime, kuril, url: str) -> int:  # type: ignore[no-untyped-def]
    with rt.sessions.begin() as session:
        tid = repo.sync_tracker(session=session, tracker=kuril).id
        sources.ensure_sources(session=session, tracker_id=tid, urls=[url], origin="cli")
    return tid


def test_a_poll_longer_than_its_lease_keeps_it(runtime: Runtime, kuril) -> None:  # type: ignore[no-untyped-def]
    tid = _source(runtime, kuril, "slow.xml")
    now, lease = runtime.now, timedelta(seconds=1)
    assert sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="here:1:1", now=now, lease=lease) == ["slow.xml"]
    started = time.monotonic()
    with sources.kept(sessions=runtime.sessions, tracker_id=tid, url="slow.xml", owner="here:1:1", now=now,
                      lease=lease, beat=0.05):
        time.sleep(1.5)  # longer than the lease
        elapsed = timedelta(seconds=time.monotonic() - started)
        assert sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="elsewhere:2:1", now=now + elapsed,
                             lease=lease) == []  # still held: the heartbeat renewed it
    # the worker is gone (no more beats): one lease later the source is free for another
    later = now + timedelta(seconds=time.monotonic() - started) + lease + timedelta(seconds=1)
    assert sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="elsewhere:2:1", now=later,
                         lease=lease) == ["slow.xml"]


def test_a_dead_workers_lease_runs_out_within_minutes_not_ten(runtime: Runtime, kuril) -> None:  # type: ignore[no-untyped-def]
    config = sources.PollConfig.from_settings(Settings(NTRACK_FETCH_TIMEOUT="30", NTRACK_MAX_PAGE_FETCHES="20"))
    assert config.lease <= timedelta(minutes=2)  # was 10 minutes (or more): a dead worker blocked its sources
    tid = _source(runtime, kuril, "a.xml")
    sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="otherhost:99:1", now=runtime.now, lease=config.lease)
    assert sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="here:1:1", now=runtime.now + timedelta(minutes=2),
                         lease=config.lease) == ["a.xml"]


def test_the_heartbeat_stops_when_the_lease_is_given_back(runtime: Runtime, kuril) -> None:  # type: ignore[no-untyped-def]
    tid = _source(runtime, kuril, "b.xml")
    now, lease = runtime.now, timedelta(seconds=1)
    sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="here:1:1", now=now, lease=lease)
    with sources.kept(sessions=runtime.sessions, tracker_id=tid, url="b.xml", owner="here:1:1", now=now,
                      lease=lease, beat=0.05):
        sources.release(sessions=runtime.sessions, tracker_id=tid, owner="here:1:1", urls=["b.xml"])
        time.sleep(0.3)  # beats after the release must not take the lease back
    assert sources.claim(sessions=runtime.sessions, tracker_id=tid, owner="other:2:1", now=now, lease=lease) == ["b.xml"]
