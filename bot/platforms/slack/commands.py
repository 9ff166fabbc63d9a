"""Slash commands: each tracker's command (`/kuril ...`) answered from the database, acked in time.

Slack gives a slash command 3 seconds. The answer is computed in a worker thread; when it is ready
within ANSWER_WITHIN seconds (it takes milliseconds: see bench/commands.py) it is the ack itself;
otherwise the ack says so and the answer follows through the command's response_url.

Who asks matters to two commands only, and only they call Slack's users.info (bot/slack/users.py):
`sources add|remove` (workspace admins) and `subscribe` without a time zone (the subscriber's zone).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import clock
from bot.app import Runtime
from bot.commands.core import needs_from_user
from bot.platforms.slack import PLATFORM, plain_text
from bot.platforms.slack.render import command_response
from bot.platforms.slack.users import SlackUsers, UserLookupError
from bot.service import answer
from bot.tracker import Tracker

ANSWER_WITHIN = 2.0
UNAVAILABLE = "Sorry, ntrack cannot read its database just now. Try again in a minute."
log = logging.getLogger("ntrack.slack")


def register(app: App, rt: Runtime, trackers: list[tuple[Tracker, int]], *, answer_within: float | None = None) -> None:
    """One listener per tracker command; `trackers` holds each tracker with its database id."""
    pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ntrack-command")
    within = ANSWER_WITHIN if answer_within is None else answer_within
    users = SlackUsers()
    for tracker, tracker_id in trackers:
        app.command(tracker.command)(_listener(rt, tracker, tracker_id, pool, within, users))


def _listener(
    rt: Runtime, tracker: Tracker, tracker_id: int, pool: ThreadPoolExecutor, answer_within: float, users: SlackUsers
) -> Callable[..., None]:
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        pending: Future[dict[str, Any]] = pool.submit(slack_answer, rt, tracker, tracker_id, command,
                                                      client=client, users=users)
        try:
            ack(**pending.result(timeout=answer_within))
            return
        except FutureTimeout:
            ack(response_type="ephemeral", text=f"Looking that up\u2026 ({tracker.command})")
        except Exception:
            log.exception("%s %r failed", tracker.command, command.get("text"))
            ack(response_type="ephemeral", text=UNAVAILABLE)
            return
        # The app answers Slack only when this listener returns (process_before_response): the answer
        # follows through response_url from a thread of its own.
        pending.add_done_callback(lambda done: _follow_up(done, respond, tracker, command))

    return on_command


def _follow_up(done: Future[dict[str, Any]], respond: Respond, tracker: Tracker, command: dict[str, Any]) -> None:
    try:
        respond(**done.result())
    except Exception:
        log.exception("%s %r failed after the ack", tracker.command, command.get("text"))
        try:
            respond(response_type="ephemeral", text=UNAVAILABLE)
        except Exception:
            log.exception("could not tell Slack that %s failed", tracker.command)


def slack_answer(
    rt: Runtime, tracker: Tracker, tracker_id: int, command: dict[str, Any], *, client: WebClient | None = None,
    users: SlackUsers | None = None,
) -> dict[str, Any]:
    """The Block Kit body answering one slash command payload.

    `client` (the request's WebClient) and `users` (the cache) look up who asks when the command needs it;
    without them, or when the lookup fails, the user is not an admin and the time zone is UTC.
    """
    text = plain_text(command.get("text") or "")
    team_id = command.get("team_id") or ""
    needs = needs_from_user(text)
    is_admin, zone, note = False, None, None
    if needs:
        try:
            if client is None or users is None:
                raise UserLookupError("no Slack client")
            who = users.get(client, team_id=team_id, user_id=command.get("user_id") or "")
            is_admin, zone = who.is_admin, who.timezone
        except UserLookupError as exc:
            log.warning("users.info for %s/%s failed: %s", team_id, command.get("user_id"), exc)
            note = (f"Could not check with Slack that you are a workspace admin ({exc}): treated as not an admin."
                    if "admin" in needs else f"Could not read your time zone from Slack ({exc}): using UTC.")
    reply = answer(
        rt, tracker, text, channel=command.get("channel_id"), platform="slack", team_id=team_id,
        user_is_admin=is_admin, user_timezone=zone, now=clock.now(rt.settings.now), tracker_id=tracker_id,
        admins=PLATFORM.admins,
    )
    if note:
        reply.note = f"{reply.note} {note}" if reply.note else note
    hint = f"Ask for less, e.g. `{tracker.command} timeline 10` or `{tracker.command} search WORDS`."
    return command_response(reply, more_hint=hint)
