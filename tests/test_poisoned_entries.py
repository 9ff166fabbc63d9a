"""One bad entry never fails its feed: dates off the calendar, NUL bytes, values too long for the
database, JSON nested past reason and an entry whose extraction raises are each left out (or
mended) with one line naming the entry; the feed's other entries are stored and the source stays
healthy. (Issue 12, finding 4; the NUL byte case is the one PostgreSQL refused.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.errors import SourceError
from bot.feeds import EntryNotes, parse_feed
from bot.ingest import IngestReport, ingest_source
from db import models as m
from tests.feedserver import rss
from tests.test_sources import NoEvents

GOOD_TEXT = ("Japanese Foreign Minister Yohei Kono will visit Moscow next week to discuss the peace treaty and "
             "the Kuril Islands, which Japan calls the Northern Territories.")
GOOD = {"title": "Kono to visit Moscow", "guid": "good-1", "link": "https://wire.example/good",
        "pubDate": "Sun, 05 Nov 2000 09:00:00 GMT", "description": GOOD_TEXT}


def ingest(rt: Any, tracker: Any, path: Path, body: bytes, extractor: Any = NoEvents) -> IngestReport:
    path.write_bytes(body)
    return ingest_source(sessions=rt.sessions, tracker=tracker, location=str(path), now=rt.now, extractor=extractor)


def stored(rt: Any) -> dict[str, m.Article]:
    with rt.sessions.begin() as session:
        rows = list(session.scalars(select(m.Article)))
        session.expunge_all()
    return {row.guid: row for row in rows}


def healthy(rt: Any, location: Path) -> bool:
    with rt.sessions.begin() as session:
        src = session.scalar(select(m.Source).where(m.Source.url == str(location)))
        assert src is not None
        return src.error_count == 0 and src.last_error is None and not src.disabled


def json_feed(items: list[Any] | str) -> bytes:
    head = '{"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": '
    return (head + (items if isinstance(items, str) else json.dumps(items)) + "}").encode()


GOOD_JSON = {"id": "good-1", "title": "Kono to visit Moscow", "url": "https://wire.example/good",
             "date_published": "2000-11-05T09:00:00Z", "content_text": GOOD_TEXT}


def test_rss_dates_off_the_calendar_are_dropped_not_fatal(runtime, kuril, extractor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With the real extractor: "last year" in an article of year 1 is year 0, which no date holds."""
    feed = tmp_path / "dates.xml"
    body = rss([
        GOOD,
        {**GOOD, "guid": "year-1", "title": "Year one", "link": "https://wire.example/1",
         "pubDate": "Mon, 01 Jan 0001 00:30:00 +0100",
         "description": "Kono and Ivanov held talks on the Kuril Islands in Moscow last year, officials said."},
        {**GOOD, "guid": "year-9999", "title": "Year 9999", "link": "https://wire.example/9",
         "pubDate": "Fri, 31 Dec 9999 23:59:59 GMT", "description": "The Kuril Islands in year 9999."},
    ])
    report = ingest(runtime, kuril, feed, body, extractor=lambda: extractor)
    rows = stored(runtime)
    assert {"good-1", "year-1", "year-9999"} <= set(rows)
    assert rows["good-1"].published is not None
    assert rows["year-1"].published is None and rows["year-9999"].published is None  # read as undated
    assert healthy(runtime, feed)
    assert report.entries_skipped == 0
    lines = "\n".join(report.entry_notes)
    assert "entry 2 (year-1)" in lines and "entry 3 (year-9999)" in lines and "out of range" in lines


def test_json_dates_off_the_calendar_are_dropped_not_fatal(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "dates.json"
    body = json_feed([
        GOOD_JSON,
        {**GOOD_JSON, "id": "year-1", "url": "https://wire.example/1", "date_published": "0001-01-01T00:00:00+05:00",
         "content_text": "The Kuril Islands dispute in year one."},
        {**GOOD_JSON, "id": "year-9999", "url": "https://wire.example/9", "date_published": "9999-12-31T23:00:00-05:00",
         "content_text": "The Kuril Islands dispute in year 9999."},
    ])
    report = ingest(runtime, kuril, feed, body)
    rows = stored(runtime)
    assert {"good-1", "year-1", "year-9999"} <= set(rows)
    assert rows["year-1"].published is None and rows["year-9999"].published is None
    assert healthy(runtime, feed)
    assert sum("out of range" in line for line in report.entry_notes) == 2


def test_nul_bytes_and_control_characters_are_taken_out(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL refuses NUL in text: the entry used to fail the whole feed there."""
    feed = tmp_path / "nul.json"
    body = json_feed([
        GOOD_JSON,
        {"id": "nul\u0000guid", "title": "Kono\u0000 in\u0007 Moscow", "url": "https://wire.example/n\u0000ul",
         "date_published": "2000-11-05T10:00:00Z", "content_text": "Kuril\u0000 talks\u001b go on.\u2028\tPeace treaty\r\nnext."},
        {"id": "surrogate", "title": "Lone \ud800 surrogate", "content_text": "Kuril islands \udfff peace treaty."},
    ])
    report = ingest(runtime, kuril, feed, body)
    rows = stored(runtime)
    assert {"good-1", "nulguid", "surrogate"} <= set(rows)
    row = rows["nulguid"]
    assert row.title == "Kono in Moscow" and row.url == "https://wire.example/nul"
    assert row.text == "Kuril talks go on.\u2028\tPeace treaty\nnext."  # tab, newline and non-C0 characters stay
    assert rows["surrogate"].title == "Lone  surrogate"
    assert healthy(runtime, feed) and report.entries_skipped == 0


def test_raw_nul_bytes_in_an_rss_feed(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "nul.xml"
    body = rss([GOOD, {**GOOD, "guid": "nul-1", "title": "Kono\x00 visit", "link": "https://wire.example/nul",
                       "description": "Kuril\x00 islands and the peace treaty."}])
    ingest(runtime, kuril, feed, body)
    rows = stored(runtime)
    assert "good-1" in rows
    assert all("\x00" not in (r.title or "") + r.text + r.guid + (r.url or "") for r in rows.values())
    assert healthy(runtime, feed)


def test_values_longer_than_the_database_holds_are_cut(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """articles.title is 1,000 characters, guid and url 2,000: PostgreSQL refused longer ones."""
    feed = tmp_path / "long.json"
    body = json_feed([
        GOOD_JSON,
        {"id": "g" * 5000, "title": "Kuril " * 400, "url": "https://wire.example/" + "x" * 3000,
         "content_text": "The Kuril Islands and the peace treaty, again."},
    ])
    ingest(runtime, kuril, feed, body)
    rows = stored(runtime)
    assert len(rows) == 2 and healthy(runtime, feed)
    long = next(r for g, r in rows.items() if g != "good-1")
    assert long.guid.startswith("sha256:") and long.url is None
    assert long.title is not None and len(long.title) <= 1000 and long.title.endswith("...")


def test_pathological_json_nesting_skips_that_item_only(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "deep.json"
    deep = "[" * 200_000 + "]" * 200_000
    later = {**GOOD_JSON, "id": "good-2", "title": "Mori and Putin to meet in Brunei", "url": "https://wire.example/2",
             "content_text": "Mori and Putin will meet in Brunei to discuss the Kuril Islands."}
    items = f'[{json.dumps(GOOD_JSON)}, {{"id": "deep", "title": "Deep", "_ext": {deep}}}, {json.dumps(later)}]'
    report = ingest(runtime, kuril, feed, json_feed(items))
    assert {"good-1", "good-2"} <= set(stored(runtime))
    assert "deep" not in stored(runtime)
    assert healthy(runtime, feed)
    assert report.entries_skipped == 1
    assert any("entry 2" in line and "nested deeper" in line for line in report.entry_notes)


def test_nesting_that_is_no_feed_at_all_is_one_line() -> None:
    with pytest.raises(SourceError, match="nested deeper than"):
        parse_feed(b'{"items": 1, "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", where="deep")
    with pytest.raises(SourceError):
        parse_feed(b"{" + b'"a": {' * 100_000 + b"}" * 100_001, where="deep")


def test_containers_where_text_belongs_are_no_text() -> None:
    """A title that is an object is no title; an item nested past the parser's limit is left out."""
    nested = "[" * 5000 + "]" * 5000
    odd = {"id": "x", "title": {"en": ["Kuril"]}, "url": ["https://wire.example/x"], "content_text": "Kuril talks."}
    body = json_feed(f'[{json.dumps(GOOD_JSON)}, {json.dumps(odd)}, {{"id": "y", "title": {nested}}}]')
    notes = EntryNotes()
    _, articles = parse_feed(body, where="w", notes=notes)
    assert [a.guid for a in articles] == ["good-1", "x"]
    assert articles[1].title is None and articles[1].url is None
    assert notes.skipped == ["w: entry 3: skipped (nested deeper than 64 levels)"]


class FailsOn:
    """An extractor that raises on one article (whatever the batch), like a bug tripped by odd text."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self) -> FailsOn:
        return self

    def extract_many(self, items: Any, batch_size: int = 16) -> Iterator[list[Any]]:
        for text, _published in items:
            if self.marker in text:
                raise ValueError("[E088] Text of length 1200000 exceeds maximum of 1000000.")
            yield []


def test_an_entry_whose_extraction_fails_is_skipped_with_a_line(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "boom.xml"
    body = rss([
        {**GOOD, "guid": "before"},
        {**GOOD, "guid": "boom", "link": "https://wire.example/boom", "description": "Kuril peace treaty BOOM"},
        {**GOOD, "guid": "after", "link": "https://wire.example/after", "description": "Kuril peace treaty talks."},
    ])
    report = ingest(runtime, kuril, feed, body, extractor=FailsOn("BOOM"))
    assert {"before", "after"} <= set(stored(runtime)) and "boom" not in stored(runtime)
    assert healthy(runtime, feed)
    assert report.entries_skipped == 1
    assert any("entry boom" in line and "extraction failed" in line for line in report.entry_notes)
