"""Long articles cost bounded time and memory: extraction reads the first MAX_ARTICLE_CHARS of an
article (cut at a paragraph break), parses a long text in pieces joined into one Doc, starts no
piece after the article's time budget, and a page's HTML is parsed up to MAX_PAGE_BYTES. An entry
past spaCy's own limit (1,000,000 characters) used to fail its whole feed. (Issue 12, finding 5.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from bot.extract.events import MAX_ARTICLE_CHARS, Extractor, cap_text, pieces
from bot.ingest import ingest_source
from bot.pages import MAX_PAGE_BYTES, cap_html, parse_page
from db import models as m
from tests.feedserver import rss

EVENT = ("Japanese Foreign Minister Yohei Kono will visit Moscow on November {day} for talks with Russian "
         "Foreign Minister Igor Ivanov on the peace treaty and the Kuril Islands, officials said.")
FILLER = "Markets in Tokyo were quiet on Monday and traders waited for the figures due later in the week."


def paragraphs(n: int, *, width: int = 1) -> str:
    return "\n\n".join(" ".join([FILLER] * width) for _ in range(n))


def test_the_cap_is_a_prefix_ending_at_a_paragraph_break() -> None:
    text = paragraphs(50)  # about 4,800 characters
    capped = cap_text(text, 1000)
    assert text.startswith(capped) and len(capped) <= 1000
    assert text[len(capped):].startswith("\n\n")  # cut at a paragraph break
    assert cap_text(text, 0) == text and cap_text("short", 1000) == "short"
    # no paragraph break: a sentence end, else a space, else the limit itself
    assert cap_text(" ".join([FILLER] * 30), 1000).endswith("week.")
    assert cap_text("x" * 5000, 1000) == "x" * 1000


def test_pieces_join_back_into_the_text() -> None:
    text = paragraphs(300)
    parts = pieces(text, 2000)
    assert "".join(parts) == text and all(len(p) <= 2000 for p in parts) and len(parts) > 10
    assert all(p.endswith("\n\n") for p in parts[:-1])
    blob = "y" * 9000
    assert "".join(pieces(blob, 2000)) == blob


def test_a_long_article_is_parsed_in_pieces_into_one_doc(extractor: Extractor) -> None:
    text = "\n\n".join([EVENT.format(day=20), paragraphs(150), EVENT.replace("Moscow", "Irkutsk").format(day=28)])
    assert len(text) > extractor.chunk_chars
    doc = extractor._long_doc(text)
    assert doc.text == text  # offsets of evidence hold for the stored text
    events = extractor.extract(text, date(2000, 11, 6))
    assert {e.location for e in events} >= {"Moscow", "Irkutsk"}  # the last paragraph was read too


def test_no_piece_is_started_after_the_time_budget(extractor: Extractor) -> None:
    text = "\n\n".join([EVENT.format(day=20), paragraphs(40), EVENT.replace("Moscow", "Irkutsk").format(day=28)])
    hasty = Extractor(extractor.nlp, extractor.tracker, seconds=1e-9, chunk_chars=1000)
    events = hasty.extract(text, date(2000, 11, 6))
    assert {e.location for e in events} == {"Moscow"}
    assert all(ev.end <= 1000 for e in events for ev in e.evidence)


def test_an_entry_past_spacys_limit_no_longer_fails_its_feed(runtime, kuril, extractor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    huge = EVENT.format(day=20) + "\n\n" + paragraphs(11_000)  # about 1,060,000 characters
    assert len(huge) > 1_000_000
    feed = tmp_path / "huge.xml"
    feed.write_bytes(rss([
        {"title": "Kono to visit Moscow", "guid": "short", "link": "https://wire.example/s",
         "pubDate": "Sun, 05 Nov 2000 09:00:00 GMT", "description": EVENT.format(day=21)},
        {"title": "A very long read", "guid": "huge", "link": "https://wire.example/h",
         "pubDate": "Sun, 05 Nov 2000 10:00:00 GMT", "content": huge},
    ]))
    report = ingest_source(sessions=runtime.sessions, tracker=kuril, location=str(feed), now=runtime.now,
                           extractor=lambda: extractor)
    assert report.articles_new == 2 and report.articles_cut == 1 and report.entries_skipped == 0
    with runtime.sessions.begin() as session:
        src = session.scalar(select(m.Source).where(m.Source.url == str(feed)))
        assert src is not None and src.error_count == 0
        huge_row = session.scalar(select(m.Article).where(m.Article.guid == "huge"))
        assert huge_row is not None and len(huge_row.text) == len(huge)  # stored whole, read in part
        told = list(session.scalars(select(m.EvidenceRow).where(m.EvidenceRow.article_id == huge_row.id)))
        assert told and all(e.end <= MAX_ARTICLE_CHARS for e in told)


def page(body: str) -> bytes:
    return f"<html><head><title>Long page</title></head><body><article>{body}</article></body></html>".encode()


def test_page_html_is_parsed_up_to_the_cap() -> None:
    para = "<p>{} " + FILLER + "</p>\n"
    body = page("".join(para.format(i) for i in range(40_000)) + "<p>BEYOND THE CAP</p>")
    assert len(body) > MAX_PAGE_BYTES
    capped = cap_html(body)
    assert body.startswith(capped) and len(capped) <= MAX_PAGE_BYTES and capped.endswith(b"\n")
    title, [article] = parse_page(body, url="https://wire.example/long", content_type="text/html")
    assert "BEYOND THE CAP" not in article.text and article.text.startswith("0 Markets")
    assert title == "Long page"


