"""Article pages: the main text of a web page, for feed entries that carry only a summary.

trafilatura finds the article among navigation, comments and footers; without it (or when it gives
up) the page's <article>/<main>, else its body, stands in, with navigation and boilerplate removed.
A page that cannot be fetched or read leaves the entry with its summary: never a failed source.
Only the first MAX_PAGE_BYTES of a page are parsed (a news page is well under a megabyte; parsing
takes time that grows faster than the page).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from bs4 import BeautifulSoup

from bot.domain import ArticleIn
from bot.errors import SourceError
from bot.feeds import EntryNotes, clean, html_to_text, in_range, make_article
from bot.fetch import FetchResult, is_url

log = logging.getLogger("ntrack.pages")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# HTML parsed per page (NTRACK_MAX_PAGE_BYTES): the rest of a longer page is not read.
MAX_PAGE_BYTES = 2 * 1024 * 1024
_BOILERPLATE = ["script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "figure"]


def cap_html(html: bytes, max_bytes: int = MAX_PAGE_BYTES, *, url: str | None = None) -> bytes:
    """The first `max_bytes` of a page, cut before the last tag that starts within them (0: no cap)."""
    if max_bytes <= 0 or len(html) <= max_bytes:
        return html
    cut = html.rfind(b"<", max_bytes // 2, max_bytes)
    log.info("page %s: %d bytes, only the first %d parsed", url, len(html), cut if cut > 0 else max_bytes)
    return html[: cut if cut > 0 else max_bytes]


def main_text(html: bytes, *, url: str | None = None, max_bytes: int = MAX_PAGE_BYTES) -> str:
    """The article text of an HTML page (its first `max_bytes`), one paragraph per block; '' when it has none."""
    html = cap_html(html, max_bytes, url=url)
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


def parse_page(
    body: bytes, *, url: str, content_type: str | None = None, notes: EntryNotes | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> tuple[str | None, list[ArticleIn]]:
    """A page source read as one article: its main text, title and publication date.

    Each revision is its own entry (`page:<url>:<text digest>`); near-identical revisions (a fixed
    typo) are then caught as near-duplicates, a substantial update is a new article. A publication
    date out of range is dropped with a line in `notes`; only the first `max_bytes` are parsed.
    """
    if not body.strip():
        raise SourceError(f"{url}: empty body")
    if content_type and not any(t in content_type for t in _HTML_TYPES):
        raise SourceError(f"{url}: not an HTML page ({content_type.split(';')[0]})")
    body = cap_html(body, max_bytes, url=url)
    text = clean(main_text(body, url=url, max_bytes=0))
    if not text.strip():
        raise SourceError(f"{url}: no article text found on the page")
    title, published, raw_date = _page_metadata(body, url)
    if raw_date and published is None and notes is not None:
        notes.fixed.append(f"{url}: publication date {raw_date[:40]!r} unreadable or out of range; read as undated")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    article = make_article(title=title, text=text, published=published, url=url if is_url(url) else None,
                           guid=f"page:{url}:{digest}")
    return article.title, [article]


def _page_metadata(body: bytes, url: str) -> tuple[str | None, datetime | None, str | None]:
    """(title, publication date, the date as written when one was found)."""
    title = published = raw = None
    try:
        import trafilatura

        meta = trafilatura.extract_metadata(body, default_url=url)
        if meta is not None:
            title, raw = meta.title, meta.date
            published = _day(raw)
    except Exception:  # metadata is a bonus: the page's own tags below will do
        meta = None
    if title is None or published is None:
        soup = BeautifulSoup(body, "html.parser")
        if title is None and soup.title and soup.title.string:
            title = " ".join(soup.title.string.split())
        if published is None:
            tag = soup.find("meta", attrs={"property": "article:published_time"}) or soup.find("time")
            value = tag.get("content") or tag.get("datetime") if tag else None
            raw = str(value) if value else raw
            published = _day(str(value)) if value else None
    return title, published, raw


def _day(value: str | None) -> datetime | None:
    """An ISO date or instant, in UTC; None when unreadable or its year is implausible."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return in_range(parsed)


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
    entries: Sequence[WithArticle], *, fetch_page: Callable[[str], FetchResult], limit: int,
    max_bytes: int = MAX_PAGE_BYTES,
) -> PageStats:
    """Give entries that carry only a summary their linked page's text (in place), up to `limit` pages.

    `entries` have an `.article` (bot.dedup.Entry). The summary stays when the page fails, is no
    HTML, or has less to say than the summary. Only the first `max_bytes` of each page are parsed.
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
        text = clean(main_text(page.body, url=page.url, max_bytes=max_bytes)) if page.body and ctype in _HTML_TYPES else ""
        if len(text) > len(art.text):
            entry.article = dataclasses.replace(art, text=text, summary_only=False)
            stats.fetched += 1
        else:
            stats.failed += 1
    return stats
