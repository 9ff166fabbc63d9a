"""`ntrack worker --once` killed while Slack is posting its alert, then restarted: every alert once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

from bot.app import Runtime
from tests.conftest import ROOT
from tests.slack import seed
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack


def worker_env(db_url: str, fake: FakeSlack, now: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NTRACK_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": db_url, "NTRACK_NOW": now, "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.api_url})
    return env


def test_worker_killed_mid_delivery_then_restarted(db_url: str, slack_rt: Runtime, fake_slack: FakeSlack) -> None:
    ids = seed.three_alerts(slack_rt)
    gate = fake_slack.hang_after_recording("chat.postMessage")  # Slack posts it; the worker never hears back
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker", "--once"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=worker_env(db_url, fake_slack, seed.WHEN.isoformat()),
    )
    try:
        deadline = time.monotonic() + 60
        while not fake_slack.calls_to("chat.postMessage") and time.monotonic() < deadline:
            assert worker.poll() is None, worker.communicate()
            time.sleep(0.05)
        assert fake_slack.calls_to("chat.postMessage"), "the worker never posted"
    finally:
        worker.kill()
        worker.communicate()
        gate.set()
    assert len(fake_slack.posted("C1")) == 1
    assert seed.delivery(slack_rt, ids[0]).state == "sending"

    later = (seed.WHEN + timedelta(minutes=2)).isoformat()  # the dead worker's lease has run out
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "worker", "--once"], cwd=ROOT, capture_output=True,
                          text=True, env=worker_env(db_url, fake_slack, later), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "outbox: 2 posted to slack" in proc.stdout
    msgs = fake_slack.posted("C1")
    assert len(msgs) == 3, [m["text"] for m in msgs]
    assert [seed.delivery(slack_rt, i).external_id for i in ids] == [m["ts"] for m in msgs]
    assert all(seed.delivery(slack_rt, i).state == "sent" for i in ids)
