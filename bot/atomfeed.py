"""A tracker's alerted changes as an Atom feed (RFC 4287), for feed readers. Pure: changes in, bytes
out; feedgen writes the XML.

Ids are tag URIs that never change (the feed's, and one per change), and every date is the data's,
so the same changes give the same bytes whatever the clock says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]  # no stubs or py.typed

from bot import links
from bot.flash import flash
from db.calendar import AlertedChange

# Characters XML 1.0 cannot carry at all: lxml refuses a text holding one.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(" ", text).strip()


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def entry_text(item: AlertedChange) -> str:
    """The entry's summary: the flash, what the article said, and the article's title."""
    change = item.change
    lines = [flash(change)]
    said = [e.sentence.strip() for e in item.evidence[:2] if e.sentence.strip()]
    lines += [f"\u201c{s}\u201d" for s in said]
    if change.article and change.article.title:
        lines.append(f"Source: {change.article.title}")
    return _clean("\n\n".join(lines))


def feed_bytes(
    changes: Sequence[AlertedChange], *, slug: str, title: str, public_url: str | None, empty_updated: datetime,
) -> bytes:
    """The feed, entries in the given order (newest first). Its `updated` is the newest change's time;
    `empty_updated` stands in when there is none."""
    fg = FeedGenerator()
    fg.id(links.changes_feed_id(public_url, slug))
    fg.title(_clean(f"{title}: changes"))
    fg.subtitle(_clean(f"What changed in {title}, as ntrack alerted it"))
    fg.author({"name": "ntrack"})
    fg.generator("ntrack")
    fg.language("en")
    feed, page = links.atom_url(public_url, slug), links.page_url(public_url, slug)
    if feed:
        fg.link(href=feed, rel="self", type="application/atom+xml")
    if page:
        fg.link(href=page, rel="alternate", type="text/html")
    times = [_utc(item.change.created_at) for item in changes]
    fg.updated(max(times) if times else _utc(empty_updated))
    for item, when in zip(changes, times, strict=True):
        change = item.change
        fe = fg.add_entry(order="append")
        fe.id(links.change_entry_id(public_url, slug, change.id))
        fe.title(_clean(flash(change)))
        fe.updated(when)
        fe.published(when)
        fe.content(entry_text(item), type="text")
        if change.article and change.article.url:
            # (feedgen 1.0 writes an entry's link with its href only; alternate is Atom's default rel)
            fe.link(href=change.article.url, rel="alternate")
    return bytes(fg.atom_str(pretty=True))
