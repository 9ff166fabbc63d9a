"""The Slack platform: the Bolt app (HTTP and Socket Mode), Block Kit rendering, the transport.

Nothing in this package loads spaCy: the web process imports it. Modules that need slack_bolt are
imported when first used, so loading the registry costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.platforms.base import Platform
from bot.platforms.slack.settings import SlackSettings

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.app import Runtime
    from bot.commands.reply import Reply
    from bot.platforms.slack.transport import SlackTransport
    from bot.settings import Settings

# Slack writes links in a command's text as <https://example.org|example.org> or <https://example.org>.
_LINK = re.compile(r"<((?:https?|ftp|file):[^|>\s]*)(?:\|[^>]*)?>")


def plain_text(text: str) -> str:
    """A command's text with Slack's link syntax taken off: the URLs as typed."""
    return _LINK.sub(lambda m: m.group(1), text)


class Slack(Platform):
    name = "slack"
    admins = "workspace admins"

    def enabled(self, settings: Settings) -> bool:
        return settings.section(SlackSettings).slack_enabled

    def transport(self, rt: Runtime) -> SlackTransport:
        from bot.chart_store import public_base
        from bot.platforms.slack.transport import SlackTransport
        from bot.platforms.slack.workspaces import api_url, token_lookup

        settings = rt.settings.section(SlackSettings)
        return SlackTransport(token_for=token_lookup(settings, rt.engine), base_url=api_url(settings),
                              public_url=public_base(rt.settings))

    def routes(self, rt: Runtime) -> list[BaseRoute]:
        from bot.platforms.slack.app import create_bolt_app
        from bot.platforms.slack.web import slack_routes

        return list(slack_routes(create_bolt_app(rt)))

    def socket_mode(self, rt: Runtime) -> Callable[[], None] | None:
        if not rt.settings.section(SlackSettings).slack_app_token:
            return None
        from bot.platforms.slack.socket_mode import socket_mode_handler

        handler = socket_mode_handler(rt)
        return handler.start

    def render(self, reply: Reply) -> Any:
        from bot.platforms.slack.render import command_response

        return command_response(reply)


PLATFORM = Slack()
