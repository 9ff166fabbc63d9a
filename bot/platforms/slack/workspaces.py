"""Which workspaces ntrack serves: one (SLACK_BOT_TOKEN) or many (OAuth, installations in the database)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.errors import UserError
from bot.platforms.slack.settings import SlackSettings as Settings
from db.slack_states import purge_expired

log = logging.getLogger("ntrack.slack")

DEFAULT_API_URL = "https://slack.com/api/"
STATE_EXPIRATION_SECONDS = 600
# What the bot needs: its slash commands, posting (also to public channels it was not invited to),
# reading its own channels' history to find an alert an interrupted worker had already posted, and
# users.info (users:read) to tell whether who runs `sources add|remove` is an admin, and their time zone.
BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "channels:history", "groups:history", "users:read")


def api_url(settings: Settings) -> str:
    """The Web API base URL, with the trailing slash slack_sdk needs (SLACK_API_URL overrides it)."""
    url = settings.slack_api_url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def require_slack(settings: Settings) -> None:
    if not settings.slack_enabled:
        raise UserError("Slack is not configured: set SLACK_BOT_TOKEN (one workspace) "
                        "or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (OAuth)")


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    """slack_sdk's store on ntrack's database; its tables come from migration 0002."""
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id or "", engine=engine)


class PurgingStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store, deleting expired states each time it issues one: slack_sdk deletes a
    state only when its install completes, so abandoned installs would pile up (one row per
    `GET /slack/install`). The rows left are those of the last STATE_EXPIRATION_SECONDS."""

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state: str = super().issue(*args, **kwargs)
        try:  # slack_sdk's clock (the real one, as it stores expire_at by it), not NTRACK_NOW
            purge_expired(engine=self.engine, now=datetime.fromtimestamp(time.time(), tz=UTC))
        except Exception:  # housekeeping never stands in the way of an install
            log.warning("could not purge expired OAuth states", exc_info=True)
        return state


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return PurgingStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)


def token_lookup(settings: Settings, engine: Engine) -> Callable[[str], str | None]:
    """team id -> the bot token to post there with."""
    if settings.slack_oauth:
        store = installation_store(settings, engine)

        def from_installation(team_id: str) -> str | None:
            bot = store.find_bot(enterprise_id=None, team_id=team_id or None)
            return bot.bot_token if bot else None

        return from_installation
    token = settings.slack_bot_token
    return lambda team_id: token
