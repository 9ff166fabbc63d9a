"""`ntrack discord register [--guild ID]`: install every tracker's slash command with one bulk
overwrite (guild commands appear at once, for testing; global ones for production). Idempotent."""

from __future__ import annotations

import click

from bot.errors import UserError


@click.group("discord")
def discord_group() -> None:
    """The Discord application."""


@discord_group.command("register")
@click.option("--guild", "guild_id", default=None, help="A server's id: register there only (appears at once).")
def register(guild_id: str | None) -> None:
    """Install (or update) each tracker file's slash command: one bulk overwrite."""
    from bot.app import open_runtime
    from bot.platforms.discord.commands import definition
    from bot.platforms.discord.rest import DiscordError, DiscordRest
    from bot.platforms.discord.settings import DiscordSettings
    from bot.settings import get_settings

    rt = open_runtime(get_settings())
    settings = rt.settings.section(DiscordSettings)
    if not settings.discord_application_id or not settings.discord_bot_token:
        raise UserError("set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN to register commands (see README: Discord)")
    if guild_id is not None and not guild_id.isdigit():
        raise UserError(f"--guild takes a server's numeric id, not {guild_id!r}")
    commands = [definition(t) for t in rt.trackers().values()]
    app = settings.discord_application_id
    path = f"/applications/{app}/guilds/{guild_id}/commands" if guild_id else f"/applications/{app}/commands"
    rest = DiscordRest(settings)
    try:
        answer = rest.request("PUT", path, json=commands)
    except DiscordError as exc:
        raise UserError(f"Discord refused the commands: {exc}") from None
    finally:
        rest.close()
    names = ", ".join(f"/{c['name']}" for c in answer or commands)
    where = f"server {guild_id}" if guild_id else "every server (global commands can take a while to appear)"
    click.echo(f"registered {names} in {where}")
