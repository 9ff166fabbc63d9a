"""Fixtures for the Slack app: a fake Slack Web API on loopback, a runtime pointed at it, signed requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier
from starlette.testclient import TestClient

from bot.app import Runtime, open_runtime
from bot.settings import Settings
from bot.web import create_app
from tests.slack.fake_slack import BOT_TOKEN, TEAM_ID, FakeSlack, FakeSlackServer

SIGNING_SECRET = "test-signing-secret"
NOW = "2000-11-06T12:00:00Z"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlackServer() as state:
        yield state


def slack_settings(db_url: str, fake: FakeSlack, **extra: str) -> Settings:
    values = {"DATABASE_URL": db_url, "NTRACK_NOW": NOW, "SLACK_BOT_TOKEN": BOT_TOKEN,
              "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.api_url}
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def slack_rt(db_url: str, fake_slack: FakeSlack) -> Iterator[Runtime]:
    rt = open_runtime(slack_settings(db_url, fake_slack), migrate=True)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def web(slack_rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(slack_rt), base_url="https://testserver") as client:
        yield client


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded"}


def command_body(text: str, *, command: str = "/kuril", channel: str = "C0001", team: str = TEAM_ID,
                 response_url: str = "https://hooks.slack.com/commands/1") -> str:
    return urlencode({
        "token": "legacy", "team_id": team, "team_domain": "test", "channel_id": channel, "channel_name": "kuril",
        "user_id": "U0001", "user_name": "analyst", "command": command, "text": text,
        "api_app_id": "A0001", "response_url": response_url, "trigger_id": "1.2.3",
    })


def slash(client: TestClient, text: str, **kw: Any) -> Any:
    """POST a signed slash command to /slack/events; the response object."""
    body = command_body(text, **kw)
    return client.post("/slack/events", content=body, headers=signed_headers(body))


def all_text(payload: dict[str, Any]) -> str:
    """Every string in a Slack payload, for assertions about what a user would read."""
    return json.dumps(payload, ensure_ascii=False)
