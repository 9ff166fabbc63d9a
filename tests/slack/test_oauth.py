"""Many workspaces: the OAuth install round trip against the fake Slack, installations kept in the database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from bot.app import Runtime, open_runtime
from bot.deliver import deliver_pending
from bot.platforms.slack import PLATFORM as SLACK
from bot.web import create_app
from tests.slack import seed
from tests.slack.conftest import all_text, slack_settings, slash
from tests.slack.fake_slack import CLIENT_ID, CLIENT_SECRET, GOOD_CODE, OAUTH_BOT_TOKEN, TEAM_ID, FakeSlack


@pytest.fixture
def oauth_rt(db_url: str, fake_slack: FakeSlack) -> Iterator[Runtime]:
    settings = slack_settings(db_url, fake_slack, SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
                              SLACK_BOT_TOKEN="")
    rt = open_runtime(settings, migrate=True)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def oauth_web(oauth_rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(oauth_rt), base_url="https://testserver") as client:
        yield client


def begin_install(client: TestClient) -> str:
    """GET /slack/install: the 'Add to Slack' link; returns the state it carries."""
    page = client.get("/slack/install")
    assert page.status_code == 200
    link = unescape(re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', page.text).group(1))  # type: ignore[union-attr]
    assert f"client_id={CLIENT_ID}" in link and "scope=commands,chat:write" in link
    return re.search(r"state=([^&]+)", link).group(1)  # type: ignore[union-attr]


def test_install_round_trip_then_commands_and_alerts_use_the_installed_token(
    oauth_rt: Runtime, oauth_web: TestClient, fake_slack: FakeSlack
) -> None:
    state = begin_install(oauth_web)
    done = oauth_web.get("/slack/oauth_redirect", params={"code": GOOD_CODE, "state": state})
    assert done.status_code == 200, done.text
    exchange = fake_slack.calls_to("oauth.v2.access")
    assert len(exchange) == 1 and exchange[0].args["code"] == GOOD_CODE
    with oauth_rt.engine.connect() as conn:
        rows = conn.execute(text("SELECT team_id, bot_token FROM slack_bots")).all()
    assert [tuple(r) for r in rows] == [(TEAM_ID, OAUTH_BOT_TOKEN)]

    # the installed workspace's commands are answered ...
    assert "Russia-Japan peace treaty" in all_text(slash(oauth_web, "help", team=TEAM_ID).json())
    # ... and its alerts are posted with its own token
    seed.three_alerts(oauth_rt)
    transport = SLACK.transport(oauth_rt)
    transport.min_interval = 0.0
    assert deliver_pending(sessions=oauth_rt.sessions, transport=transport, now=seed.WHEN, titles={}) == 3
    assert {c.token for c in fake_slack.calls_to("chat.postMessage")} == {OAUTH_BOT_TOKEN}


def test_install_with_a_forged_state_is_refused(oauth_rt: Runtime, oauth_web: TestClient, fake_slack: FakeSlack) -> None:
    begin_install(oauth_web)
    resp = oauth_web.get("/slack/oauth_redirect", params={"code": GOOD_CODE, "state": "forged"})
    assert resp.status_code == 400
    assert not fake_slack.calls_to("oauth.v2.access")
    with oauth_rt.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM slack_installations")).scalar() == 0


def test_a_workspace_that_never_installed_is_asked_to_install(oauth_web: TestClient, fake_slack: FakeSlack) -> None:
    resp = slash(oauth_web, "status", team="T0BAD", response_url=fake_slack.url + "/response/1")
    assert resp.status_code == 200 and "Russia-Japan" not in resp.text
    assert "Please reinstall this app" in fake_slack.responses[0]["text"]

