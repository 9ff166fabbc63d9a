"""Rules found through the dev stories in session 13 (issue 9). Each text is written for its test."""

from __future__ import annotations

from datetime import datetime

from tests.extracting import events_of as _events


def _meetings(extractor, text: str, published: str) -> list[tuple[str, str, str | None, str | None, list[str]]]:  # type: ignore[no-untyped-def]
    return [(e.type, e.status, e.date.value if e.date else None, e.location, sorted(e.participants))
            for e in _events(extractor, text, published) if e.type in {"meeting", "summit", "talks", "visit"}]


def test_a_title_beside_a_name_is_that_person(brexit) -> None:  # type: ignore[no-untyped-def]
    # in 2018 the tracker's "Brexit secretary" is Barclay by year; the apposition names Raab
    text = "Dominic Raab, the Brexit secretary, will travel to Brussels on Tuesday, August 21, to meet Michel Barnier."
    got = _meetings(brexit, text, "2018-08-17")
    assert got == [("meeting", "scheduled", "2018-08-21", "Brussels", ["Dominic Raab", "Michel Barnier"])]


def test_a_title_before_a_comma_and_name_is_that_person(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "The Brexit secretary, Dominic Raab, will meet Michel Barnier in Brussels on Tuesday, August 21."
    got = _meetings(brexit, text, "2018-08-17")
    assert [g[4] for g in got] == [["Dominic Raab", "Michel Barnier"]]


def test_a_title_alone_is_its_holder(brexit) -> None:  # type: ignore[no-untyped-def]
    # the guard: without a name beside it the title still stands for the year's holder
    text = "The Brexit secretary will meet Michel Barnier in Brussels on Tuesday, March 19."
    got = _meetings(brexit, text, "2019-03-15")
    assert [g[4] for g in got] == [["Michel Barnier", "Stephen Barclay"]]


def test_the_leaders_summit_is_not_the_negotiators_meeting(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("BRUSSELS \u2014 Dominic Raab will travel to Brussels on Tuesday, August 21, to meet Michel Barnier. "
            "Both sides are aiming to finish in time for the European Council in Brussels in the autumn.")
    got = _meetings(brexit, text, "2018-08-17")
    assert ("meeting", "scheduled", "2018-08-21", "Brussels", ["Dominic Raab", "Michel Barnier"]) in got
    assert not any(t == "summit" and d == "2018-08-21" for t, _, d, _, _ in got)


def test_a_backshifted_report_names_the_nearest_day(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("Davis told the House of Commons on Thursday that two goals were within reach for the European "
            "Council in Brussels on March 22 and 23.")
    got = _meetings(brexit, text, "2018-03-16")
    assert [(t, s, d) for t, s, d, _, _ in got] == [("summit", "scheduled", "2018-03-22/2018-03-23")]


def test_a_passive_infinitive_looks_ahead(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "Diplomats said after the summit that the 27 expect the backstop to be agreed in substance by June."
    dated = [e.date.value for e in _events(brexit, text, "2018-03-24") if e.type == "agreement" and e.date]
    assert dated == ["2018-06"]


def test_what_was_wanted_by_a_day_does_not_date_the_remark(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("Leo Varadkar welcomed the British acceptance of a backstop and said he wanted its details settled "
            "by the European Council in June.")
    remarks = [e for e in _events(brexit, text, "2018-03-24") if e.type == "statement"]
    assert remarks and all(e.date is None or not e.date.value.endswith("-06") for e in remarks)


def test_talks_with_nobody_named_are_not_an_undated_summit() -> None:
    from datetime import UTC, datetime

    from bot.domain import DateValue, ExtractedEvent
    from bot.resolve import KnownEvent, resolve

    summit = KnownEvent(id=1, type="summit", status="proposed", date_value=None, location="Brussels",
                        participants={"Theresa May", "Donald Tusk"}, parties={"United Kingdom", "European Union"},
                        as_of=datetime(2018, 3, 16, tzinfo=UTC))
    talks = ExtractedEvent(type="talks", status="held", date=DateValue("2018-03-17/2018-03-18"), location="Brussels",
                           participants=[], parties=["United Kingdom", "European Union"])
    update = resolve(talks, [summit], published=datetime(2018, 3, 19, tzinfo=UTC), within={})
    assert update.event_id is None and update.changes == (("new", None, "held"),)


def test_a_thing_wanted_done_by_a_month_is_wanted_ahead(brexit) -> None:  # type: ignore[no-untyped-def]
    got = [(e.type, e.status, e.date.value if e.date else None)
           for e in _events(brexit, "The EU wants the withdrawal agreement settled by October.", "2018-03-19")]
    assert ("deadline", "active", "2018-10") in got


def _rss(items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (guid, RFC 822 date, text) items, newest first."""
    body = "".join(f"<item><guid>{g}</guid><title>{g}</title><pubDate>{d}</pubDate>"
                   f"<description>{t}</description></item>" for g, d, t in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'


def test_a_happening_first_told_after_newer_news_is_background(runtime, kuril, extractor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.ingest import ingest_source

    feed = tmp_path / "feed.xml"
    first = ("a1", "Mon, 06 Nov 2000 09:00:00 +0000",
             "TOKYO - Japan and Russia will keep working toward a peace treaty, Foreign Minister Yohei Kono said "
             "on Monday, as officials prepared for the Brunei summit of Yoshiro Mori and Vladimir Putin on November 15.")
    second = ("a2", "Fri, 10 Nov 2000 09:00:00 +0000",
              "TOKYO - Japanese and Russian vice ministers held talks in Moscow on Thursday on the peace treaty. "
              "Earlier, Kono and Igor Ivanov had met in Moscow on October 20 to prepare the summit.")

    def poll(items: list[tuple[str, str, str]], now: str) -> list[dict]:  # type: ignore[type-arg]
        feed.write_text(_rss(items))
        report = ingest_source(sessions=runtime.sessions, tracker=kuril, location=str(feed),
                               now=datetime.fromisoformat(now), extractor=lambda: extractor)
        return [c for c in report.changes if c["change"] == "new" and c["event"]["type"] in {"talks", "meeting"}]

    poll([first], "2000-11-06T12:00:00+00:00")
    news = {c["event"]["date"]["value"]: c["alert"] for c in poll([second, first], "2000-11-10T12:00:00+00:00")}
    # the talks of Thursday came after the news read before; the October 20 meeting was over well before
    # it, and nobody told of it then: recorded as background, not alerted
    assert news.get("2000-11-09") is True
    assert "2000-10-20" not in news
    from sqlalchemy import select

    from db import models as m
    with runtime.sessions() as session:
        stored = set(session.scalars(select(m.Event.date_value)))
    assert "2000-10-20" in stored


def test_a_deal_that_must_be_made_is_no_deal(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "Under the withdrawal agreement, any extension has to be agreed by both sides before July 1."
    assert not [e for e in _events(brexit, text, "2020-06-10") if e.type == "agreement" and e.status == "agreed"]


def test_a_deal_wanted_done_is_no_deal_but_one_expected_is_to_come(iran, uschina) -> None:  # type: ignore[no-untyped-def]
    wanted = "The negotiators want the main points of a political framework agreed by the end of March."
    assert not [e for e in _events(iran, wanted, "2015-03-10") if e.type == "agreement"]
    expected = "Lighthizer said he expected the agreement to be signed in early January."
    # the guard: a thing expected done is still an event (its status is read elsewhere)
    assert [e.date.value for e in _events(uschina, expected, "2019-12-13") if e.type == "agreement" and e.date] \
        == ["2020-01"]


def test_a_going_verb_is_the_way_to_the_meeting(brexit, iran) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(brexit, "LONDON \u2014 Theresa May flew to Dublin on Friday for dinner with Leo Varadkar.", "2019-02-09")
    assert [(t, d, p) for t, _, d, p, _ in got] == [("summit", "2019-02-08", "Dublin")]
    # the guard: a visit named as one stays a visit
    named = _meetings(iran, "Laurent Fabius will pay an official visit to Tehran on Wednesday, July 29.", "2015-07-24")
    assert [t for t, *_ in named] == ["visit"]


def test_a_deal_made_when_they_met_is_of_that_meeting(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("WASHINGTON \u2014 The resumption was agreed by Donald Trump and Xi Jinping when they met on the "
            "sidelines of the G20 summit in Osaka on June 29.")
    deals = [(e.status, e.date.value if e.date else None, e.location) for e in _events(uschina, text, "2019-07-25")
             if e.type == "agreement"]
    assert deals == [("agreed", "2019-06-29", "Osaka")]


def test_the_signing_ceremony_is_at_the_signing_sharper_place(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("BOGOTA \u2014 President Juan Manuel Santos and FARC leader Rodrigo Londono signed the renegotiated peace "
            "agreement on Thursday at the Teatro Colon in Bogota, in a sober ceremony before about 800 guests.")
    got = _meetings(farc, text, "2016-11-25")
    assert [(d, p) for _, _, d, p, _ in got] == [("2016-11-24", "Teatro Colon")]


def test_after_meeting_the_subject_of_the_act_met(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("After meeting in Brussels on Tuesday, August 21, Dominic Raab and Michel Barnier told a joint news "
            "conference that the two sides would negotiate continuously.")
    got = _meetings(brexit, text, "2018-08-22")
    assert ("meeting", "held", "2018-08-21", "Brussels") in [g[:4] for g in got]
    assert any("Dominic Raab" in people for t, _, d, _, people in got if d == "2018-08-21")


def test_the_summit_the_tracker_knows_is_not_the_ministers_meeting() -> None:
    from datetime import UTC, datetime

    from bot.domain import ExtractedEvent
    from bot.resolve import KnownEvent, resolve

    meeting = KnownEvent(id=1, type="meeting", status="scheduled", date_value="2018-08-21", location="Brussels",
                         participants={"Dominic Raab", "Michel Barnier"}, parties={"United Kingdom", "European Union"},
                         as_of=datetime(2018, 8, 17, tzinfo=UTC))
    summit = ExtractedEvent(type="summit", status="scheduled", date=None, location="Brussels", participants=[],
                            parties=["European Union"])
    now = datetime(2018, 8, 22, tzinfo=UTC)
    assert resolve(summit, [meeting], published=now, within={}).event_id == 1  # no leaders known: as before
    update = resolve(summit, [meeting], published=now, within={}, leaders=frozenset({"Theresa May"}))
    assert update.event_id is None


def test_a_thing_prepared_or_set_up_on_a_day_was_done_then(brexit, uschina) -> None:  # type: ignore[no-untyped-def]
    text = "The summit was prepared at a working dinner at the Commission on Monday, October 16, where May met Juncker."
    assert "2017-10-16" in [d for _, _, d, _, _ in _meetings(brexit, text, "2017-10-21")]
    text = "The round was set up in a telephone call between Liu He and Robert Lighthizer on September 5."
    dated = [d for _, _, d, _, _ in _meetings(uschina, text, "2019-10-13") if d]
    assert dated and all(d.startswith("2019") for d in dated)


def test_a_date_said_to_be_the_deadline_is_the_deadline(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "The exit date is still October 31; EU leaders meet in Brussels on October 17-18."
    got = [(e.type, e.date.value if e.date else None) for e in _events(brexit, text, "2019-09-28")]
    assert ("deadline", "2019-10-31") in got and ("summit", "2019-10-17/2019-10-18") in got


def test_a_dinner_during_the_summit_is_part_of_it(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("BRUSSELS \u2014 EU leaders meeting in Brussels at their summit of December 14 and 15 agreed to open the "
            "second phase. Theresa May spoke to them over dinner in Brussels on Thursday, December 14.")
    got = _meetings(brexit, text, "2017-12-16")
    assert [(t, d) for t, _, d, _, _ in got] == [("summit", "2017-12-14/2017-12-15")]
    # the guard: a meeting elsewhere on one of the sitting's days stays a meeting of its own
    text += " Leo Varadkar met Simon Coveney in Dublin on Thursday, December 14."
    assert len(_meetings(brexit, text, "2017-12-16")) == 2


def test_delegations_returning_to_a_place_are_the_talks_resuming(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("Next: the delegations go home for consultations and return to Havana in June to open the second "
            "item, political participation.")
    got = _meetings(farc, text, "2013-05-27")
    assert [(t, s, d, p) for t, s, d, p, _ in got] == [("talks", "scheduled", "2013-06", "Havana")]
    planned = _meetings(farc, "Santos said on Monday that the government's negotiators were returning to Havana "
                              "this week.", "2014-12-02")
    assert [(t, s) for t, s, *_ in planned] == [("talks", "scheduled")]
    table = _meetings(farc, "The delegations return to the table on Tuesday, September 23, for the 29th cycle.",
                      "2014-09-12")
    assert [(t, s, d) for t, s, d, _, _ in table] == [("talks", "scheduled", "2014-09-23")]
    # the guard: one person going home is no round
    assert _meetings(farc, "Humberto de la Calle returned to Bogota on Friday.", "2014-12-02") == []


def test_talks_to_resume_lift_no_suspension_yet() -> None:
    from bot.domain import Evidence, ExtractedEvent
    from bot.resolve import implied_resumptions

    def held(sentence: str) -> ExtractedEvent:
        return ExtractedEvent(type="talks", status="held", date=None, location="Brussels", participants=[],
                              parties=[], evidence=[Evidence(sentence=sentence, start=0, end=len(sentence))])

    ahead = held("After a short summer pause, talks between their teams will resume in Brussels in mid-August.")
    assert [e.type for e in implied_resumptions([ahead])] == ["talks"]
    done = held("Talks between their teams resumed in Brussels on Thursday.")
    assert [e.type for e in implied_resumptions([done])] == ["talks", "suspension"]


def test_an_accord_announced_is_agreed_not_signed(farc) -> None:  # type: ignore[no-untyped-def]
    text = "The accord on rural development announced in Havana on May 26 is still the only text the two sides have settled."
    got = [(e.status, e.date.value if e.date else None) for e in _events(farc, text, "2013-07-20") if e.type == "agreement"]
    assert got == [("agreed", "2013-05-26")]
