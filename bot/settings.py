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

    # Extraction reads the first this many characters of an article (cut at a paragraph break; the article
    # is stored whole), parses a long one in paragraph pieces and starts no piece after `article_seconds`.
    max_article_chars: int = Field(default=100_000, alias="NTRACK_MAX_ARTICLE_CHARS")
    article_seconds: float = Field(default=30.0, alias="NTRACK_ARTICLE_SECONDS")
    # HTML parsed per article page (page sources and the pages feed entries link to).
    max_page_bytes: int = Field(default=2 * 1024 * 1024, alias="NTRACK_MAX_PAGE_BYTES")
    # How often `ntrack worker` looks at the outbox.
    deliver_seconds: int = Field(default=10, alias="NTRACK_DELIVER_SECONDS")

    # The web process (`ntrack serve`, bot/web.py) under hostile or odd input and under load.
    # A request body longer than this is refused (413) after reading at most this much.
    max_request_bytes: int = Field(default=64 * 1024, alias="NTRACK_MAX_REQUEST_BYTES")
    # A request body not received within this many seconds is refused (408).
    body_timeout: float = Field(default=10.0, alias="NTRACK_BODY_TIMEOUT")
    # A connection that has not sent a whole request head within this many seconds is closed
    # (slowloris); an idle kept-alive connection is closed after NTRACK_KEEP_ALIVE seconds.
    header_timeout: float = Field(default=10.0, alias="NTRACK_HEADER_TIMEOUT")
    keep_alive: int = Field(default=5, alias="NTRACK_KEEP_ALIVE")
    # Longest request head (request line and headers) uvicorn buffers; open connections and requests
    # at once beyond which uvicorn answers 503.
    max_header_bytes: int = Field(default=16 * 1024, alias="NTRACK_MAX_HEADER_BYTES")
    max_connections: int = Field(default=1000, alias="NTRACK_MAX_CONNECTIONS")
    # Threads running platform requests (Bolt), and requests that may wait for one; beyond that a
    # command is told at once that ntrack is busy.
    web_threads: int = Field(default=32, alias="NTRACK_WEB_THREADS")
    web_queue: int = Field(default=256, alias="NTRACK_WEB_QUEUE")
    # Threads answering commands from the database, and commands that may wait for one (beyond: "busy,
    # try again"); a command not answered within NTRACK_ANSWER_DEADLINE seconds is told to try again.
    answer_threads: int = Field(default=16, alias="NTRACK_ANSWER_THREADS")
    answer_queue: int = Field(default=64, alias="NTRACK_ANSWER_QUEUE")
    answer_deadline: float = Field(default=30.0, alias="NTRACK_ANSWER_DEADLINE")
    # /healthz answers 503 when the database does not answer within this many seconds.
    health_timeout: float = Field(default=2.0, alias="NTRACK_HEALTH_TIMEOUT")

    # The public side of `ntrack serve` (bot/public/): the tracker's page, its timeline picture, calendar
    # and changes feed under /t/<slug>/. public_url is the base URL people reach it at (links in chat,
    # Slack image blocks); without it chat replies stay text-only. NTRACK_PAGES=off turns /t/ off.
    public_url: str | None = Field(default=None, alias="NTRACK_PUBLIC_URL")
    pages: bool = Field(default=True, alias="NTRACK_PAGES")
    # Rendered timeline pictures, content-addressed (a picture per state of the data).
    chart_dir: str = Field(default="data/charts", alias="NTRACK_CHART_DIR")

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
