"""Parse a fetched body into articles: RSS/Atom/JSON via feedparser, after defusedxml has vetted it."""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import xml.sax
from collections.abc import Mapping
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


_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
# Content types no feed is served as (text/html is sniffed: some servers label real feeds so).
_NOT_FEEDS = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/gzip")
_FEED_LINK = re.compile(
    rb"""<link[^>]+type=["']?application/(?:rss|atom)\+xml["']?[^>]*>""", re.IGNORECASE
)
_HREF = re.compile(rb"""href=["']?([^"'\s>]+)""", re.IGNORECASE)


def _vet_xml(body: bytes, where: str) -> None:
    """Refuse entity declarations and external references before any parser expands them."""
    try:
        defused_sax.parseString(body, xml.sax.ContentHandler())
    except DefusedXmlException as exc:
        raise SourceError(f"{where}: refused hostile XML ({type(exc).__name__})") from None
    except (xml.sax.SAXException, ValueError):
        # Malformed XML: feedparser's loose parser decides what can be salvaged, but never one that
        # declares entities (the strict parse that would have refused them did not get that far).
        if _ENTITY_DECL.search(body):
            raise SourceError(f"{where}: refused hostile XML (malformed, with entity declarations)") from None


def _root_element(body: bytes) -> str | None:
    """The local name of the first element, skipping the XML declaration, comments and the doctype."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", b"", head, flags=re.S | re.I)
    match = _ROOT.search(head)
    return match.group(1).decode("ascii", "replace").split(":")[-1].lower() if match else None


def check_feed_body(body: bytes, *, where: str, content_type: str | None = None) -> None:
    """SourceError when the body is plainly no feed: empty, an image or PDF, an HTML page."""
    if not body.strip():
        raise SourceError(f"{where}: empty body")
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype.startswith(_NOT_FEEDS):
        raise SourceError(f"{where}: content type {ctype} is not a feed")
    if body.lstrip()[:1] == b"{":
        return
    if _root_element(body) == "html":
        link = _FEED_LINK.search(body[:65536])
        href = _HREF.search(link.group(0)) if link else None
        hint = f" (it links to the feed {href.group(1).decode('utf-8', 'replace')})" if href else ""
        raise SourceError(f"{where}: an HTML page, not a feed{hint}")


def _published(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
    return None


def _entry_text(entry: Mapping[str, Any]) -> tuple[str, bool]:
    """(plain text, True when it is only the summary): content:encoded and Atom content are full text."""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return html_to_text(value), False
    return html_to_text(entry.get("summary") or entry.get("description") or ""), True


def entry_guid(guid: str | None, url: str | None, title: str | None, text: str) -> str:
    """Identity of an entry: its guid, else its link, else a hash of title and text."""
    if guid and guid.strip():
        return guid.strip()
    if url and url.strip():
        return url.strip()
    return "sha256:" + hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()


def parse_feed(body: bytes, *, where: str, content_type: str | None = None) -> tuple[str | None, list[ArticleIn]]:
    """(feed title, articles) from a feed body; SourceError when it is no feed at all.

    `content_type` (the HTTP header) refuses what no feed is served as and lends its charset.
    """
    check_feed_body(body, where=where, content_type=content_type)
    if body.lstrip()[:1] == b"{":
        return _parse_json_feed(body, where)
    _vet_xml(body, where)
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        reason = str(parsed.get("bozo_exception") or "no entries").splitlines()[0]
        raise SourceError(f"{where}: not a feed ({reason})")
    articles = []
    for entry in parsed.entries:
        title = (entry.get("title") or "").strip() or None
        url = entry.get("link") or None
        text, summary_only = _entry_text(entry)
        if not text and not title:
            continue
        articles.append(
            ArticleIn(
                title=title,
                text=text,
                published=_published(entry),
                url=url,
                guid=entry_guid(entry.get("id"), url, title, text),
                summary_only=summary_only,
            )
        )
    if not articles and parsed.bozo:  # malformed, and nothing in it could be read
        reason = str(parsed.get("bozo_exception") or "malformed").splitlines()[0]
        raise SourceError(f"{where}: not a feed ({reason})")
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
        text = html_to_text(str(item.get("content_html") or "")) or str(item.get("content_text") or "").strip()
        summary_only = not text
        text = text or str(item.get("summary") or "").strip()
        title = str(item["title"]).strip() or None if item.get("title") else None
        url = str(item["url"]) if item.get("url") else None
        if not text and not title:
            continue
        published = None
        if item.get("date_published"):
            try:
                published = datetime.fromisoformat(str(item["date_published"]).replace("Z", "+00:00"))
            except ValueError:
                published = None
            if published is not None and published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
        articles.append(
            ArticleIn(title=title, text=text, published=published, url=url,
                      guid=entry_guid(str(item.get("id") or ""), url, title, text), summary_only=summary_only)
        )
    return data.get("title"), articles
