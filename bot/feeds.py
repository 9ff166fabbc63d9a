"""Parse a fetched body into articles: RSS/Atom/JSON via feedparser, after defusedxml has vetted it."""

from __future__ import annotations

import calendar
import hashlib
import json
import xml.sax
from datetime import UTC, datetime
from typing import Any

import feedparser
from bs4 import BeautifulSoup
from defusedxml import DefusedXmlException
from defusedxml import sax as defused_sax

from bot.domain import ArticleIn
from bot.errors import SourceError

_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "blockquote", "pre")


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment: one paragraph per block, scripts and styles dropped."""
    if "<" not in html:
        return html.strip()
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "iframe", "noscript"]):
        tag.decompose()
    blocks = [b.get_text(" ", strip=True) for b in soup.find_all(_BLOCKS)]
    blocks = [" ".join(b.split()) for b in blocks if b.strip()]
    if not blocks:
        return " ".join(soup.get_text(" ", strip=True).split())
    return "\n\n".join(blocks)


def _vet_xml(body: bytes, where: str) -> None:
    """Refuse entity declarations and external references before any parser expands them."""
    try:
        defused_sax.parseString(body, xml.sax.ContentHandler())
    except DefusedXmlException as exc:
        raise SourceError(f"{where}: refused hostile XML ({type(exc).__name__})") from None
    except (xml.sax.SAXException, ValueError):
        pass  # malformed XML: feedparser's loose parser decides what can be salvaged


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
    return None


def _entry_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return html_to_text(value)
    return html_to_text(entry.get("summary") or entry.get("description") or "")


def entry_guid(guid: str | None, url: str | None, title: str | None, text: str) -> str:
    """Identity of an entry: its guid, else its link, else a hash of title and text."""
    if guid and guid.strip():
        return guid.strip()
    if url and url.strip():
        return url.strip()
    return "sha256:" + hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()


def parse_feed(body: bytes, *, where: str) -> tuple[str | None, list[ArticleIn]]:
    """(feed title, articles) from a feed body; SourceError when it is no feed at all."""
    if not body.strip():
        raise SourceError(f"{where}: empty body")
    if body.lstrip()[:1] == b"{":
        return _parse_json_feed(body, where)
    _vet_xml(body, where)
    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        reason = str(parsed.get("bozo_exception") or "no entries").splitlines()[0]
        raise SourceError(f"{where}: not a feed ({reason})")
    articles = []
    for entry in parsed.entries:
        title = (entry.get("title") or "").strip() or None
        url = entry.get("link") or None
        text = _entry_text(entry)
        if not text and not title:
            continue
        articles.append(
            ArticleIn(
                title=title,
                text=text,
                published=_published(entry),
                url=url,
                guid=entry_guid(entry.get("id"), url, title, text),
            )
        )
    return (parsed.feed.get("title") or None), articles


def _parse_json_feed(body: bytes, where: str) -> tuple[str | None, list[ArticleIn]]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{where}: invalid JSON Feed ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise SourceError(f"{where}: not a JSON Feed (no items)")
    articles = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        text = html_to_text(str(item.get("content_html") or "")) or str(item.get("content_text") or "")
        title = item.get("title")
        url = item.get("url")
        published = None
        if item.get("date_published"):
            try:
                published = datetime.fromisoformat(str(item["date_published"]).replace("Z", "+00:00"))
            except ValueError:
                published = None
        articles.append(
            ArticleIn(title=title, text=text, published=published, url=url,
                      guid=entry_guid(str(item.get("id") or ""), url, title, text))
        )
    return data.get("title"), articles
