"""Slash commands: each tracker's command (`/kuril ...`) answered from the database, acked in time.

Slack gives a slash command 3 seconds. The answer is computed in a worker thread; when it is ready
within ANSWER_WITHIN seconds (it takes milliseconds: see bench/commands.py) it is the ack itself;
otherwise the ack says so and the answer follows through the command's response_url.

The answers run in a bounded pool (NTRACK_ANSWER_THREADS threads, NTRACK_ANSWER_QUEUE waiting): when
it is full the ack says at once that ntrack is busy, to try again. The listener never waits past the
request's deadline (set by the web route, bot/platforms/slack/web.py), and an answer still missing
NTRACK_ANSWER_DEADLINE seconds after the ack is replaced by a "try again" through response_url (a
hung database then costs threads, never the next command's ack).

Who asks matters to two commands only, and only they call Slack's users.info (bot/slack/users.py):
`sources add|remove` (workspace admins) and `subscribe` without a time zone (the subscriber's zone).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import clock
from bot.app import Runtime
from bot.chart_store import public_base
from bot.commands.core import needs_from_user
from bot.platforms.slack import PLATFORM, plain_text
from bot.platforms.slack.render import command_response
from bot.platforms.slack.users import SlackUsers, UserLookupError
from bot.service import answer
from bot.tracker import Tracker
from bot.webtools import BoundedPool

ANSWER_WITHIN = 2.0
UNAVAILABLE = "Sorry, ntrack cannot read its database just now. Try again in a minute."
BUSY = "ntrack is busy just now and could not look that up. Try again in a few seconds."
TOO_SLOW = "Sorry, ntrack could not answer that in time (its database is slow or down). Try again in a minute."
DEADLINE_KEY = "ntrack_ack_deadline"  # in the Bolt context: time.monotonic() by which to ack
log = logging.getLogger("ntrack.slack")


def register(app: App, rt: Runtime, trackers: list[tuple[Tracker, int]], *, answer_within: float | None = None) -> None:
    """One listener per tracker command; `trackers` holds each tracker with its database id."""
    settings = rt.settings
    pool = BoundedPool(settings.answer_threads, settings.answer_queue, "ntrack-command")
    follow_ups = BoundedPool(4, pool.capacity, "ntrack-follow-up")
    within = ANSWER_WITHIN if answer_within is None else answer_within
    users = SlackUsers()
    for tracker, tracker_id in trackers:
        app.command(tracker.command)(
            _listener(rt, tracker, tracker_id, pool, follow_ups, within, settings.answer_deadline, users)
        )


def _listener(
    rt: Runtime, tracker: Tracker, tracker_id: int, pool: BoundedPool, follow_ups: BoundedPool, answer_within: float,
    answer_deadline: float, users: SlackUsers,
) -> Callable[..., None]:
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
        deadline = context.get(DEADLINE_KEY)
        wait = answer_within
        if isinstance(deadline, float):
            wait = max(0.0, min(answer_within, deadline - time.monotonic()))
        pending = pool.submit(slack_answer, rt, tracker, tracker_id, command, client=client, users=users)
        if pending is None:
            log.warning("%s: every answer thread is taken and the queue is full: told to try again", tracker.command)
            ack(response_type="ephemeral", text=BUSY)
            return
        try:
            ack(**pending.result(timeout=wait))
            return
        except TimeoutError:
            ack(response_type="ephemeral", text=f"Looking that up\u2026 ({tracker.command})")
        except Exception:
            log.exception("%s %r failed", tracker.command, command.get("text"))
            ack(response_type="ephemeral", text=UNAVAILABLE)
            return
        # The app answers Slack only when this listener returns (process_before_response): the answer
        # follows through response_url, or, past the deadline, a "try again".
        _Later(pending, respond, tracker, command, follow_ups).start(answer_deadline)

    return on_command


class _Later:
    """The follow-up of an acked command: its answer when ready, or TOO_SLOW at the deadline, once."""

    def __init__(self, pending: Future[dict[str, Any]], respond: Respond, tracker: Tracker, command: dict[str, Any],
                 follow_ups: BoundedPool) -> None:
        self.pending, self.respond, self.tracker, self.command = pending, respond, tracker, command
        self.follow_ups = follow_ups
        self._lock = threading.Lock()
        self._settled = False
        self._timer: threading.Timer | None = None

    def start(self, deadline: float) -> None:
        self._timer = threading.Timer(deadline, self._too_late)
        self._timer.daemon = True
        self._timer.start()
        self.pending.add_done_callback(self._ready)

    def _settle(self) -> bool:
        with self._lock:
            if self._settled:
                return False
            self._settled = True
            return True

    def _ready(self, done: Future[dict[str, Any]]) -> None:
        if not self._settle():
            return  # too late: the user was already told to try again
        if self._timer is not None:
            self._timer.cancel()
        _follow_up(done, self.respond, self.tracker, self.command)

    def _too_late(self) -> None:
        if not self._settle():
            return
        self.pending.cancel()  # not run at all if still waiting for a thread
        log.warning("%s %r: no answer within the deadline, told to try again", self.tracker.command,
                    self.command.get("text"))
        if self.follow_ups.submit(_tell, self.respond, self.tracker, TOO_SLOW) is None:
            log.warning("could not tell Slack that %s is too slow: every follow-up thread is taken",
                        self.tracker.command)


def _tell(respond: Respond, tracker: Tracker, text: str) -> None:
    try:
        respond(response_type="ephemeral", text=text)
    except Exception:
        log.exception("could not tell Slack that %s failed", tracker.command)


def _follow_up(done: Future[dict[str, Any]], respond: Respond, tracker: Tracker, command: dict[str, Any]) -> None:
    try:
        respond(**done.result())
    except (Exception, CancelledError):
        log.exception("%s %r failed after the ack", tracker.command, command.get("text"))
        _tell(respond, tracker, UNAVAILABLE)


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
    return command_response(reply, more_hint=hint, public_url=public_base(rt.settings))
