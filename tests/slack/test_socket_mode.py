"""Socket Mode, offline: `ntrack serve --socket-mode`'s handler answers a slash command over a WebSocket."""

from __future__ import annotations

import queue
from urllib.parse import parse_qsl

import pytest

from bot.app import open_runtime
from bot.errors import UserError
from bot.platforms.slack.socket_mode import socket_mode_handler
from tests.slack.conftest import all_text, command_body, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.fake_socket import FakeSocketMode


def test_slash_command_over_socket_mode(db_url: str, fake_slack: FakeSlack) -> None:
    rt = open_runtime(slack_settings(db_url, fake_slack, SLACK_APP_TOKEN="xapp-1-test", SLACK_SIGNING_SECRET=""),
                      migrate=True)
    handler = socket_mode_handler(rt)
    try:
        with FakeSocketMode() as ws:
            fake_slack.socket_url = ws.url
            handler.connect()
            ws.wait_connected()
            ws.send({"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
                     "payload": dict(parse_qsl(command_body("timeline x")))})
            try:
                ack = ws.acks.get(timeout=10)
            except queue.Empty:
                pytest.fail("no ack over the socket")
    finally:  # Slack's side closed first: the client is not left waiting on its socket
        handler.client.auto_reconnect_enabled = False
        handler.close()
        rt.engine.dispose()
    assert ack["envelope_id"] == "env-1"
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "timeline: N must be a number from 1 to 50" in all_text(ack["payload"])
    assert fake_slack.calls_to("apps.connections.open")[0].token == "xapp-1-test"


def test_socket_mode_needs_an_app_token(db_url: str, fake_slack: FakeSlack) -> None:
    rt = open_runtime(slack_settings(db_url, fake_slack), migrate=True)
    with pytest.raises(UserError, match="SLACK_APP_TOKEN"):
        socket_mode_handler(rt)
    rt.engine.dispose()
