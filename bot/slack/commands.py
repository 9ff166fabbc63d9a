"""Slash commands: each tracker's command (`/kuril ...`) answered from the database, acked in time.

Slack gives a slash command 3 seconds. The answer is computed in a worker thread; when it is ready
within ANSWER_WITHIN seconds (it takes milliseconds: see bench/commands.py) it is the ack itself;
otherwise the ack says so and the answer follows through the command's response_url.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import Ack, App, Respond

from bot import clock
from bot.app import Runtime
from bot.service import answer
from bot.slack.render import command_response
from bot.tracker import Tracker

ANSWER_WITHIN = 2.0
UNAVAILABLE = "Sorry, ntrack cannot read its database just now. Try again in a minute."
log = logging.getLogger("ntrack.slack")


def register(app: App, rt: Runtime, trackers: list[tuple[Tracker, int]], *, answer_within: float | None = None) -> None:
    """One listener per tracker command; `trackers` holds each tracker with its database id."""
    pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ntrack-command")
    within = ANSWER_WITHIN if answer_within is None else answer_within
    for tracker, tracker_id in trackers:
        app.command(tracker.command)(_listener(rt, tracker, tracker_id, pool, within))


def _listener(
    rt: Runtime, tracker: Tracker, tracker_id: int, pool: ThreadPoolExecutor, answer_within: float
) -> Callable[..., None]:
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        pending: Future[dict[str, Any]] = pool.submit(slack_answer, rt, tracker, tracker_id, command)
        try:
            ack(**pending.result(timeout=answer_within))
            return
        except FutureTimeout:
            ack(response_type="ephemeral", text=f"Looking that up\u2026 ({tracker.command})")
        except Exception:
            log.exception("%s %r failed", tracker.command, command.get("text"))
            ack(response_type="ephemeral", text=UNAVAILABLE)
            return
        try:
            respond(**pending.result())
        except Exception:
            log.exception("%s %r failed after the ack", tracker.command, command.get("text"))
            respond(response_type="ephemeral", text=UNAVAILABLE)

    return on_command


def slack_answer(rt: Runtime, tracker: Tracker, tracker_id: int, command: dict[str, Any]) -> dict[str, Any]:
    """The Block Kit body answering one slash command payload."""
    reply = answer(
        rt, tracker, command.get("text") or "", channel=command.get("channel_id"), platform="slack",
        team_id=command.get("team_id") or "", now=clock.now(rt.settings.now), tracker_id=tracker_id,
    )
    hint = f"Ask for less, e.g. `{tracker.command} timeline 10` or `{tracker.command} search WORDS`."
    return command_response(reply, more_hint=hint)
