"""GET /t/<slug>/calendar.ics as a calendar app reads it: parsed back with icalendar, the one event
followed through real ingestion (a visit postponed, then moved), and rows written for the edge cases."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar  # type: ignore[import-untyped]
from starlette.testclient import TestClient

from bot.app import Runtime
from bot.ingest import ingest_source
from bot.web import create_app
from tests.conftest import DATA
from tests.public.rows import add_change, add_event, get_ok, public_runtime, queries_of

STORY = DATA / "stories" / "lavrov-visit-postponed"
URL = "/t/kuril/calendar.ics"


def fetch(rt: Runtime) -> Any:
    return get_ok(rt, URL)


def events(rt: Runtime) -> list[Any]:
    return list(Calendar.from_ical(fetch(rt).content).walk("VEVENT"))


def one(rt: Runtime) -> Any:
    [event] = events(rt)
    return event


# ------------------------------------------------------------------ one visit, three ingests


def _poll(rt: Runtime, kuril: Any, extractor: Any, feed: Path, step: str, now: datetime) -> None:
    shutil.copy(STORY / step, feed)
    ingest_source(sessions=rt.sessions, tracker=kuril, location=str(feed), now=now, extractor=lambda: extractor)


def _visit(rt: Runtime, uid: str | None = None) -> Any:
    """The Lavrov visit: the one there is at first, then the one with its UID."""
    [visit] = [e for e in events(rt) if "Sergei Lavrov" in str(e["SUMMARY"]) and str(e["UID"]) == (uid or e["UID"])]
    return visit


def test_a_visit_keeps_its_uid_while_its_status_and_date_move(db_url: str, kuril: Any, extractor: Any,
                                                              tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    asked = []
    for now in ("2007-05-20T00:00:00Z", "2007-05-21T00:00:00Z"):
        rt = public_runtime(db_url, NTRACK_NOW=now)
        asked.append(rt)
    rt, later = asked
    try:
        _poll(rt, kuril, extractor, feed, "step1.xml", datetime(2007, 3, 21, tzinfo=UTC))
        first = _visit(rt)
        assert (first.decoded("DTSTART"), first.decoded("DTEND")) == (date(2007, 4, 16), date(2007, 4, 17))
        assert str(first["STATUS"]) == "CONFIRMED" and str(first["TRANSP"]) == "TRANSPARENT"
        assert str(first["SUMMARY"]).startswith("Visit: ") and "Tokyo" in str(first["LOCATION"])
        assert first.decoded("SEQUENCE") == 0

        _poll(rt, kuril, extractor, feed, "step3.xml", datetime(2007, 4, 11, 21, tzinfo=UTC))
        postponed = _visit(rt, str(first["UID"]))
        assert str(postponed["UID"]) == str(first["UID"])
        assert re.fullmatch(r"ntrack-kuril-event-[0-9]+@ntrack\.example", str(first["UID"]))
        assert str(postponed["STATUS"]) == "TENTATIVE" and str(postponed["SUMMARY"]).endswith(", postponed")
        assert postponed.decoded("SEQUENCE") > first.decoded("SEQUENCE")
        assert postponed.decoded("DTSTAMP") == datetime(2007, 4, 11, 21, tzinfo=UTC)  # the change, not the clock

        _poll(rt, kuril, extractor, feed, "step5.xml", datetime(2007, 5, 10, 20, tzinfo=UTC))
        moved = _visit(rt, str(first["UID"]))
        assert str(moved["UID"]) == str(first["UID"])
        assert (moved.decoded("DTSTART"), moved.decoded("DTEND")) == (date(2007, 6, 4), date(2007, 6, 5))
        assert str(moved["STATUS"]) == "CONFIRMED"
        assert date(2007, 4, 16) not in [e.decoded("DTSTART") for e in events(rt)], "moved, not copied"
        assert moved.decoded("SEQUENCE") >= postponed.decoded("SEQUENCE") + 2  # date and status both moved
        assert moved.decoded("DTSTAMP") == datetime(2007, 5, 10, 20, tzinfo=UTC)
        # another day's clock, the same calendar to the byte (and so the same ETag)
        assert fetch(later).content == fetch(rt).content
        assert fetch(later).headers["etag"] == fetch(rt).headers["etag"]
    finally:
        for runtime in asked:
            runtime.engine.dispose()


# ------------------------------------------------------------------------------ what it holds


def test_all_day_events_with_words_and_the_source(rt: Runtime) -> None:
    add_event(rt, url="https://news.example/brunei?a=1&b=2")
    ev = one(rt)
    assert ev.decoded("DTSTART") == date(2000, 11, 15) and not isinstance(ev.decoded("DTSTART"), datetime)
    assert ev.decoded("DTEND") == date(2000, 11, 16)  # exclusive: the day after
    assert str(ev["SUMMARY"]) == "Summit: Vladimir Putin and Yoshiro Mori (Brunei)"
    assert str(ev["LOCATION"]) == "Brunei"
    assert str(ev["URL"]) == "https://news.example/brunei?a=1&b=2"
    text = str(ev["DESCRIPTION"])
    assert "Summit, scheduled: 15 Nov 2000." in text
    assert "Putin and Mori will meet in Brunei on November 15." in text
    assert "Source: Putin and Mori to meet in Brunei https://news.example/brunei?a=1&b=2" in text
    assert "https://ntrack.example/news/t/kuril" in text
    assert str(ev["UID"]).endswith("@ntrack.example")
    assert ev.decoded("DTSTAMP") == datetime(2000, 11, 5, 9, tzinfo=UTC)  # first seen: no change yet


def test_a_range_of_days_is_one_event_over_them(rt: Runtime) -> None:
    add_event(rt, type="talks", value="2000-11-15/2000-11-17", people=("Yohei Kono",), location=None)
    ev = one(rt)
    assert (ev.decoded("DTSTART"), ev.decoded("DTEND")) == (date(2000, 11, 15), date(2000, 11, 18))
    assert str(ev["SUMMARY"]) == "Talks: Yohei Kono" and "LOCATION" not in ev


@pytest.mark.parametrize(("status", "expected"), [
    ("proposed", "TENTATIVE"), ("postponed", "TENTATIVE"), ("scheduled", "CONFIRMED"), ("held", "CONFIRMED"),
    ("cancelled", "CANCELLED"),
])
def test_status_in_calendar_terms(rt: Runtime, status: str, expected: str) -> None:
    add_event(rt, status=status)
    assert str(one(rt)["STATUS"]) == expected


def test_only_days_in_the_window_and_no_statements(rt: Runtime) -> None:
    for value in ("2000-12", "2000-W47", "2001", "2000-12/2001-01", None):
        add_event(rt, value=value)
    add_event(rt, value="2000-03-01")  # more than six months before 6 Nov 2000
    add_event(rt, type="statement", status="made", value="2000-11-02")
    kept = add_event(rt, value="2000-06-01", status="held")  # within six months
    ahead = add_event(rt, value="2003-01-20")
    uids = [str(e["UID"]) for e in events(rt)]
    assert uids == [f"ntrack-kuril-event-{kept}@ntrack.example", f"ntrack-kuril-event-{ahead}@ntrack.example"]


def test_sequence_counts_date_place_and_status_changes_only(rt: Runtime) -> None:
    ev = add_event(rt)
    add_change(rt, ev, kind="new", old=None, new="scheduled")
    assert one(rt).decoded("SEQUENCE") == 0
    add_change(rt, ev, kind="date", old="2000-11-14", new="2000-11-15", at=datetime(2000, 11, 5, 10, tzinfo=UTC))
    add_change(rt, ev, kind="location", old="Tokyo", new="Brunei", at=datetime(2000, 11, 5, 11, tzinfo=UTC))
    add_change(rt, ev, kind="status", old="proposed", new="scheduled", at=datetime(2000, 11, 5, 12, tzinfo=UTC),
               alert=False)
    latest = one(rt)
    assert latest.decoded("SEQUENCE") == 3
    assert latest.decoded("DTSTAMP") == latest.decoded("LAST-MODIFIED") == datetime(2000, 11, 5, 12, tzinfo=UTC)


def test_odd_text_survives(rt: Runtime) -> None:
    place = 'Bandar; Seri, Begawan \\ "B"'
    headline = "<script>alert(1)</script> Putin & Mori; talks, \u201cquoted\u201d \U0001f91d"
    sentence = "Line one;\nline two, with a backslash \\ and a tab\tand a bell\x07."
    add_event(rt, location=place, title=headline, sentence=sentence, people=("Jos\u00e9 d'Almeida",))
    raw = fetch(rt).content
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)  # folded, as RFC 5545 asks
    ev = one(rt)
    assert str(ev["LOCATION"]) == place
    assert str(ev["SUMMARY"]) == f"Summit: Jos\u00e9 d'Almeida ({place})"
    text = str(ev["DESCRIPTION"])
    assert headline in text and "Line one;\nline two, with a backslash \\ and a tab" in text
    assert "\x07" not in text


def test_the_calendar_names_itself_and_asks_to_be_refreshed(rt: Runtime) -> None:
    resp = fetch(rt)
    assert resp.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "max-age" in resp.headers["cache-control"]
    cal = Calendar.from_ical(resp.content)
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"]) == rt.tracker("kuril").title
    assert str(cal["PRODID"]).startswith("-//ntrack//") and str(cal["VERSION"]) == "2.0"
    assert cal["REFRESH-INTERVAL"].to_ical() == b"PT1H" and cal["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    assert str(cal["SOURCE"]) == "https://ntrack.example/news/t/kuril/calendar.ics"


def test_dtstamp_is_the_same_on_every_request_and_a_poller_gets_304(rt: Runtime) -> None:
    add_event(rt)
    client = TestClient(create_app(rt))
    first, second = client.get(URL), client.get(URL)
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    again = client.get(URL, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    add_event(rt, value="2000-11-20", location="Tokyo")
    assert client.get(URL, headers={"If-None-Match": first.headers["etag"]}).status_code == 200


def test_without_a_public_url_uids_have_no_host_and_there_are_no_links(db_url: str) -> None:
    rt = public_runtime(db_url, NTRACK_PUBLIC_URL="")
    try:
        ev_id = add_event(rt)
        ev = one(rt)
        assert str(ev["UID"]) == f"ntrack-kuril-event-{ev_id}"
        assert "ntrack.example" not in fetch(rt).text
    finally:
        rt.engine.dispose()


def test_the_reads_do_not_grow_with_the_events(rt: Runtime) -> None:
    from bot.public import calendar

    tracker = rt.tracker("kuril")
    tid = rt.tracker_id(tracker)

    def count() -> int:
        return queries_of(rt, lambda: calendar.build(rt, tracker, tid, rt.now))

    for i in range(2):
        add_change(rt, add_event(rt, value=f"2000-11-{10 + i}"))
    few = count()
    for i in range(12):
        add_change(rt, add_event(rt, value=f"2000-12-{10 + i}", people=("Vladimir Putin", f"Envoy {i}")))
    assert count() <= few and len(events(rt)) == 14


# --------------------------------------------------------------------------------- refusals


def test_an_unknown_tracker_is_404(rt: Runtime) -> None:
    resp = TestClient(create_app(rt)).get("/t/atlantis/calendar.ics")
    assert resp.status_code == 404 and "atlantis" in resp.text


def test_pages_off_means_no_calendar(db_url: str) -> None:
    rt = public_runtime(db_url, NTRACK_PAGES="off")
    try:
        add_event(rt)
        assert TestClient(create_app(rt)).get(URL).status_code == 404
    finally:
        rt.engine.dispose()


def test_a_slow_database_gets_503_not_a_hung_request(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from bot.public import calendar

    rt = public_runtime(db_url, NTRACK_ANSWER_DEADLINE="0.2")
    release = threading.Event()
    real = calendar.build

    def slow(*args: Any) -> bytes:
        release.wait(5)
        return real(*args)

    monkeypatch.setattr(calendar, "build", slow)
    try:
        resp = TestClient(create_app(rt)).get(URL)
        assert resp.status_code == 503 and resp.headers["retry-after"]
    finally:
        release.set()
        rt.engine.dispose()


def test_the_window_follows_the_clock(db_url: str) -> None:
    rt = public_runtime(db_url, NTRACK_NOW="2001-06-01T00:00:00Z")
    try:
        add_event(rt, value="2000-11-15")
        assert events(rt) == []  # more than six months before
    finally:
        rt.engine.dispose()
