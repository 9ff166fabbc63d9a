"""`ntrack discord register [--guild ID]`: install every tracker's slash command with one bulk
overwrite (guild commands appear at once, for testing; global ones for production). Idempotent: the
same tracker files give the same commands, and commands of trackers no longer there are removed.

It reads the tracker files, not the database: registering works before the database exists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from bot.errors import UserError

if TYPE_CHECKING:
    from bot.settings import Settings


@click.group("discord")
def discord_group() -> None:
    """The Discord application."""


def command_definitions(settings: Settings) -> list[dict[str, Any]]:
    """One command per tracker file (built-in and NTRACK_TRACKERS_DIR); two trackers may not share a name."""
    from bot.platforms.discord.commands import command_name, definition
    from bot.tracker import available, load_tracker

    found: dict[str, str] = {}
    out = []
    for slug in available(settings.trackers_dir):
        try:
            tracker = load_tracker(slug, settings.trackers_dir)
        except UserError as exc:  # one broken file: the others are still registered
            click.echo(f"ntrack: skipped: {exc}", err=True)
            continue
        name = command_name(tracker)
        if name in found:
            raise UserError(f"trackers {found[name]!r} and {slug!r} both make the Discord command /{name}")
        found[name] = slug
        out.append(definition(tracker))
    return out


@discord_group.command("register")
@click.option("--guild", "guild_id", default=None, help="A server's id: register there only (appears at once).")
def register(guild_id: str | None) -> None:
    """Install (or update) each tracker file's slash command: one bulk overwrite."""
    from bot.platforms.discord.rest import DiscordError, DiscordRest
    from bot.platforms.discord.settings import DiscordSettings
    from bot.settings import get_settings

    settings = get_settings()
    discord = settings.section(DiscordSettings)
    if not discord.discord_application_id or not discord.discord_bot_token:
        raise UserError("set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN to register commands (see README: Discord)")
    app = discord.discord_application_id
    if not (app.isascii() and app.isdigit()):
        raise UserError(f"DISCORD_APPLICATION_ID is a numeric id, not {app!r}")
    if guild_id is not None and not (guild_id.isascii() and guild_id.isdigit()):
        raise UserError(f"--guild takes a server's numeric id, not {guild_id!r}")
    commands = command_definitions(settings)
    path = f"/applications/{app}/guilds/{guild_id}/commands" if guild_id else f"/applications/{app}/commands"
    rest = DiscordRest(discord)
    try:
        answer = rest.request("PUT", path, json=commands)
    except DiscordError as exc:
        raise UserError(f"Discord refused the commands: {exc}") from None
    finally:
        rest.close()
    stored = answer if isinstance(answer, list) and answer else commands
    names = ", ".join(f"/{c.get('name')}" for c in stored if isinstance(c, dict))
    where = f"server {guild_id}" if guild_id else "every server (global commands can take up to an hour to appear)"
    click.echo(f"registered {names} in {where}")
