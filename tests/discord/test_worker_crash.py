"""`ntrack worker --once` killed while Discord is posting its alert (the post took effect, the answer
never came), then restarted after the lease: every alert exactly once, the first found by its key."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

from bot.app import Runtime
from tests.conftest import ROOT
from tests.discord.fake_discord import BOT_TOKEN, FakeDiscord
from tests.discord.test_delivery import C1, footer, three_alerts
from tests.slack import seed

POST = "POST channels/messages"


def worker_env(db_url: str, fake: FakeDiscord, now: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "DISCORD_", "NTRACK_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": db_url, "NTRACK_NOW": now, "DISCORD_BOT_TOKEN": BOT_TOKEN,
                "DISCORD_API_URL": fake.api_url})
    return env


def test_worker_killed_between_post_and_mark_then_restarted(
    db_url: str, discord_rt: Runtime, fake_discord: FakeDiscord
) -> None:
    ids = three_alerts(discord_rt)
    gate = fake_discord.hang_after_recording(POST)  # Discord posts it; the worker never hears back
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker", "--once"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=worker_env(db_url, fake_discord, seed.WHEN.isoformat()),
    )
    try:
        deadline = time.monotonic() + 60
        while not fake_discord.calls_to(POST) and time.monotonic() < deadline:
            assert worker.poll() is None, worker.communicate()
            time.sleep(0.05)
        assert fake_discord.calls_to(POST), "the worker never posted"
    finally:
        worker.kill()
        worker.communicate()
        gate.set()
    assert len(fake_discord.posted(C1)) == 1
    assert seed.delivery(discord_rt, ids[0]).state == "sending"
    # Discord's message list does not echo a nonce, and a repeat long after is not held back by it:
    # only the key in the footer can tell the next run that this alert is already there.
    fake_discord.messages[C1][0]["nonce"] = None

    soon = (seed.WHEN + timedelta(seconds=30)).isoformat()  # the dead worker's lease still holds
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "worker", "--once"], cwd=ROOT, capture_output=True,
                          text=True, env=worker_env(db_url, fake_discord, soon), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "outbox: 0 posted to discord" in proc.stdout
    assert len(fake_discord.calls_to(POST)) == 1

    later = (seed.WHEN + timedelta(minutes=2)).isoformat()  # the lease has run out
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "worker", "--once"], cwd=ROOT, capture_output=True,
                          text=True, env=worker_env(db_url, fake_discord, later), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "outbox: 2 posted to discord" in proc.stdout
    msgs = fake_discord.posted(C1)
    assert [footer(m) for m in msgs] == [f"ntrack-delivery-{i}" for i in ids]  # each once, in order
    assert [seed.delivery(discord_rt, i).external_id for i in ids] == [m["id"] for m in msgs]
    assert all(seed.delivery(discord_rt, i).state == "sent" for i in ids)
    assert [c.route for c in fake_discord.calls] == [POST, "GET channels/messages", POST, POST]
