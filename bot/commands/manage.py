"""`sources add URL` / `sources remove URL`: admins change what a tracker reads, from chat.

A URL added here is held to public http(s) addresses (bot/netguard.py), now and at every poll;
sources from the tracker file or the CLI are the operator's and are not managed from chat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.reply import Reply
from bot.errors import SourceError
from bot.netguard import AddressPolicy
from bot.sources import add_from_chat, remove

if TYPE_CHECKING:
    from bot.commands.core import CommandContext


def change_sources(ctx: CommandContext, args: list[str]) -> Reply:
    """`add URL` or `remove URL`."""
    verb = args[0].lower()
    if not ctx.user_is_admin:
        return Reply(title=f"Only {ctx.admins} can {verb} sources.", error="not allowed")
    if len(args) != 2:
        return Reply(title=f"Usage: {ctx.tracker.command} sources {verb} URL", error=f"sources {verb} takes one URL")
    url = args[1]
    if verb == "add":
        policy = ctx.source_policy or AddressPolicy()
        try:
            added = add_from_chat(session=ctx.session, tracker_id=ctx.tracker_id, url=url, policy=policy, now=ctx.now)
        except SourceError as exc:
            return Reply(title="Source not added.", error=str(exc))
        if added.created:
            return Reply(title=f"Source added: {added.url}. It is read at the next poll.", in_channel=True)
        state = "re-enabled" if added.reenabled else "already read"
        return Reply(title=f"Source {state}: {added.url}.", in_channel=added.reenabled)
    outcome = remove(session=ctx.session, tracker_id=ctx.tracker_id, url=url, tracker_feeds=(*ctx.tracker.feeds, *ctx.tracker.pages))
    if outcome == "tracker":
        return Reply(title=f"{url} is in the tracker file; remove it there.", error="not a chat source")
    if outcome == "missing":
        return Reply(title=f"No source {url} in this tracker.", error="unknown source")
    return Reply(title=f"Source removed: {url}. Its articles stay.", in_channel=True)
