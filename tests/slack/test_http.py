"""Slash commands as Slack sends them: signed HTTP requests into the ASGI app, answered from the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.app import Runtime
from bot.web import create_app
from db import models as m
from tests.conftest import ROOT
from tests.slack import seed
from tests.slack.conftest import (
    NOW,
    SIGNING_SECRET,
    all_text,
    command_body,
    signed_headers,
    slack_settings,
    slash,
)
from tests.slack.fake_slack import BOT_TOKEN, TEAM_ID, FakeSlack


def test_status_is_answered_in_the_ack_as_block_kit(slack_rt: Runtime, web: TestClient) -> None:
    seed.add_event(slack_rt)
    resp = slash(web, "status")
    assert resp.status_code == 200
    body = resp.json()
    assert body["response_type"] == "ephemeral"
    text = all_text(body)
    assert "Summit · Brunei · 15 Nov 2000 · scheduled" in text
    # the headline is the source link's label, escaped: it cannot ping the channel
    assert "<!channel>" not in text
    assert "|&lt;!channel&gt; Putin &amp; Mori &lt;b&gt;to meet&lt;/b&gt; in Brunei>" in text


def test_public_reply_goes_to_the_channel(slack_rt: Runtime, web: TestClient) -> None:
    assert slash(web, "next public").json()["response_type"] == "in_channel"


def test_malformed_command_gets_help_and_one_line_reason(web: TestClient) -> None:
    body = slash(web, "timeline lots").json()
    text = all_text(body)
    assert ":warning: timeline: N must be a number from 1 to 50, not 'lots'." in text
    assert "/kuril who NAME" in text  # the help
    assert "Unknown command 'frobnicate'." in all_text(slash(web, "frobnicate").json())


@pytest.mark.parametrize("tamper", ["secret", "body", "stale", "missing"])
def test_unverified_requests_are_refused(slack_rt: Runtime, web: TestClient, tamper: str) -> None:
    body = command_body("subscribe")
    headers = signed_headers(body, secret="not-the-secret" if tamper == "secret" else SIGNING_SECRET,
                             timestamp=int(time.time()) - 6 * 60 if tamper == "stale" else None)
    if tamper == "body":
        body = body.replace("C0001", "C0666")
    if tamper == "missing":
        del headers["X-Slack-Signature"]
    resp = web.post("/slack/events", content=body, headers=headers)
    assert resp.status_code == 401
    with slack_rt.sessions.begin() as s:  # the command did not run
        assert s.query(m.Subscription).count() == 0


def test_subscribe_from_slack_records_workspace_and_channel(slack_rt: Runtime, web: TestClient) -> None:
    body = slash(web, "subscribe major", channel="C0042").json()
    assert body["response_type"] == "in_channel"
    body = slash(web, "subscribe weekly mon 09:00 Asia/Tokyo", channel="C0042").json()
    assert "every Mon 09:00 Asia/Tokyo" in all_text(body)
    with slack_rt.sessions.begin() as s:
        sub = s.query(m.Subscription).one()
        assert (sub.platform, sub.team_id, sub.channel, sub.level) == ("slack", TEAM_ID, "C0042", "major")
        assert (sub.weekly_day, sub.weekly_time, sub.timezone) == (0, "09:00", "Asia/Tokyo")
    bad = all_text(slash(web, "subscribe weekly mon 09:00 Mars/Olympus", channel="C0042").json())
    assert "unknown time zone 'Mars/Olympus'" in bad


def test_every_tracker_brings_its_command(db_url: str, fake_slack: FakeSlack, tmp_path: Path) -> None:
    (tmp_path / "cyprus.toml").write_text(
        'slug = "cyprus"\ntitle = "Cyprus reunification talks"\ncommand = "/cyprus"\nkeywords = ["Cyprus"]\n'
    )
    from bot.app import open_runtime

    rt = open_runtime(slack_settings(db_url, fake_slack, NTRACK_TRACKERS_DIR=str(tmp_path)), migrate=True)
    with TestClient(create_app(rt), base_url="https://testserver") as client:
        assert "Cyprus reunification talks" in all_text(slash(client, "help", command="/cyprus").json())
        assert "Russia-Japan peace treaty" in all_text(slash(client, "help", command="/kuril").json())
    rt.engine.dispose()


def test_a_slow_answer_is_acked_at_once_and_follows_by_response_url(
    slack_rt: Runtime, web: TestClient, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.platforms.slack import commands

    real = commands.slack_answer

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(commands, "slack_answer", slow)
    monkeypatch.setattr(commands, "ANSWER_WITHIN", 0.2)
    # the listener captured ANSWER_WITHIN when registered: build the app again with the patched value
    with TestClient(create_app(slack_rt), base_url="https://testserver") as client:
        started = time.monotonic()
        resp = slash(client, "status", response_url=fake_slack.url + "/response/1")
        assert time.monotonic() - started < 0.9
        assert "Looking that up" in resp.json()["text"]
        deadline = time.monotonic() + 5
        while not fake_slack.responses and time.monotonic() < deadline:
            time.sleep(0.05)
    assert fake_slack.responses, "the answer never reached the response_url"
    assert "status as of 6 Nov 2000" in all_text(fake_slack.responses[0])


def test_web_process_never_imports_spacy(db_url: str, fake_slack: FakeSlack) -> None:
    code = (
        "import sys\n"
        "from bot.app import open_runtime\nfrom bot.settings import Settings\nfrom bot.web import create_app\n"
        "from starlette.testclient import TestClient\n"
        "app = create_app(open_runtime(Settings(), migrate=True))\n"
        "assert any(r.path == '/slack/events' for r in app.routes)\n"
        "assert 'spacy' not in sys.modules, 'the web process loaded spaCy'\n"
    )
    env = {**os.environ, "DATABASE_URL": db_url, "NTRACK_NOW": NOW, "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake_slack.api_url}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_healthz_still_answers(web: TestClient) -> None:
    assert web.get("/healthz").json()["ok"] is True
