"""Alerts and summaries to Discord: `POST /channels/{id}/messages` with the delivery's key in the embed
footer and a nonce made from it (`enforce_nonce`: Discord answers a repeated post within minutes with
the first message), and the channel's recent messages read to find a message an earlier, interrupted
try had already posted.

A channel that is gone or closed to the bot (Unknown Channel, Missing Access, Missing Permissions) is
parked at the first answer that says so, and for a few minutes this process does not ask Discord about
it again: every such answer counts towards Discord's ban on invalid requests.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from bot.commands.reply import Image, Reply
from bot.deliver import DeliveryError
from bot.platforms.discord.render import NO_MENTIONS, message, with_picture
from bot.platforms.discord.rest import DiscordError, DiscordRest, Upload
from bot.platforms.discord.settings import DiscordSettings

log = logging.getLogger("ntrack.discord")

HISTORY_PAGES = 3  # a crash is reconciled within minutes: the message is among the channel's last 150
PAGE = 50
NONCE_MAX = 25  # Discord: a nonce is at most 25 characters
# A channel that is gone or closed to the bot: parked at once, never retried.
CLOSED_CODES = frozenset({10003, 50001, 50013})
CLOSED_FOR = 300.0  # seconds this process remembers a closed channel without asking again
NO_TOKEN_RETRY = 3600.0


def nonce(key: str) -> str:
    """The message nonce for a delivery key: deterministic, within Discord's 25 characters."""
    return hashlib.sha256(key.encode()).hexdigest()[:NONCE_MAX]


def delivery_error(exc: DiscordError) -> DeliveryError:
    """A REST failure in the outbox's terms: wait (429), park (no retry can fix it) or retry."""
    if exc.retry_after is not None:
        return DeliveryError(str(exc), retry_after=exc.retry_after)
    permanent = exc.permanent or exc.code in CLOSED_CODES or exc.status in {401, 403, 404}
    return DeliveryError(str(exc), permanent=permanent)


class DiscordTransport:
    """A Transport (bot/deliver.py) for Discord, posting with the bot token. `team_id` (the guild) is
    not needed to post: a channel id names one channel across Discord."""

    platform = "discord"
    min_interval = 1.0  # Discord allows about 5 messages per 5 seconds per channel

    def __init__(self, settings: DiscordSettings, *, rest: DiscordRest | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 picture: Callable[[Image], bytes | None] | None = None) -> None:
        self._settings = settings
        self._rest = rest
        self._monotonic = monotonic
        self._picture = picture  # a reply's picture as PNG (drawn or read from the cache); None: text only
        self._closed: dict[str, tuple[float, str]] = {}  # channel -> (until, why)

    @property
    def rest(self) -> DiscordRest:
        if self._rest is None:  # made on first use: a process that delivers nothing opens nothing
            self._rest = DiscordRest(self._settings)
        return self._rest

    def close(self) -> None:
        if self._rest is not None:
            self._rest.close()

    # --- the Transport

    def send(self, channel: str, reply: Reply, *, key: str, team_id: str = "") -> str:
        self._check(channel)
        body = message(reply, key=key)
        body.pop("flags", None)  # ephemeral is for interaction responses only
        body["allowed_mentions"] = NO_MENTIONS
        body["nonce"] = nonce(key)
        body["enforce_nonce"] = True
        files = None
        png = self._png(reply.image) if reply.image is not None else None
        if png is not None and reply.image is not None:
            body = with_picture(body, reply.image)
            files = [Upload(reply.image.filename, png)]
        answer = self._call(channel, "POST", f"/channels/{channel}/messages", json=body, files=files)
        if not isinstance(answer, dict) or not answer.get("id"):
            raise DeliveryError("Discord answered a post without a message id")
        return str(answer["id"])

    def find(self, channel: str, *, key: str, team_id: str = "") -> str | None:
        self._check(channel)
        wanted = nonce(key)
        before: str | None = None
        for _ in range(HISTORY_PAGES):
            params: dict[str, Any] = {"limit": PAGE}
            if before:
                params["before"] = before
            try:
                page = self._call(channel, "GET", f"/channels/{channel}/messages", params=params, reading=True)
            except _Unreadable as exc:
                # The bot may post but not read this channel's history: the post's nonce still keeps a
                # repeat within minutes from showing twice; if posting is refused too, that parks it.
                log.warning("cannot read %s's history to find %s: %s", channel, key, exc)
                return None
            messages = [m for m in page if isinstance(m, dict)] if isinstance(page, list) else []
            for msg in messages:
                if msg.get("nonce") == wanted or key in _footers(msg):
                    return str(msg["id"])
            last = str(messages[-1].get("id", "")) if messages else ""
            if len(messages) < PAGE or not last.isdigit() or (before is not None and int(last) >= int(before)):
                break
            before = last
        return None

    # --- helpers

    def _png(self, image: Image) -> bytes | None:
        """The picture, or None (the message goes without it rather than not at all)."""
        if self._picture is None:
            return None
        try:
            return self._picture(image)
        except Exception:
            log.exception("the timeline picture for %s could not be drawn: posted without it", image.tracker)
            return None

    def _check(self, channel: str) -> None:
        """Fail without asking Discord: no token, not a channel id, a channel known to be closed."""
        if not self._settings.discord_bot_token:
            # Configuration, not the channel: rows wait (not parked) until the worker has a token.
            raise DeliveryError("no DISCORD_BOT_TOKEN: the worker cannot post to Discord",
                                retry_after=NO_TOKEN_RETRY)
        if not channel.isdigit():
            raise DeliveryError(f"{channel!r} is not a Discord channel id", permanent=True)
        closed = self._closed.get(channel)
        if closed is not None:
            until, why = closed
            if self._monotonic() < until:
                raise DeliveryError(why, permanent=True)
            del self._closed[channel]

    def _call(self, channel: str, method: str, path: str, *, reading: bool = False, **kw: Any) -> Any:
        try:
            return self.rest.request(method, path, **kw)
        except DiscordError as exc:
            error = delivery_error(exc)
            if reading and exc.code in {50001, 50013}:
                raise _Unreadable(str(exc)) from None
            if exc.code in CLOSED_CODES or (error.permanent and exc.status in {403, 404}):
                self._closed[channel] = (self._monotonic() + CLOSED_FOR, str(exc))
            raise error from None


class _Unreadable(Exception):
    """The channel's history cannot be read (but posting may still work)."""


def _footers(msg: dict[str, Any]) -> set[str]:
    out = set()
    for embed in msg.get("embeds") or []:
        footer = embed.get("footer") if isinstance(embed, dict) else None
        if isinstance(footer, dict) and isinstance(footer.get("text"), str):
            out.add(footer["text"])
    return out
