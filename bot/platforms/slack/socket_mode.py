"""Socket Mode (`ntrack serve --socket-mode`): Slack sends commands over a WebSocket the app opens,
so no public URL is needed. Requests arrive authenticated by the app-level token (SLACK_APP_TOKEN)
instead of being signed."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

from bot.app import Runtime
from bot.errors import UserError
from bot.platforms.slack.app import create_bolt_app
from bot.platforms.slack.settings import SlackSettings
from bot.platforms.slack.workspaces import api_url


def socket_mode_handler(rt: Runtime) -> SocketModeHandler:
    """A handler for the Bolt app; `.start()` blocks, `.connect()` returns once connected."""
    settings = rt.settings.section(SlackSettings)
    token = settings.slack_app_token
    if not token or not token.startswith("xapp-"):
        raise UserError("Socket Mode needs SLACK_APP_TOKEN, an app-level token (xapp-...) with connections:write")
    app = create_bolt_app(rt, socket_mode=True)
    return SocketModeHandler(app, app_token=token, web_client=WebClient(base_url=api_url(settings)))
