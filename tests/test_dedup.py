"""Entry identity: guid, canonical URL, title+text; near-duplicate copies stored once with every URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.dedup import canonical_url, distance, simhash, urls_of
from bot.ingest import ingest_source
from db import models as m
from tests.feedserver import rss
from tests.test_sources import NoEvents

WIRE = (
    "TOKYO, Nov 5 - Japanese Foreign Minister Yohei Kono will travel to Moscow next week for talks with his "
    "Russian counterpart Igor Ivanov on a peace treaty, officials said on Sunday. The visit comes ahead of a "
    "planned meeting between President Vladimir Putin and Prime Minister Yoshiro Mori in Brunei on the sidelines "
    "of the Asia-Pacific summit. Tokyo wants Moscow to recognise its claim to four islands seized by Soviet troops "
    "in 1945, which Japan calls the Northern Territories and Russia the southern Kurils. Officials in both "
    "capitals have played down hopes that a treaty could be signed by the end of the year, the target the two "
    "countries set at Krasnoyarsk in 1997."
)
OTHER = (
    "MOSCOW, Nov 6 - Russia's defence ministry said on Monday it would hold naval exercises near the southern "
    "Kurils later this month, a move likely to irritate Tokyo days before a meeting of the two countries' "
    "leaders. A ministry spokesman said the drills were routine and had been planned for months. Japanese "
    "officials declined to comment on the exercises but said preparations for the Brunei meeting went on, and "
    "that the islands dispute would be on the agenda when Putin and Mori meet on the sidelines of the summit."
)


def test_canonical_urls_drop_tracking_and_noise() -> None:
    assert canonical_url("HTTPS://Wire.Example:443/a/b?utm_source=rss&id=7&fbclid=x#top") == "https://wire.example/a/b?id=7"
    assert canonical_url("http://wire.example/a?b=2&a=1&utm_medium=feed") == "http://wire.example/a?a=1&b=2"
    assert canonical_url("http://wire.example:8080") == "http://wire.example:8080/"
    assert canonical_url(None) is None and canonical_url("urn:uuid:1") == "urn:uuid:1"


def test_simhash_is_close_for_copies_and_far_for_other_stories() -> None:
    a = simhash(WIRE)
    copy = simhash("By our correspondent. " + WIRE.replace("officials said", "officials told reporters") + " (Reuters)")
    other = simhash(OTHER)
    assert a is not None and copy is not None and other is not None
    assert distance(a, copy) <= 8 < 20 <= distance(a, other)
    assert simhash("Too short to judge.") is None


def ingest(rt, tracker, path: Path, body: bytes):  # type: ignore[no-untyped-def]
    path.write_bytes(body)
    return ingest_source(sessions=rt.sessions, tracker=tracker, location=str(path), now=rt.now, extractor=NoEvents)


def articles(rt) -> list[m.Article]:  # type: ignore[no-untyped-def]
    with rt.sessions.begin() as session:
        return list(session.scalars(select(m.Article).order_by(m.Article.id)))


def test_duplicate_and_missing_guids(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "f.xml"
    body = rss([
        {"title": "Kono to Moscow", "guid": "same", "link": "https://wire.example/kono", "description": WIRE},
        {"title": "Naval drills", "guid": "same", "link": "https://wire.example/drills", "description": OTHER},
        {"title": "No guid", "link": "https://wire.example/noguid?utm_source=rss", "description": "Kuril talks."},
        {"title": "Nothing at all", "description": "Peace treaty talks without a link or guid."},
    ])
    assert ingest(runtime, kuril, feed, body).articles_new == 4
    # Again, with the links' tracking parameters changed and the pubDates moved: nothing new.
    body2 = body.replace(b"utm_source=rss", b"utm_source=twitter&amp;fbclid=abc")
    report = ingest(runtime, kuril, feed, body2)
    assert (report.articles_new, report.articles_duplicate) == (0, 4)
    assert len(articles(runtime)) == 4


def test_an_edited_entry_is_not_a_new_article(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "f.xml"
    ingest(runtime, kuril, feed, rss([
        {"title": "Kono to Moscow", "guid": "k1", "pubDate": "Sun, 05 Nov 2000 08:00:00 GMT", "description": WIRE},
        {"title": "Naval drills", "pubDate": "Mon, 06 Nov 2000 08:00:00 GMT", "description": OTHER},  # no guid, no link
    ]))
    report = ingest(runtime, kuril, feed, rss([
        {"title": "Kono to Moscow (updated)", "guid": "k1", "pubDate": "Sun, 05 Nov 2000 10:30:00 GMT",
         "description": WIRE.replace("Sunday", "Sunday evening")},
        {"title": "Naval drills", "pubDate": "Mon, 06 Nov 2000 11:00:00 GMT",
         "description": OTHER.replace("defence", "defense").replace("routine", "routine,")},
    ]))
    assert (report.articles_new, report.articles_duplicate) == (0, 2)
    assert len(articles(runtime)) == 2


def test_a_syndicated_story_is_stored_once_with_every_url(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sites = ["https://wire.example/kono-moscow", "https://daily.example/world/kono?utm_campaign=x",
             "https://herald.example/2000/11/05/kono-to-moscow"]
    bylines = ["", "By Staff Writers. ", "From wire reports. "]
    for i, (url, byline) in enumerate(zip(sites, bylines, strict=True)):
        feed = tmp_path / f"site{i}.xml"
        ingest(runtime, kuril, feed, rss([
            {"title": f"Kono to visit Moscow{' - Site ' + str(i) if i else ''}", "guid": f"site{i}-1", "link": url,
             "description": byline + WIRE},
            {"title": f"Other story {i}", "guid": f"site{i}-2", "link": f"https://site{i}.example/other",
             "description": OTHER if i == 0 else f"Story number {i} about something else entirely: the weather."},
        ]))
    stored = articles(runtime)
    assert [a.title for a in stored].count("Kono to visit Moscow") == 1
    assert not any("Site" in (a.title or "") for a in stored)
    with runtime.sessions.begin() as session:
        kono = next(a for a in stored if a.title == "Kono to visit Moscow")
        assert urls_of(session=session, article_id=kono.id) == [canonical_url(u) for u in sites]
    # Re-reading any of the copies finds the one article.
    again = ingest(runtime, kuril, tmp_path / "site2.xml", (tmp_path / "site2.xml").read_bytes())
    assert again.articles_new == 0


def test_a_near_copy_that_adds_a_paragraph_is_news(runtime, kuril, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ingest(runtime, kuril, tmp_path / "a.xml", rss([{"title": "Kono to Moscow", "guid": "a1", "description": WIRE}]))
    update = WIRE + (" UPDATE: On Monday evening the Foreign Ministry said the trip had been postponed at Moscow's"
                     " request, and that no new date had been set for the talks with Ivanov.")
    report = ingest(runtime, kuril, tmp_path / "b.xml", rss([{"title": "UPDATE 1-Kono trip to Moscow postponed",
                                                              "guid": "b1", "description": update}]))
    assert report.articles_new == 1
