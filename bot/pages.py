"""Article pages: the main text of a web page, for feed entries that carry only a summary.

trafilatura finds the article among navigation, comments and footers; without it (or when it gives
up) the page's <article>/<main>, else its body, stands in, with navigation and boilerplate removed.
A page that cannot be fetched or read leaves the entry with its summary: never a failed source.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Any

from bs4 import BeautifulSoup

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
        trafilatura = None
    if trafilatura is not None:
        try:
            text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                                       include_images=False, favor_precision=True, deduplicate=False)
        except Exception as exc:  # a third-party parser on hostile input: fall back, never fail the poll
            log.info("trafilatura failed on %s: %s", url, type(exc).__name__)
            text = None
        if text and text.strip():
            return "\n\n".join(p.strip() for p in text.splitlines() if p.strip())
    return _fallback_text(html)


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


def fill_full_text(
    entries: Sequence[Any], *, fetch_page: Callable[[str], FetchResult], limit: int
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
