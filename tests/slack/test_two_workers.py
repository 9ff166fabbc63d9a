"""Two workers delivering the same outbox at once (PostgreSQL: real concurrency) post every alert exactly once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from bot.app import Runtime
from db import models as m
from tests.conftest import ROOT
from tests.slack import seed
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

WORKER = """
import sys
from datetime import datetime
from bot.app import open_runtime
from bot.deliver import deliver_pending
from bot.settings import Settings
from bot.platforms.slack.transport import SlackTransport
db_url, api_url, token, when, tracker_id = sys.argv[1:6]
rt = open_runtime(Settings(DATABASE_URL=db_url), migrate=False)
transport = SlackTransport(token_for=lambda team: token, base_url=api_url, timeout=5)
n = deliver_pending(sessions=rt.sessions, transport=transport, now=datetime.fromisoformat(when),
                    titles={int(tracker_id): "/kuril"}, min_interval=0.0)
print(n)
"""


def test_two_workers_never_deliver_one_alert_twice(slack_rt: Runtime, fake_slack: FakeSlack, db_url: str) -> None:
    if slack_rt.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one worker; concurrent delivery is a PostgreSQL matter")
    channels = [f"C{i}" for i in range(6)]
    for channel in channels:
        seed.subscribe(slack_rt, channel)
    for n in range(5):
        seed.add_change(slack_rt, seed.add_event(slack_rt, n=n), old="proposed", new="scheduled")
    args = [db_url, fake_slack.api_url, BOT_TOKEN, seed.WHEN.isoformat(), str(seed.kuril_id(slack_rt))]
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, *args], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err for _, err in outputs]
    posted_by_each = [int(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert sum(posted_by_each) == 30, posted_by_each
    keys = Counter(msg["metadata"]["event_payload"]["key"] for channel in channels for msg in fake_slack.posted(channel))
    assert len(keys) == 30 and set(keys.values()) == {1}, keys.most_common(3)
    with slack_rt.sessions.begin() as session:
        assert {d.state for d in session.query(m.Outbox)} == {"sent"}
