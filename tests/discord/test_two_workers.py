"""Two workers delivering the same Discord outbox at once (PostgreSQL: real concurrency) post every
alert exactly once, sharing the bot token's global rate limit."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.app import Runtime
from db import models as m
from tests.conftest import ROOT
from tests.discord.fake_discord import BOT_TOKEN, FakeDiscord
from tests.discord.test_delivery import footer, subscribe
from tests.slack import seed

WORKER = """
import sys
from datetime import datetime
from pathlib import Path
from bot.app import open_runtime
from bot.deliver import deliver_pending
from bot.settings import Settings
from bot.platforms.discord.rest import DiscordRest, GlobalLimit
from bot.platforms.discord.settings import DiscordSettings
from bot.platforms.discord.transport import DiscordTransport
db_url, api_url, token, when, tracker_id, limit_file = sys.argv[1:7]
rt = open_runtime(Settings(DATABASE_URL=db_url), migrate=False)
settings = DiscordSettings(DISCORD_BOT_TOKEN=token, DISCORD_API_URL=api_url)
transport = DiscordTransport(settings, rest=DiscordRest(settings, global_limit=GlobalLimit(Path(limit_file))))
n = deliver_pending(sessions=rt.sessions, transport=transport, now=datetime.fromisoformat(when),
                    titles={int(tracker_id): "/kuril"}, min_interval=0.0)
print(n)
"""


def test_two_workers_never_deliver_one_alert_twice(
    discord_rt: Runtime, fake_discord: FakeDiscord, db_url: str, tmp_path: Path
) -> None:
    if discord_rt.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one worker; concurrent delivery is a PostgreSQL matter")
    channels = [f"33000000000000000{i}" for i in range(6)]
    for channel in channels:
        subscribe(discord_rt, channel)
    for n in range(5):
        seed.add_change(discord_rt, seed.add_event(discord_rt, n=n), old="proposed", new="scheduled")
    args = [db_url, fake_discord.api_url, BOT_TOKEN, seed.WHEN.isoformat(), str(seed.kuril_id(discord_rt)),
            str(tmp_path / "global.ratelimit")]
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, *args], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err for _, err in outputs]
    posted_by_each = [int(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert sum(posted_by_each) == 30, posted_by_each
    keys = Counter(footer(msg) for channel in channels for msg in fake_discord.posted(channel))
    assert len(keys) == 30 and set(keys.values()) == {1}, keys.most_common(3)
    with discord_rt.sessions.begin() as session:
        assert {d.state for d in session.query(m.Outbox)} == {"sent"}
