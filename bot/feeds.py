"""Parse a fetched body into articles: RSS/Atom/JSON via feedparser, after defusedxml has vetted it.

An entry is the unit of failure: one that cannot be read (a value nested past reason, a conversion
that raises) is left out with one line naming it, a publication date out of range is dropped (the
entry is read as undated) with one line, and control characters (NUL among them) are taken out of
titles, text, links and guids. The rest of the feed is read as usual.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import re
import xml.sax
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
from bs4 import BeautifulSoup
from defusedxml import DefusedXmlException
from defusedxml import sax as defused_sax

from bot.domain import ArticleIn
from bot.errors import SourceError

log = logging.getLogger("ntrack.feeds")

# Publication dates outside these years are nonsense in a news feed (and years 1 or 9999 overflow
# date arithmetic downstream): such an entry is read as undated.
MIN_YEAR, MAX_YEAR = 1900, 2200
# JSON deeper than this is no feed (a JSON Feed is 4 levels deep): the items nested deeper are left out.
MAX_JSON_DEPTH = 64
# C0 controls and DEL, except tab and newline (carriage returns become newlines), and lone surrogates:
# PostgreSQL refuses NUL in text, and no UTF-8 encoder takes a lone surrogate.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(slots=True)
class EntryNotes:
    """What parsing left out or changed, one line per entry, naming it."""

    skipped: list[str] = field(default_factory=list)  # entries left out
    fixed: list[str] = field(default_factory=list)  # entries kept with a value dropped (a date out of range)

    def all(self) -> list[str]:
        return [*self.skipped, *self.fixed]


def clean(value: str) -> str:
    """`value` without control characters (tab and newline stay; CR becomes a newline)."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def clean_or_none(value: str | None) -> str | None:
    return clean(value) if value else value


def in_range(value: datetime | None) -> datetime | None:
    """`value` in UTC when its year is plausible for a news item, else None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        value = value.astimezone(UTC)
    except (ValueError, OverflowError):  # year 1 or 9999 pushed off the calendar by its offset
        return None
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None


# What the articles table holds (db/models.py): a longer title is cut, a longer link dropped, a
# longer guid replaced by its hash.
MAX_TITLE, MAX_URL, MAX_GUID = 1000, 2000, 2000


def make_article(
    *, title: str | None, text: str, published: datetime | None, url: str | None, guid: str, summary_only: bool = False,
) -> ArticleIn:
    """An ArticleIn with control characters taken out of every text field and each within what the
    database holds."""
    title = clean(title).strip() or None if title else None
    if title and len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 3].rsplit(" ", 1)[0] + "..."
    url = clean_or_none(url) or None
    if url and len(url) > MAX_URL:
        url = None
    guid = clean(guid).strip() or "sha256:" + hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest()
    if len(guid) > MAX_GUID:
        guid = "sha256:" + hashlib.sha256(guid.encode()).hexdigest()
    return ArticleIn(title=title, text=clean(text), published=published, url=url, guid=guid,
                     summary_only=summary_only)


def entry_name(index: int | None, *candidates: Any) -> str:
    """'entry 3 (<guid, link or title>)' (without an index: 'entry <guid, ...>'): how a line names an entry."""
    for value in candidates:
        if isinstance(value, str) and value.strip():
            short = " ".join(clean(value).split())
            short = short[:80] + "..." if len(short) > 80 else short
            return f"entry {short}" if index is None else f"entry {index} ({short})"
    return f"entry {index if index is not None else '?'}"


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


def _published(entry: Mapping[str, Any]) -> tuple[datetime | None, str | None]:
    """(publication date, why it was dropped): a date out of range is no date."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            raw = entry.get(key.removesuffix("_parsed")) or str(tuple(value)[:6])
            try:
                when = in_range(datetime.fromtimestamp(calendar.timegm(value), UTC))
            except (ValueError, OverflowError, OSError, TypeError):
                when = None
            if when is None:
                return None, f"publication date {str(raw)[:40]!r} out of range; read as undated"
            return when, None
    return None, None


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


def parse_feed(
    body: bytes, *, where: str, content_type: str | None = None, notes: EntryNotes | None = None,
) -> tuple[str | None, list[ArticleIn]]:
    """(feed title, articles) from a feed body; SourceError when it is no feed at all.

    `content_type` (the HTTP header) refuses what no feed is served as and lends its charset. An
    entry that cannot be read is left out, and a date out of range dropped, with one line in `notes`.
    """
    notes = notes if notes is not None else EntryNotes()
    check_feed_body(body, where=where, content_type=content_type)
    if body.lstrip()[:1] == b"{":
        return _parse_json_feed(body, where, notes)
    _vet_xml(body, where)
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        reason = str(parsed.get("bozo_exception") or "no entries").splitlines()[0]
        raise SourceError(f"{where}: not a feed ({reason})")
    articles = []
    for index, entry in enumerate(parsed.entries, 1):
        try:
            article = _rss_entry(entry, index, where, notes)
        except Exception as exc:  # one entry feedparser could not make sense of: the others still count
            name = entry_name(index, entry.get("id"), entry.get("link"), entry.get("title"))
            notes.skipped.append(f"{where}: {name}: skipped ({_reason(exc)})")
            log.info("%s: %s skipped", where, name, exc_info=True)
            continue
        if article is not None:
            articles.append(article)
    if not articles and parsed.bozo and not notes.skipped:  # malformed, and nothing in it could be read
        reason = str(parsed.get("bozo_exception") or "malformed").splitlines()[0]
        raise SourceError(f"{where}: not a feed ({reason})")
    return (parsed.feed.get("title") or None), articles


def _reason(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _rss_entry(entry: Mapping[str, Any], index: int, where: str, notes: EntryNotes) -> ArticleIn | None:
    title = (entry.get("title") or "").strip() or None
    url = entry.get("link") or None
    text, summary_only = _entry_text(entry)
    if not text and not title:
        return None
    published, why = _published(entry)
    if why:
        notes.fixed.append(f"{where}: {entry_name(index, entry.get('id'), url, title)}: {why}")
    return make_article(title=title, text=text, published=published, url=url,
                        guid=entry_guid(entry.get("id"), url, title, text), summary_only=summary_only)


def _scalar(value: Any) -> str:
    """A JSON value read as text; containers are no text (and str() of a deep one would recurse)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _json_item(item: dict[str, Any], index: int, where: str, notes: EntryNotes) -> ArticleIn | None:
    text = html_to_text(_scalar(item.get("content_html"))) or _scalar(item.get("content_text")).strip()
    summary_only = not text
    text = text or _scalar(item.get("summary")).strip()
    title = _scalar(item.get("title")).strip() or None
    url = _scalar(item.get("url")) or None
    if not text and not title:
        return None
    published = None
    raw = _scalar(item.get("date_published"))
    if raw:
        try:
            published = in_range(datetime.fromisoformat(raw.replace("Z", "+00:00")))
            why = None if published else "out of range"
        except (ValueError, OverflowError):
            why = "unreadable"
        if published is None:
            notes.fixed.append(f"{where}: {entry_name(index, _scalar(item.get('id')), url, title)}: "
                               f"publication date {raw[:40]!r} {why}; read as undated")
    return make_article(title=title, text=text, published=published, url=url,
                        guid=entry_guid(_scalar(item.get("id")), url, title, text), summary_only=summary_only)


def _parse_json_feed(body: bytes, where: str, notes: EntryNotes) -> tuple[str | None, list[ArticleIn]]:
    try:
        data = json.loads(body)
    except RecursionError:
        data = _salvage_deep_json(body, where, notes)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{where}: invalid JSON Feed ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise SourceError(f"{where}: not a JSON Feed (no items)")
    articles = []
    for index, item in enumerate(data["items"], 1):
        if not isinstance(item, dict):
            continue
        try:
            article = _json_item(item, index, where, notes)
        except Exception as exc:
            name = entry_name(index, _scalar(item.get("id")), _scalar(item.get("url")), _scalar(item.get("title")))
            notes.skipped.append(f"{where}: {name}: skipped ({_reason(exc)})")
            log.info("%s: %s skipped", where, name, exc_info=True)
            continue
        if article is not None:
            articles.append(article)
    title = data.get("title")
    return (clean(title) if isinstance(title, str) else None), articles


# Strings (escapes included) and the characters that open, close or separate JSON values.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]')


def _salvage_deep_json(body: bytes, where: str, notes: EntryNotes) -> dict[str, Any]:
    """A JSON Feed too deep for the parser: its items read one by one, in one linear scan, and those
    nested deeper than MAX_JSON_DEPTH left out (one line each). SourceError when the depth is not in
    the items (no feed is that deep)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{where}: invalid JSON Feed ({exc})") from None
    depth, key = 0, ""
    items: tuple[int, int] | None = None  # the items array's content
    spans: list[tuple[int, int, int]] = []  # each item's (start, end, deepest level within)
    start, deepest = -1, 0
    for m in _JSON_TOKENS.finditer(text):
        tok = m.group()
        if tok[0] == '"':
            if depth == 1:
                key = tok
            continue
        if tok in "[{":
            depth += 1
            if depth == 2 and tok == "[" and key == '"items"' and items is None:
                items, start, deepest = (m.end(), -1), m.end(), 2
            deepest = max(deepest, depth)
        elif tok in "]}":
            if depth == 2 and items is not None and items[1] == -1 and tok == "]":
                spans.append((start, m.start(), deepest - 2))
                items = (items[0], m.start())
            depth -= 1
        elif depth == 2 and items is not None and items[1] == -1:  # a comma between items
            spans.append((start, m.start(), deepest - 2))
            start, deepest = m.end(), 2
    if items is None or items[1] == -1:
        raise SourceError(f"{where}: invalid JSON Feed (nested deeper than {MAX_JSON_DEPTH} levels)")
    try:
        data = json.loads(text[: items[0]] + text[items[1]:])
    except (ValueError, RecursionError):
        raise SourceError(f"{where}: invalid JSON Feed (nested deeper than {MAX_JSON_DEPTH} levels)") from None
    if not isinstance(data, dict):
        raise SourceError(f"{where}: not a JSON Feed (no items)")
    found: list[Any] = []
    for index, (a, b, levels) in enumerate(spans, 1):
        if not text[a:b].strip():
            continue
        if levels > MAX_JSON_DEPTH:
            notes.skipped.append(f"{where}: entry {index}: skipped (nested deeper than {MAX_JSON_DEPTH} levels)")
            found.append(None)
            continue
        try:
            found.append(json.loads(text[a:b]))
        except (ValueError, RecursionError) as exc:
            notes.skipped.append(f"{where}: entry {index}: skipped (invalid JSON: {_reason(exc)})")
            found.append(None)
    data["items"] = found
    return data
