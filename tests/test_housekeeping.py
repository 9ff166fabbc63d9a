"""Housekeeping: expired Slack OAuth states are purged, and a lease left by a worker killed on this host
is taken over at once instead of refusing its sources until it runs out."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import func, select, text

from bot.app import Runtime
from bot.platforms.slack.workspaces import state_store
from db import models as m
from db import sources as store
from tests.conftest import SAMPLE_FEED, CliResult

Ntrack = Callable[..., CliResult]
NOW = "2000-11-06T12:00:00Z"


def _states(rt: Runtime) -> int:
    with rt.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM slack_oauth_states")).scalar_one())


def test_expired_oauth_states_are_purged_when_a_state_is_issued(runtime: Runtime) -> None:
    expired = SQLAlchemyOAuthStateStore(expiration_seconds=-60, engine=runtime.engine)
    for _ in range(300):  # abandoned installs, each state expired a minute ago
        expired.issue()
    live = state_store(runtime.engine)
    kept = live.issue()
    assert _states(runtime) == 1
    assert live.consume(kept)
    assert _states(runtime) == 0


def test_unexpired_oauth_states_stay(runtime: Runtime) -> None:
    live = state_store(runtime.engine)
    states = [live.issue() for _ in range(5)]
    assert _states(runtime) == 5
    assert all(live.consume(s) for s in states)


# ---------------------------------------------------------------------------------------- leases

@pytest.fixture
def dead_pid() -> int:
    """The id of a process of this host that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc.pid
    proc.kill()
    proc.wait()


def _leased_source(rt: Runtime, url: str, owner: str, minutes: int = 10) -> int:
    tid = rt.tracker_id(rt.tracker("kuril"))
    with rt.sessions.begin() as session:
        row = m.Source(tracker_id=tid, url=url, error_count=0, disabled=False, polls=0, origin="cli",
                       lease_owner=owner, lease_until=rt.now + timedelta(minutes=minutes))
        session.add(row)
        session.flush()
        return row.id


def _host() -> str:
    return socket.gethostname()[:60]


def test_a_dead_workers_lease_is_taken_over_at_once(runtime: Runtime, dead_pid: int) -> None:
    dead = f"{_host()}:{dead_pid}:140000"
    sid = _leased_source(runtime, "https://example.org/feed", dead)
    with runtime.sessions.begin() as session:
        got = store.claim(session=session, owner="me:1:1", now=runtime.now, until=runtime.now + timedelta(minutes=10),
                          source_ids=[sid], due_only=False)
    assert [r.id for r in got] == [sid]


def test_a_dead_workers_lease_is_taken_over_by_the_due_claim(runtime: Runtime, dead_pid: int) -> None:
    sid = _leased_source(runtime, "https://example.org/feed", f"{_host()}:{dead_pid}:1")
    with runtime.sessions.begin() as session:
        got = store.claim(session=session, owner="me:1:1", now=runtime.now, until=runtime.now + timedelta(minutes=10))
    assert [r.id for r in got] == [sid]


@pytest.mark.parametrize("where", ["this host, alive", "another host"])
def test_a_live_or_remote_holder_keeps_its_lease(runtime: Runtime, live_pid: int, where: str) -> None:
    owner = f"{_host()}:{live_pid}:1" if where == "this host, alive" else f"elsewhere.example:{live_pid}:1"
    sid = _leased_source(runtime, "https://example.org/feed", owner)
    with runtime.sessions.begin() as session:
        got = store.claim(session=session, owner="me:1:1", now=runtime.now, until=runtime.now + timedelta(minutes=10),
                          source_ids=[sid], due_only=False)
        assert got == []
        held = store.lease_holder(session=session, tracker_id=runtime.tracker_id(runtime.tracker("kuril")),
                                  url="https://example.org/feed", now=runtime.now)
    assert held is not None and held[0] == owner
    assert held[1].replace(tzinfo=None) == (runtime.now + timedelta(minutes=10)).replace(tzinfo=None)


def test_lease_holder_is_none_when_free_or_expired(runtime: Runtime) -> None:
    _leased_source(runtime, "https://example.org/old", "x:1:1", minutes=-1)
    tid = runtime.tracker_id(runtime.tracker("kuril"))
    with runtime.sessions.begin() as session:
        assert store.lease_holder(session=session, tracker_id=tid, url="https://example.org/old", now=runtime.now) is None
        assert store.lease_holder(session=session, tracker_id=tid, url="https://nope.example/", now=runtime.now) is None


@pytest.mark.parametrize("owner", ["", "garbage", "host", ":", "h:x:1", "h:-1:1", "h:٣:1"])
def test_odd_owners_count_as_alive(owner: str) -> None:
    assert not store.holder_is_dead(owner)


def test_ingest_after_kill_9_is_not_refused(ntrack: Ntrack, runtime: Runtime, db_url: str, dead_pid: int) -> None:
    """A restarted `ingest` reads the source the killed one held, instead of "another worker is polling it"."""
    url = str(SAMPLE_FEED)
    sid = _leased_source(runtime, url, f"{_host()}:{dead_pid}:1")
    proc = ntrack("ingest", "--source", url, env={"DATABASE_URL": db_url, "NTRACK_NOW": NOW})
    assert proc.returncode == 0, proc.stderr
    assert "another worker" not in proc.stderr
    with runtime.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(m.Source).where(m.Source.id == sid,
                                                                               m.Source.polls == 1)) == 1
