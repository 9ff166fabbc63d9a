"""The one reader of the environment: every setting ntrack has, with its default."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings from NTRACK_* / well-known variables; defaults run on a laptop with no tokens."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    database_url: str = Field(default="sqlite:///data/ntrack.db", alias="DATABASE_URL")
    now: str | None = Field(default=None, alias="NTRACK_NOW")
    default_tracker: str = Field(default="kuril", alias="NTRACK_TRACKER")
    trackers_dir: str | None = Field(default=None, alias="NTRACK_TRACKERS_DIR")
    user_agent: str = Field(
        default="ntrack/0.1 (negotiation tracker; +https://github.com/ntrack)", alias="NTRACK_USER_AGENT"
    )
    fetch_timeout: float = Field(default=30.0, alias="NTRACK_FETCH_TIMEOUT")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, alias="NTRACK_MAX_BODY_BYTES")
    poll_minutes: int = Field(default=15, alias="NTRACK_POLL_MINUTES")
    # Fetching (bot/fetch.py, bot/sources.py): the whole fetch, redirects included, ends within
    # fetch_timeout; connecting gives up sooner.
    connect_timeout: float = Field(default=10.0, alias="NTRACK_CONNECT_TIMEOUT")
    max_redirects: int = Field(default=5, alias="NTRACK_MAX_REDIRECTS")
    # Seconds between two requests to one host (feeds and the article pages they link to).
    host_interval: float = Field(default=1.0, alias="NTRACK_HOST_INTERVAL")
    # Linked pages fetched per poll for entries that carry only a summary (the rest keep the summary).
    max_page_fetches: int = Field(default=20, alias="NTRACK_MAX_PAGE_FETCHES")
    # After this many consecutive failures a source is disabled and its channels are told, once.
    max_failures: int = Field(default=10, alias="NTRACK_MAX_FAILURES")
    # Sources added from chat may not reach private, loopback, link-local or metadata addresses,
    # except these networks (comma-separated CIDRs, e.g. "10.1.0.0/16,fd00::/8").
    allow_networks: str = Field(default="", alias="NTRACK_ALLOW_NETWORKS")
    env: str = Field(default="development", alias="NTRACK_ENV")

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str | None = Field(default=None, alias="SLACK_API_URL")
    # OAuth (many workspaces): set both; installations are kept in the database.
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    # Socket Mode (`ntrack serve --socket-mode`): an app-level token, xapp-...
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    # How often `ntrack worker` looks at the outbox.
    deliver_seconds: int = Field(default=10, alias="NTRACK_DELIVER_SECONDS")

    @property
    def slack_oauth(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def slack_enabled(self) -> bool:
        """True when the Slack app is configured, for one workspace (a bot token) or many (OAuth)."""
        return bool(self.slack_bot_token or self.slack_oauth)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
