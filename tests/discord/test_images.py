"""The timeline picture in Discord: an upload (multipart/form-data: payload_json and files[0]) shown
in the embed as attachment://timeline.png, on the weekly summary posted by the worker and on the
`/kuril timeline` answer (the text at once, the picture by editing the answer a moment later: an
interaction's HTTP response carries no files)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.app import Runtime
from bot.jobs import run_due
from bot.platforms.discord import web
from tests.discord.conftest import command, interact
from tests.discord.fake_discord import FakeDiscord
from tests.discord.test_delivery import C1, subscribe
from tests.public.test_chart import png_size
from tests.slack import seed


def assert_uploaded(call: Any) -> None:
    """A multipart upload of the picture, named in the embed and in the attachments."""
    assert call.headers["content-type"].startswith("multipart/form-data")
    filename, content = call.files["files[0]"]
    assert filename == "timeline.png" and png_size(content) == (1200, 600)
    assert call.body["embeds"][0]["image"] == {"url": "attachment://timeline.png"}
    [attachment] = call.body["attachments"]
    assert attachment["id"] == 0 and attachment["filename"] == "timeline.png"
    assert attachment["description"].startswith("Timeline of Russia-Japan peace treaty")


def test_the_weekly_summary_is_posted_with_the_picture(discord_rt: Runtime, fake_discord: FakeDiscord) -> None:
    seed.add_event(discord_rt)
    subscribe(discord_rt, C1)
    lines = list(run_due(discord_rt))
    assert lines[0].startswith(f"weekly summary to {C1}") and "outbox: 1 posted to discord" in lines
    [call] = fake_discord.calls_to("POST channels/messages")
    assert_uploaded(call)
    assert "week to 6 Nov 2000" in call.body["embeds"][0]["title"]
    assert call.body["nonce"] and call.body["allowed_mentions"] == {"parse": []}
    [posted] = fake_discord.posted(C1)
    assert posted["attachments"][0]["filename"] == "timeline.png"


def test_a_summary_whose_picture_fails_still_goes(
    discord_rt: Runtime, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.chart_draw

    def broken(picture: Any) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(bot.chart_draw, "render_png", broken)
    subscribe(discord_rt, C1)
    list(run_due(discord_rt))
    [call] = fake_discord.calls_to("POST channels/messages")
    assert not call.files and "attachments" not in call.body and "image" not in call.body["embeds"][0]


def _edits(fake: FakeDiscord, token: str, n: int = 1) -> list[Any]:
    deadline = time.monotonic() + 20
    while len(fake.edits.get(token, [])) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    return [c for c in fake.calls_to("PATCH webhooks/original") if c.params["token"] == token]


@pytest.mark.parametrize("public", [False, True])
def test_timeline_answers_at_once_and_the_edit_adds_the_picture(
    discord_rt: Runtime, discord_web: TestClient, fake_discord: FakeDiscord, public: bool
) -> None:
    seed.add_event(discord_rt)
    resp = interact(discord_web, command("timeline", token="pic-token", count=5, **({"public": True} if public else {})))
    body = resp.json()
    assert body["type"] == 4  # the answer itself, within Discord's 3 seconds
    assert "Timeline (last 5)" in body["data"]["embeds"][0]["title"]
    assert "image" not in body["data"]["embeds"][0] and "attachments" not in body["data"]
    assert ("flags" in body["data"]) is not public
    [edit] = _edits(fake_discord, "pic-token")
    assert_uploaded(edit)
    assert "flags" not in edit.body  # the first answer decided who sees it
    assert edit.body["embeds"][0]["title"] == body["data"]["embeds"][0]["title"]


def test_a_slow_timeline_defers_and_the_edit_brings_text_and_picture(
    discord_rt: Runtime, discord_web: TestClient, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web, "ANSWER_WITHIN", 0.0)
    resp = interact(discord_web, command("timeline", token="slow-pic"))
    assert resp.json()["type"] == 5
    [edit] = _edits(fake_discord, "slow-pic")
    assert_uploaded(edit)
    assert "Timeline (last 10)" in edit.body["embeds"][0]["title"]


def test_answers_without_a_picture_are_not_edited(discord_web: TestClient, fake_discord: FakeDiscord) -> None:
    assert interact(discord_web, command("status", token="plain")).json()["type"] == 4
    time.sleep(0.3)
    assert fake_discord.calls_to("PATCH webhooks/original") == []
