"""The one reader of the environment: every setting ntrack has, with its default."""

from __future__ import annotations

from functools import lru_cache
from typing import TypeVar

from pydantic import Field, PrivateAttr
from pydantic_settings import BaseSettings, SettingsConfigDict

SectionT = TypeVar("SectionT", bound=BaseSettings)


class Settings(BaseSettings):
    """The core's settings from NTRACK_* / well-known variables; defaults run on a laptop with no tokens.
    Each platform reads its own (bot/platforms/<name>/settings.py) through `section`."""

    # extra="allow": values given by name for a platform's settings (SLACK_BOT_TOKEN=...) are kept
    # for its section; the environment's other variables are not read into it.
    model_config = SettingsConfigDict(env_prefix="", extra="allow", populate_by_name=True)
    _sections: dict[str, BaseSettings] = PrivateAttr(default_factory=dict)

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

    # How often `ntrack worker` looks at the outbox.
    deliver_seconds: int = Field(default=10, alias="NTRACK_DELIVER_SECONDS")

    def section(self, cls: type[SectionT]) -> SectionT:
        """A platform's own settings (its class, in its folder), read from the environment; values
        given to this Settings by name (tests, the demo) win, as they do here."""
        key = f"{cls.__module__}.{cls.__qualname__}"
        if key not in self._sections:
            self._sections[key] = cls(**(self.model_extra or {}))
        found = self._sections[key]
        assert isinstance(found, cls)
        return found


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
