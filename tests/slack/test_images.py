"""The timeline picture in Slack: an image block whose image_url is the picture's public URL (with
its content hash, so Slack fetches it again when it changes), in `/kuril timeline` and in the weekly
summary as it arrives at Slack; no image block without NTRACK_PUBLIC_URL, or with the pages off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.app import Runtime, open_runtime
from bot.jobs import run_due
from bot.web import create_app
from tests.public.test_chart import png_size
from tests.slack import seed
from tests.slack.conftest import slack_settings, slash
from tests.slack.fake_slack import FakeSlack

PUBLIC = "https://ntrack.example.org/"


def images(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in blocks if b.get("type") == "image"]


@pytest.fixture
def public_rt(db_url: str, fake_slack: FakeSlack) -> Iterator[Runtime]:
    rt = open_runtime(slack_settings(db_url, fake_slack, NTRACK_PUBLIC_URL=PUBLIC), migrate=True)
    yield rt
    rt.engine.dispose()


def test_timeline_shows_the_picture_by_its_public_url(public_rt: Runtime) -> None:
    seed.add_event(public_rt)
    with TestClient(create_app(public_rt), base_url="https://testserver") as web:
        body = slash(web, "timeline 5").json()
        [image] = images(body["blocks"])
        assert image["image_url"].startswith("https://ntrack.example.org/t/kuril/timeline.png?months=12&v=")
        assert "Timeline of Russia-Japan peace treaty" in image["alt_text"]
        # the URL Slack would fetch is served by the same process, and names what it shows
        path = image["image_url"].removeprefix(PUBLIC.rstrip("/"))
        picture = web.get(path)
        assert picture.status_code == 200 and png_size(picture.content) == (1200, 600)
        assert picture.headers["etag"].strip('"') == path.rsplit("v=", 1)[1]
        seed.add_event(public_rt, type="talks", location="Tokyo", n=1)
        [changed] = images(slash(web, "timeline 5").json()["blocks"])
        assert changed["image_url"] != image["image_url"]  # new data, new URL: Slack fetches it again
        assert not images(slash(web, "status").json()["blocks"])  # only replies with a picture


def test_without_a_public_url_replies_stay_text(slack_rt: Runtime, web: TestClient) -> None:
    seed.add_event(slack_rt)
    body = slash(web, "timeline 5").json()
    assert "Timeline (last 5)" in str(body) and not images(body["blocks"])


def _weekly(rt: Runtime, fake_slack: FakeSlack) -> list[dict[str, Any]]:
    """Monday 6 Nov 2000 12:00 UTC, past the default slot: the worker's jobs post the summary to Slack."""
    seed.add_event(rt)
    seed.subscribe(rt, "C1")
    lines = list(run_due(rt))
    assert lines[0].startswith("weekly summary to C1"), lines
    [posted] = fake_slack.posted("C1")
    blocks: list[dict[str, Any]] = posted["blocks"]
    return blocks


def test_the_weekly_summary_arrives_at_slack_with_the_picture(public_rt: Runtime, fake_slack: FakeSlack) -> None:
    blocks = _weekly(public_rt, fake_slack)
    [image] = images(blocks)
    assert image["image_url"].startswith("https://ntrack.example.org/t/kuril/timeline.png?months=12&v=")
    assert blocks.index(image) < 4  # under the title and the trend, before the week's sections
    [call] = fake_slack.calls_to("chat.postMessage")
    assert "files" not in str(call.args)  # a link, not an upload: no files:write scope


@pytest.mark.parametrize("extra", [{}, {"NTRACK_PUBLIC_URL": PUBLIC, "NTRACK_PAGES": "off"}])
def test_the_weekly_summary_stays_text_without_public_pictures(
    db_url: str, fake_slack: FakeSlack, extra: dict[str, str]
) -> None:
    rt = open_runtime(slack_settings(db_url, fake_slack, **extra), migrate=True)
    try:
        blocks = _weekly(rt, fake_slack)
        assert not images(blocks) and "week to 6 Nov 2000" in str(blocks)
    finally:
        rt.engine.dispose()
