"""Article pages: the main text of a web page, for feed entries that carry only a summary.

trafilatura finds the article among navigation, comments and footers; without it (or when it gives
up) the page's <article>/<main>, else its body, stands in, with navigation and boilerplate removed.
A page that cannot be fetched or read leaves the entry with its summary: never a failed source.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from bs4 import BeautifulSoup

from bot.domain import ArticleIn
from bot.errors import SourceError
from bot.feeds import html_to_text
from bot.fetch import FetchResult, is_url

log = logging.getLogger("ntrack.pages")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BOILERPLATE = ["script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "figure"]


def main_text(html: bytes, *, url: str | None = None) -> str:
    """The article text of an HTML page, one paragraph per block; '' when it has none."""
    try:
        import trafilatura
    except ImportError:  # optional at run time: the fallback below reads most news pages well enough
        pass
    else:
        try:
            text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                                       include_images=False, favor_precision=True, deduplicate=False)
        except Exception as exc:  # a third-party parser on hostile input: fall back, never fail the poll
            log.info("trafilatura failed on %s: %s", url, type(exc).__name__)
            text = None
        if text and text.strip():
            return "\n\n".join(p.strip() for p in text.splitlines() if p.strip())
    return _fallback_text(html)


def parse_page(body: bytes, *, url: str, content_type: str | None = None) -> tuple[str | None, list[ArticleIn]]:
    """A page source read as one article: its main text, title and publication date.

    Each revision is its own entry (`page:<url>:<text digest>`); near-identical revisions (a fixed
    typo) are then caught as near-duplicates, a substantial update is a new article.
    """
    if not body.strip():
        raise SourceError(f"{url}: empty body")
    if content_type and not any(t in content_type for t in _HTML_TYPES):
        raise SourceError(f"{url}: not an HTML page ({content_type.split(';')[0]})")
    text = main_text(body, url=url)
    if not text.strip():
        raise SourceError(f"{url}: no article text found on the page")
    title, published = _page_metadata(body, url)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    article = ArticleIn(title=title, text=text, published=published, url=url if is_url(url) else None,
                        guid=f"page:{url}:{digest}")
    return title, [article]


def _page_metadata(body: bytes, url: str) -> tuple[str | None, datetime | None]:
    title = published = None
    try:
        import trafilatura

        meta = trafilatura.extract_metadata(body, default_url=url)
        if meta is not None:
            title, published = meta.title, _day(meta.date)
    except Exception:  # metadata is a bonus: the page's own tags below will do
        meta = None
    if title is None or published is None:
        soup = BeautifulSoup(body, "html.parser")
        if title is None and soup.title and soup.title.string:
            title = " ".join(soup.title.string.split())
        if published is None:
            tag = soup.find("meta", attrs={"property": "article:published_time"}) or soup.find("time")
            value = tag.get("content") or tag.get("datetime") if tag else None
            published = _day(str(value)) if value else None
    return title, published


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _fallback_text(html: bytes) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_BOILERPLATE):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    return html_to_text(str(root))


@dataclasses.dataclass(slots=True)
class PageStats:
    fetched: int = 0
    failed: int = 0


class WithArticle(Protocol):
    """What fill_full_text reads and replaces: an entry's article (bot.dedup.Entry has one)."""

    article: ArticleIn


def fill_full_text(
    entries: Sequence[WithArticle], *, fetch_page: Callable[[str], FetchResult], limit: int
) -> PageStats:
    """Give entries that carry only a summary their linked page's text (in place), up to `limit` pages.

    `entries` have an `.article` (bot.dedup.Entry). The summary stays when the page fails, is no
    HTML, or has less to say than the summary.
    """
    stats = PageStats()
    for entry in entries:
        art = entry.article
        if not art.summary_only or not art.url or not is_url(art.url):
            continue
        if stats.fetched + stats.failed >= limit:
            break
        try:
            page = fetch_page(art.url)
        except SourceError as exc:
            log.info("page %s: %s", art.url, exc)
            stats.failed += 1
            continue
        ctype = (page.content_type or "text/html").split(";")[0].strip().lower()
        text = main_text(page.body, url=page.url) if page.body and ctype in _HTML_TYPES else ""
        if len(text) > len(art.text):
            entry.article = dataclasses.replace(art, text=text, summary_only=False)
            stats.fetched += 1
        else:
            stats.failed += 1
    return stats
