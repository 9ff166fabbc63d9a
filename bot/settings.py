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
    env: str = Field(default="development", alias="NTRACK_ENV")

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str | None = Field(default=None, alias="SLACK_API_URL")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
