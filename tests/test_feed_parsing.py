"""Hostile and broken feed bodies: refused in one line, or read as well as they can be."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import SourceError
from bot.feeds import parse_feed
from bot.pages import main_text

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"


def read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml", "malformed-entities.xml"])
def test_entities_are_never_expanded(name: str) -> None:
    with pytest.raises(SourceError, match="refused hostile XML"):
        parse_feed(read(name), where=name)


@pytest.mark.parametrize("name,ctype", [
    ("latin1-declared.xml", None),
    ("latin1-mislabelled.xml", "application/rss+xml; charset=utf-8"),
    ("latin1-undeclared.xml", "text/xml"),
    ("latin1-undeclared.xml", "application/rss+xml; charset=iso-8859-1"),
    ("utf16.xml", None),
])
def test_wrong_or_missing_encodings_still_read(name: str, ctype: str | None) -> None:
    _, articles = parse_feed(read(name), where=name, content_type=ctype)
    assert len(articles) == 1
    assert "café" in articles[0].title and "café" in articles[0].text


def test_malformed_xml_is_salvaged_when_it_can_be() -> None:
    _, articles = parse_feed(read("malformed-salvageable.xml"), where="sloppy")
    assert [a.guid for a in articles][:1] == ["s-1"]
    assert "peace treaty & the islands" in articles[0].text


@pytest.mark.parametrize("body,ctype,reason", [
    (b"", None, "empty body"),
    (b"   \n ", None, "empty body"),
    (b"\x89PNG\r\n\x1a\n....", "image/png", "content type image/png is not a feed"),
    (b"%PDF-1.4", "application/pdf", "not a feed"),
    (b"<?xml version='1.0'?><config/>", "application/xml", "not a feed"),
    (b"{not json", "application/feed+json", "invalid JSON Feed"),
    (b'{"version": "x"}', "application/json", "no items"),
    (b"<rss><channel><title>x</title><item><title>cut off</title><description>abc", None, None),  # salvaged
])
def test_bodies_that_are_no_feed(body: bytes, ctype: str | None, reason: str | None) -> None:
    if reason is None:
        assert parse_feed(body, where="x", content_type=ctype)[1]
        return
    with pytest.raises(SourceError, match=reason):
        parse_feed(body, where="x", content_type=ctype)


def test_an_html_page_is_not_a_feed_and_the_error_names_its_feed() -> None:
    with pytest.raises(SourceError, match=r"an HTML page, not a feed \(it links to the feed https://wire.example/rss.xml\)"):
        parse_feed(read("page.html"), where="page", content_type="text/html; charset=utf-8")


def test_an_rss_feed_served_as_text_html_is_still_a_feed() -> None:
    _, articles = parse_feed(read("latin1-declared.xml"), where="x", content_type="text/html")
    assert len(articles) == 1


def test_full_text_comes_from_content_and_summaries_are_marked() -> None:
    _, atom = parse_feed(read("atom-content.xml"), where="atom")
    assert [a.summary_only for a in atom] == [False, True]
    assert atom[0].text == "The full article about the Kuril Islands."
    _, items = parse_feed(read("json-feed.json"), where="json")
    assert [(a.guid, a.summary_only) for a in items] == [("j1", False), ("j2", True)]
    assert items[0].published is not None and items[0].published.tzinfo is not None


def test_main_text_of_an_article_page_leaves_the_boilerplate() -> None:
    text = main_text(read("article.html"), url="https://wire.example/putin-tokyo")
    assert "Vladimir Putin will visit Tokyo from September 3 to 5" in text
    assert "Krasnoyarsk" in text
    for noise in ("Subscribe now", "Cookie settings", "Baseball results"):
        assert noise not in text
