"""Rules found through the dev split in session 15 (issue 9). Each text is written for its test."""

from __future__ import annotations

from tests.extracting import events_of as _events


def _kinds(extractor, text: str, published: str) -> list[tuple[str, str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(e.type, e.status, e.date.value if e.date else None, e.location) for e in _events(extractor, text, published)
            if e.type != "statement"]


def test_the_headlines_one_place_is_where_the_weeks_meetings_were(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("Nuclear negotiators gather again in Vienna\n\n"
            "The round opened on Tuesday as a meeting of senior officials, and the deputies stayed on for a second "
            "day of talks on Wednesday.")
    got = _kinds(iran, text, "2014-06-19")
    assert got and all(loc == "Vienna" for _, _, _, loc in got), got


def test_a_headline_that_names_the_parties_sets_no_scene(iran) -> None:  # type: ignore[no-untyped-def]
    # the guard: "Washington and Tehran" are the sides, not where anything happened
    text = ("Washington and Tehran trade warnings as talks drag on\n\n"
            "The round opened on Tuesday as a meeting of senior officials.")
    got = _kinds(iran, text, "2014-06-19")
    assert got and all(loc is None for _, _, _, loc in got), got


def test_the_headlines_place_is_not_where_an_older_meeting_was(iran) -> None:  # type: ignore[no-untyped-def]
    # the guard: the scene is the news of the days before publication, not the history the text retells
    text = ("Nuclear negotiators gather again in Vienna\n\n"
            "The first round of the year was held on January 20, and the experts met again on March 3.")
    got = _kinds(iran, text, "2014-06-19")
    assert got and all(loc is None for _, _, _, loc in got), got


def test_the_place_told_with_a_deal_made_when_they_met_is_the_meetings(uschina) -> None:  # type: ignore[no-untyped-def]
    # the place phrase hangs on the main clause's verb ("gave ... no deadline"), not on "met" in the "when" clause
    text = ("Trump and Xi last sat down together over dinner in Buenos Aires on December 1. When they met again on "
            "Saturday, in a hotel ballroom in Osaka, they gave their negotiators no deadline at all.")
    got = _kinds(uschina, text, "2019-07-01")
    saturday = [k for k in got if k[2] == "2019-06-29" and k[0] in {"summit", "meeting"}]
    assert saturday and all(loc == "Osaka" for *_, loc in saturday), got


class Scripted:
    """Stands in for spaCy: each article's events by words its text holds, as the extractor would tell them."""

    def __init__(self, by_title: dict[str, list[object]]) -> None:
        self.by_title = by_title

    def extract_many(self, items, batch_size: int = 16):  # type: ignore[no-untyped-def]
        for text, _published in items:
            yield next(events for start, events in self.by_title.items() if start in text)


def test_a_happening_one_article_tells_twice_is_no_new_event(runtime, kuril, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # the article's first telling ("the talks") takes the summit; its second ("their summit of November 15
    # in Brunei") is that summit again, not a new one
    from datetime import timedelta

    from bot.domain import DateValue, ExtractedEvent
    from bot.ingest import ingest_source
    from tests.feedserver import rss

    def summit(status: str, type_: str = "summit") -> ExtractedEvent:
        return ExtractedEvent(type=type_, status=status, date=DateValue("2000-11-15"), location="Brunei",
                              participants=["Vladimir Putin", "Yoshiro Mori"], parties=["Japan", "Russia"])

    script = Scripted({"will discuss": [summit("scheduled")],
                       "discussed": [summit("held", "talks"), summit("held")]})
    feed = tmp_path / "feed.xml"
    items = [{"title": "Summit set", "guid": "a1", "link": "https://wire.example/a1",
              "pubDate": "Mon, 06 Nov 2000 09:00:00 +0000", "description": "Putin and Mori will discuss the peace treaty and the Kuril Islands in Brunei."}]
    feed.write_bytes(rss(items))
    ingest_source(sessions=runtime.sessions, tracker=kuril, location=str(feed), now=runtime.now, extractor=lambda: script)
    items.append({"title": "Summit held", "guid": "a2", "link": "https://wire.example/a2",
                  "pubDate": "Thu, 16 Nov 2000 09:00:00 +0000", "description": "Putin and Mori discussed the peace treaty and the Kuril Islands in Brunei."})
    feed.write_bytes(rss(items))
    report = ingest_source(sessions=runtime.sessions, tracker=kuril, location=str(feed),
                           now=runtime.now + timedelta(days=10), extractor=lambda: script)
    assert report.articles_new == 1, report
    assert [(c["change"], c["new"]) for c in report.changes] == [("status", "held")]


def test_talks_dated_by_the_leaders_agreement_are_where_they_agreed_not_the_dateline(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("LONDON — The Brexit talks are back on track after Boris Johnson and Leo Varadkar agreed a pathway to a "
            "deal in Liverpool on Thursday, but Downing Street said on Friday that there was no timetable for a text.")
    got = _kinds(brexit, text, "2019-10-12")
    assert ("summit", "held", "2019-10-10", "Liverpool") in got and not [k for k in got if k[3] == "London"], got


def test_a_side_called_on_is_no_place(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("After the European Council of October 15 and 16 called on Britain to make the necessary moves, the prime "
            "minister told the country to prepare for no deal.")
    got = _kinds(brexit, text, "2020-10-22")
    assert [k[0] for k in got] == ["summit"] and got[0][3] is None, got


def test_a_place_after_on_is_still_a_place(extractor) -> None:  # type: ignore[no-untyped-def]
    # the guard: "on" a place that is no side of the tracker (an island) stays a place
    text = "Kono and Ivanov met on Sakhalin on Saturday to discuss the peace treaty."
    assert _kinds(extractor, text, "2000-09-10") == [("meeting", "held", "2000-09-09", "Sakhalin")]


def test_a_named_gathering_is_where_its_city_says(iran) -> None:  # type: ignore[no-untyped-def]
    text = "VIENNA — Ashton and Zarif met on the sidelines of the Munich Security Conference on Friday."
    assert _kinds(iran, text, "2014-02-02") == [("meeting", "held", "2014-01-31", "Munich")]


def test_a_document_named_after_a_city_does_not_place_todays_events(extractor) -> None:  # type: ignore[no-untyped-def]
    # the guard: "the 1993 Tokyo Declaration" was made in Tokyo once; the Irkutsk summit it guides is not there
    from bot.demo import SAMPLE_FEED

    text = (SAMPLE_FEED.parent / "gold" / "demo-2001-03-26-irkutsk-summit.txt").read_text(encoding="utf-8")
    got = [k for k in _kinds(extractor, text, "2001-03-26") if k[2] == "2001-03-25"]
    assert got and all(loc == "Irkutsk" for *_, loc in got), got


def test_a_round_that_will_be_on_a_day_in_a_place_is_dated_and_placed(iran) -> None:  # type: ignore[no-untyped-def]
    # a copula tells when and where, in the reported future too ("said ... would be on January 20")
    text = "Diplomats said the next round of talks would be on January 20 in Geneva."
    assert _kinds(iran, text, "2014-01-10") == [("talks", "scheduled", "2014-01-20", "Geneva")]


def test_a_round_that_will_be_a_visit_is_not_told_when_by_the_copula(uschina) -> None:  # type: ignore[no-untyped-def]
    # the guard: "will be Liu's third visit this year" says what the round is, not that it takes place this year
    from bot.extract.clauses import anchor_of

    doc = uschina.nlp("The Washington round will be Liu He's third visit to the U.S. capital this year.")
    round_ = next(t for t in doc if t.lower_ == "round")
    assert anchor_of(round_).lemma_ != "be"
    doc = uschina.nlp("The Washington round will be on April 3.")
    assert anchor_of(next(t for t in doc if t.lower_ == "round")).lemma_ == "be"


def test_he_who_says_he_will_go_is_the_traveller(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "Treasury Secretary Steven Mnuchin said on Wednesday that he would probably go to Beijing to continue the talks."
    trips = [e for e in _events(uschina, text, "2019-05-16") if e.type != "statement"]
    assert trips and all(e.participants == ["Steven Mnuchin"] for e in trips), trips


def test_he_is_not_the_speaker_of_another_sentence(uschina) -> None:  # type: ignore[no-untyped-def]
    # the guard: no one says it in the sentence, so "he" is not made anyone's trip by this rule
    text = "He would probably go to Beijing to continue the talks, officials in Washington believe."
    trips = [e for e in _events(uschina, text, "2019-05-16") if e.type != "statement"]
    assert all(e.participants == [] for e in trips), trips


def test_there_is_the_place_its_own_sentence_named_first(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("The inspectors spent the week at Natanz and Fordow. Iranian state media said on Friday that Zarif would "
            "travel to Vienna on Saturday, and U.S. officials said Kerry would go there too, to meet him.")
    meetings = [k for k in _kinds(iran, text, "2016-01-15") if k[0] in {"meeting", "visit"}]
    assert meetings and all(loc == "Vienna" for *_, loc in meetings), meetings


def test_agreeing_to_look_for_a_way_is_an_arrangement_not_a_deal(farc) -> None:  # type: ignore[no-untyped-def]
    deals = [e for e in _events(farc, "Both sides had agreed to study alternatives, Jaramillo said on Wednesday.",
                                "2017-01-19") if e.type == "agreement"]
    assert deals and all(e.arrangement for e in deals)
    # the guard: agreeing to create a commission is a deal
    deals = [e for e in _events(farc, "Both sides agreed on Thursday to create a truth commission.", "2015-06-05")
             if e.type == "agreement"]
    assert deals and not any(e.arrangement for e in deals)


def test_a_statement_read_out_in_a_capital_was_made_there(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("The same evening Pablo Catatumbo, a senior commander on the rebel team, read out a statement in the Cuban "
            "capital saying that the delegation was suspending the talks.")
    said = [e for e in _events(farc, text, "2013-08-25") if e.type == "statement"]
    assert [e.location for e in said] == ["Havana"]


def test_a_remark_in_a_statement_to_the_commons_was_made_in_london(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("Boris Johnson took office on Wednesday. On Thursday, in his first statement to the House of Commons, he "
            "called the withdrawal agreement unacceptable and said any new deal would have to abolish the backstop.")
    said = [e for e in _events(brexit, text, "2019-08-02") if e.type == "statement"]
    assert said and all(e.location == "London" for e in said), said


def test_a_speaker_whose_name_ends_in_he_is_named_not_a_pronoun(uschina) -> None:  # type: ignore[no-untyped-def]
    # the parse takes the "He" of "Liu He" for a pronoun subject
    text = "Vice Premier Liu He said on Friday that the two sides had agreed to continue their consultations in Beijing."
    events = _events(uschina, text, "2019-05-11")
    assert [e.participants for e in events if e.type == "statement"] == [["Liu He"]]
    # and the speaker is one of "the two sides" that will go on talking
    talks = [e for e in events if e.type in {"talks", "meeting"}]
    assert talks and all(e.participants == ["Liu He"] and e.location == "Beijing" for e in talks), talks


def test_discussions_continued_on_a_day_are_a_sitting(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "Barclay and Barnier will continue the discussion in Brussels on Friday, officials said."
    got = _kinds(brexit, text, "2019-09-17")
    assert [k[1:] for k in got] == [("scheduled", "2019-09-20", "Brussels")], got
    # the guard: a discussion about something is no sitting
    assert not _kinds(brexit, "The discussion about the backstop dominated the day in Brussels.", "2019-09-17")


DIGEST = """The Morning Brief: a nuclear framework, a storm in Texas, a new coach

Thursday, April 2, 2015. Three stories to start your day.

1. Iran talks near a framework in Lausanne

Negotiators from Iran and the six powers worked through the night in Lausanne on Tuesday to settle the outline of a nuclear agreement.

Zarif told reporters that most of the text was now agreed but that sanctions remained the hardest point.

2. A storm crosses Texas

Heavy rain flooded roads around Houston, and schools closed for the day.

3. A new coach for the national team

The football federation named its new coach after a month of talks with three candidates.
"""


def test_a_digest_items_remark_is_of_the_day_its_item_tells(iran) -> None:  # type: ignore[no-untyped-def]
    # the digest's date line is the day of publication; the item tells of Tuesday
    said = [e for e in _events(iran, DIGEST, "2015-04-02") if e.type == "statement"]
    assert [(e.participants, e.date.value if e.date else None) for e in said] == [
        (["Mohammad Javad Zarif"], "2015-03-31")]


def test_freezing_a_nuclear_programme_is_no_suspension_of_the_talks(iran) -> None:  # type: ignore[no-untyped-def]
    text = "The interim deal takes effect on January 20, freezing parts of the nuclear program for six months."
    assert not [k for k in _kinds(iran, text, "2013-12-01") if k[0] == "suspension"]
    # the guard: the talks frozen are
    text = "Iran froze the talks with the six powers on Thursday over new sanctions."
    assert [k[:2] for k in _kinds(iran, text, "2013-12-14") if k[0] == "suspension"] == [("suspension", "in_effect")]


def test_a_call_is_told_as_remote(uschina) -> None:  # type: ignore[no-untyped-def]
    calls = [e for e in _events(uschina, "President Donald Trump and President Xi Jinping spoke by telephone on Tuesday.",
                                "2018-05-10") if e.type != "statement"]
    assert calls and all(e.remote and e.location is None for e in calls)
    # the guard: talks at a place are not remote
    met = [e for e in _events(uschina, "Liu He met Steven Mnuchin in Washington on Tuesday.", "2018-05-10")
           if e.type != "statement"]
    assert met and not any(e.remote for e in met)


def test_according_to_an_agency_is_no_place(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "According to Xinhua, Liu told him the investigation broke trade rules and that China was ready to defend itself."
    said = [e for e in _events(uschina, text, "2018-03-26") if e.type == "statement"]
    assert said and all(e.location is None for e in said), said
