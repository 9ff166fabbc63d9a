"""The Discord platform: slash-command interactions over HTTP (`POST /discord/interactions` on
`ntrack serve`, signed with Ed25519), alerts and summaries posted with the bot token over Discord's
REST API (v10, httpx), commands installed with `ntrack discord register`. No gateway connection.

Modules with real work are imported when first used, so loading the registry costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.platforms.base import Platform
from bot.platforms.discord.settings import DiscordSettings

if TYPE_CHECKING:
    import click
    from starlette.routing import BaseRoute

    from bot.app import Runtime
    from bot.commands.reply import Reply
    from bot.deliver import Transport
    from bot.settings import Settings


class Discord(Platform):
    name = "discord"
    admins = "members with Manage Server"

    def enabled(self, settings: Settings) -> bool:
        section = settings.section(DiscordSettings)
        return section.answers or section.posts

    def posts(self, settings: Settings) -> bool:
        return settings.section(DiscordSettings).posts

    def transport(self, rt: Runtime) -> Transport:
        from bot.chart_store import ChartStore, image_png
        from bot.platforms.discord.transport import DiscordTransport

        store = ChartStore.of(rt.settings)
        return DiscordTransport(rt.settings.section(DiscordSettings), picture=lambda image: image_png(rt, store, image))

    def routes(self, rt: Runtime) -> list[BaseRoute]:
        from bot.platforms.discord.web import discord_routes

        return discord_routes(rt)

    def cli(self) -> list[click.Command]:
        from bot.platforms.discord.register import discord_group

        return [discord_group]

    def render(self, reply: Reply) -> Any:
        from bot.platforms.discord.render import message

        return message(reply)


PLATFORM = Discord()
