"""Who asks, from Slack's users.info: admins change sources from chat, a subscriber's time zone sets the
weekly summary's. Looked up only when a command needs it, cached per (team, user), errors said in one line."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from slack_sdk import WebClient
from starlette.testclient import TestClient

from bot.app import Runtime
from bot.commands.core import needs_from_user
from bot.platforms.slack.users import CACHE_SECONDS, SlackUsers, UserLookupError
from db import models as m
from tests.slack.conftest import all_text, slash
from tests.slack.fake_slack import BOT_TOKEN, TEAM_ID, Failure, FakeSlack

FEED = "https://example.org/feed.xml"
REFUSAL = "Only workspace admins can add sources."


@pytest.fixture
def example_org(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """example.org resolves to a public address without DNS; every other name as before (loopback)."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "example.org":
            asked.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return asked


def member(fake: FakeSlack, **fields: Any) -> None:
    fake.users["U0001"] = {"id": "U0001", "name": "analyst", **fields}


def chat_sources(rt: Runtime) -> list[str]:
    with rt.sessions.begin() as s:
        return [src.url for src in s.query(m.Source).filter(m.Source.origin == "chat")]


# ------------------------------------------------------------------------------ admins

@pytest.mark.parametrize("role", ["is_admin", "is_owner", "is_primary_owner"])
def test_an_admin_adds_and_removes_a_source_from_slack(
    slack_rt: Runtime, web: TestClient, fake_slack: FakeSlack, example_org: list[str], role: str
) -> None:
    member(fake_slack, **{role: True}, tz="UTC")
    body = slash(web, f"sources add {FEED}").json()
    text = all_text(body)
    assert REFUSAL not in text
    assert f"Source added: {FEED}. It is read at the next poll." in text, text
    assert body["response_type"] == "in_channel"
    assert example_org == ["example.org"]  # the address check ran, on the stub
    assert chat_sources(slack_rt) == [FEED]
    calls = fake_slack.calls_to("users.info")
    assert [(c.args.get("user"), c.token) for c in calls] == [("U0001", BOT_TOKEN)]

    assert f"Source removed: {FEED}." in all_text(slash(web, f"sources remove {FEED}").json())
    assert chat_sources(slack_rt) == []
    assert len(fake_slack.calls_to("users.info")) == 1  # cached: one call for both commands


@pytest.mark.parametrize("verb", ["add", "remove"])
def test_a_member_who_is_not_an_admin_is_refused(
    slack_rt: Runtime, web: TestClient, fake_slack: FakeSlack, example_org: list[str], verb: str
) -> None:
    member(fake_slack, is_admin=False, is_owner=False, is_primary_owner=False, tz="UTC")
    body = slash(web, f"sources {verb} {FEED}").json()
    assert f"Only workspace admins can {verb} sources." in all_text(body)
    assert ":warning: not allowed" in all_text(body)
    assert "Could not check" not in all_text(body)  # a clear no, not an error
    assert body["response_type"] == "ephemeral"
    assert example_org == [] and chat_sources(slack_rt) == []
    assert len(fake_slack.calls_to("users.info")) == 1


@pytest.mark.parametrize("failure", ["http_500", "user_not_found"])
def test_when_slack_cannot_say_the_user_is_not_an_admin_and_is_told_so(
    slack_rt: Runtime, web: TestClient, fake_slack: FakeSlack, example_org: list[str], failure: str
) -> None:
    member(fake_slack, is_admin=True, tz="UTC")
    if failure == "http_500":
        fake_slack.fail_next("users.info", 500)
        reason = "Slack answered internal_error"
    else:
        del fake_slack.users["U0001"]
        reason = "Slack answered user_not_found"
    body = slash(web, f"sources add {FEED}").json()
    text = all_text(body)
    assert REFUSAL in text
    notes = [b for b in body["blocks"] if b["type"] == "context"]
    assert [n["elements"][0]["text"] for n in notes] == [
        f"Could not check with Slack that you are a workspace admin ({reason}): treated as not an admin."]
    assert chat_sources(slack_rt) == [] and example_org == []

    if failure == "http_500":  # a failure is not cached: the next command asks again, and passes
        assert f"Source added: {FEED}" in all_text(slash(web, f"sources add {FEED}").json())
        assert len(fake_slack.calls_to("users.info")) == 2


def test_commands_that_do_not_need_the_user_do_not_call_users_info(
    slack_rt: Runtime, web: TestClient, fake_slack: FakeSlack
) -> None:
    for text in ("", "status", "status public", "help", "timeline 5", "next", "search Brunei", "sources",
                 "subscribe weekly mon 09:00 Asia/Tokyo", "subscribe weekly fri Europe/Moscow", "unsubscribe",
                 "summary", "frobnicate add"):
        assert slash(web, text).status_code == 200, text
    assert fake_slack.calls_to("users.info") == []
    assert fake_slack.calls_to("chat.postMessage") == []


def test_what_each_command_needs_to_know_about_the_user() -> None:
    assert needs_from_user(f"sources add {FEED}") == {"admin"}
    assert needs_from_user(f"Sources REMOVE {FEED} public") == {"admin"}
    assert needs_from_user("sources add") == {"admin"}  # refused or told the usage: admins only either way
    assert needs_from_user("subscribe") == {"timezone"}
    assert needs_from_user("subscribe major public") == {"timezone"}
    assert needs_from_user("subscribe weekly") == {"timezone"}
    assert needs_from_user("subscribe weekly fri 17:00") == {"timezone"}
    for text in ("", "status", "sources", "sources public", "subscribe weekly mon 09:00 UTC", "unsubscribe", "help"):
        assert needs_from_user(text) == frozenset(), text


def test_lookups_are_cached_per_team_and_user_for_a_while(fake_slack: FakeSlack) -> None:
    member(fake_slack, is_admin=True, tz="Asia/Tokyo")
    fake_slack.users["U0002"] = {"id": "U0002", "is_admin": False, "tz": "Europe/Moscow"}
    now = [1000.0]
    users = SlackUsers(clock=lambda: now[0])
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    first = users.get(client, team_id=TEAM_ID, user_id="U0001")
    assert (first.is_admin, first.timezone) == (True, "Asia/Tokyo")
    assert users.get(client, team_id=TEAM_ID, user_id="U0001") == first
    assert users.get(client, team_id=TEAM_ID, user_id="U0002").timezone == "Europe/Moscow"
    assert users.get(client, team_id="T0002", user_id="U0001") == first  # another workspace: its own entry
    assert len(fake_slack.calls_to("users.info")) == 3
    now[0] += CACHE_SECONDS - 1
    users.get(client, team_id=TEAM_ID, user_id="U0001")
    assert len(fake_slack.calls_to("users.info")) == 3
    now[0] += 2  # expired: asked again, and a change (no longer admin) is seen
    fake_slack.users["U0001"]["is_admin"] = False
    assert users.get(client, team_id=TEAM_ID, user_id="U0001").is_admin is False
    assert len(fake_slack.calls_to("users.info")) == 4

    fake_slack.fail_next("users.info", 500)
    with pytest.raises(UserLookupError, match="internal_error"):
        users.get(client, team_id=TEAM_ID, user_id="U0003")


def test_a_slack_that_does_not_answer_is_an_error_not_a_hang(fake_slack: FakeSlack) -> None:
    client = WebClient(token=BOT_TOKEN, base_url="http://127.0.0.1:9/api/")  # nothing listens on port 9
    with pytest.raises(UserLookupError, match="cannot reach Slack"):
        SlackUsers().get(client, team_id=TEAM_ID, user_id="U0001")


# ------------------------------------------------------------------------------ the weekly summary's time zone

def subscription(rt: Runtime, channel: str) -> m.Subscription:
    with rt.sessions.begin() as s:
        sub = s.query(m.Subscription).filter(m.Subscription.channel == channel).one()
        s.expunge(sub)
        return sub


def test_subscribe_uses_the_subscribers_time_zone(slack_rt: Runtime, web: TestClient, fake_slack: FakeSlack) -> None:
    member(fake_slack, tz="Asia/Tokyo")
    body = slash(web, "subscribe", channel="C0042").json()
    text = all_text(body)
    assert "and a weekly summary Mondays 09:00 Asia/Tokyo." in text, text
    assert "Could not" not in text
    sub = subscription(slack_rt, "C0042")
    assert (sub.level, sub.weekly_day, sub.weekly_time, sub.timezone) == ("all", 0, "09:00", "Asia/Tokyo")
    assert [c.args.get("user") for c in fake_slack.calls_to("users.info")] == ["U0001"]

    # a known channel keeps its slot when subscribed again, even by someone elsewhere
    with slack_rt.sessions.begin() as s:
        s.query(m.Subscription).filter(m.Subscription.channel == "C0042").one().timezone = "Europe/Moscow"
    assert "weekly summary Mondays 09:00 Europe/Moscow" in all_text(slash(web, "subscribe major", channel="C0042").json())
    assert subscription(slack_rt, "C0042").timezone == "Europe/Moscow"

    # `subscribe weekly` without a zone: the day and time are the subscriber's
    assert "every Fri 17:00 Asia/Tokyo" in all_text(slash(web, "subscribe weekly fri 17:00", channel="C0042").json())
    sub = subscription(slack_rt, "C0042")
    assert (sub.weekly_day, sub.weekly_time, sub.timezone) == (4, "17:00", "Asia/Tokyo")
    # a zone given wins, and then Slack is not asked
    calls = len(fake_slack.calls_to("users.info"))
    assert "every Mon 08:00 America/New_York" in all_text(
        slash(web, "subscribe weekly mon 08:00 America/New_York", channel="C0042").json())
    assert len(fake_slack.calls_to("users.info")) == calls


@pytest.mark.parametrize("profile", ["error", "no_tz", "unknown_tz"])
def test_subscribe_falls_back_to_utc(
    slack_rt: Runtime, web: TestClient, fake_slack: FakeSlack, profile: str
) -> None:
    if profile == "error":
        fake_slack.fail_next("users.info", 500)
    elif profile == "no_tz":
        member(fake_slack)
    else:
        member(fake_slack, tz="Mars/Olympus")
    body = slash(web, "subscribe major", channel="C0043").json()
    text = all_text(body)
    assert "and a weekly summary Mondays 09:00 UTC." in text, text
    assert body["response_type"] == "in_channel"
    notes = [b["elements"][0]["text"] for b in body["blocks"] if b["type"] == "context"]
    if profile == "error":
        assert notes == ["Could not read your time zone from Slack (Slack answered internal_error): using UTC."]
    else:
        assert notes == []
    assert subscription(slack_rt, "C0043").timezone == "UTC"


def test_a_slack_that_hangs_still_gets_its_ack_in_time(
    slack_rt: Runtime, web: TestClient, fake_slack: FakeSlack, example_org: list[str]
) -> None:
    member(fake_slack, is_admin=True, tz="UTC")
    fake_slack.hang_after_recording("users.info")
    started = time.monotonic()
    body = slash(web, f"sources add {FEED}", response_url=fake_slack.url + "/response/1").json()
    assert time.monotonic() - started < 3.0  # Slack's limit for the ack
    assert "Looking that up" in body["text"]
    deadline = time.monotonic() + 10
    while not fake_slack.responses and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake_slack.responses, "the answer never reached the response_url"
    text = all_text(fake_slack.responses[0])
    assert REFUSAL in text
    assert "Could not check with Slack that you are a workspace admin (cannot reach Slack (TimeoutError))" in text
    assert chat_sources(slack_rt) == [] and example_org == []


def test_an_app_installed_without_users_read_says_how_to_fix_it(fake_slack: FakeSlack) -> None:
    fake_slack.failures["users.info"] = [Failure(200, error="missing_scope")]
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    with pytest.raises(UserLookupError, match="missing_scope, reinstall the app to grant users:read"):
        SlackUsers().get(client, team_id=TEAM_ID, user_id="U0001")


def test_a_user_lookup_outlasts_the_ack_window() -> None:
    """A lookup timing out as the ack window closes raced the deferral: an admin whose Slack hung was
    sometimes told "not allowed" instead of "Looking that up" and the answer later."""
    from bot.platforms.slack.commands import ANSWER_WITHIN
    from bot.platforms.slack.users import LOOKUP_TIMEOUT

    assert LOOKUP_TIMEOUT >= ANSWER_WITHIN + 2
