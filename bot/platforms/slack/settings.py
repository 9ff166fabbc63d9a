"""The Slack app's settings: its tokens and where its Web API is. Read through Settings.section."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SlackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str | None = Field(default=None, alias="SLACK_API_URL")
    # OAuth (many workspaces): set both; installations are kept in the database.
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    # Socket Mode (`ntrack serve --socket-mode`): an app-level token, xapp-...
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")

    @property
    def slack_oauth(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def slack_enabled(self) -> bool:
        """True when the Slack app is configured, for one workspace (a bot token) or many (OAuth)."""
        return bool(self.slack_bot_token or self.slack_oauth)
