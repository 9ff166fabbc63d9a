"""Rules found through the fresh stories of session 11 (issue 9): datelines without a date, a sentence
never split inside a name or between two words, days counted from a day the text told, remarks placed
'from' a building, talks 'on hold', and agreements only to go on talking. Each text is written for its test."""

from __future__ import annotations

import pytest

from bot.extract.layout import DATELINE, datelines
from tests.extracting import events_of as _events
from tests.extracting import meetings_of


def _remarks(extractor, text: str, published: str) -> list[tuple[str | None, str | None, list[str]]]:  # type: ignore[no-untyped-def]
    return [(e.date.value if e.date else None, e.location, e.participants)
            for e in _events(extractor, text, published) if e.type == "statement"]


@pytest.mark.parametrize(("line", "place"), [
    ("GENEVA \u2014 Zarif said", "GENEVA"),
    ("ALMATY, Kazakhstan \u2014 The talks", "ALMATY"),
    ("VIENNA -- The talks", "VIENNA"),
    ("IRKUTSK, Russia, March 25 (Wire) - Putin", "IRKUTSK"),
])
def test_a_dateline_needs_no_date(line: str, place: str) -> None:
    m = DATELINE.search(line)
    assert m is not None and m["place"].strip() == place
    assert datelines(line) == [(0, m.end())]


@pytest.mark.parametrize("line", ["NATO - the alliance said", "The EU \u2014 and Britain", "UK-EU talks resumed"])
def test_a_hyphen_without_a_date_is_no_dateline(line: str) -> None:
    assert DATELINE.search(line) is None


def test_remarks_of_the_day_are_made_where_the_dateline_says(iran) -> None:  # type: ignore[no-untyped-def]
    text = "GENEVA \u2014 Mohammad Javad Zarif said on Saturday that the gaps had narrowed."
    assert _remarks(iran, text, "2013-11-10") == [("2013-11-09", "Geneva", ["Mohammad Javad Zarif"])]


def test_a_name_is_never_split_between_sentences(uschina) -> None:  # type: ignore[no-untyped-def]
    # "... the trade talks Vice Premier Liu He was to lead": the model's parser ended a sentence at "Liu"
    text = "China has called off the trade talks Vice Premier Liu He was to lead in Washington late this month."
    got = [(e.type, e.status, e.location, e.participants) for e in _events(uschina, text, "2018-09-22")]
    assert got == [("meeting", "cancelled", "Washington", ["Liu He"])]


def test_that_night_right_after_the_verb_dates_the_remark(brexit) -> None:  # type: ignore[no-untyped-def]
    # the parse hangs "that night" in what was said ("he was disappointed"); it still says when he said it
    text = ("EU leaders met in Brussels on October 15 and 16. The conclusions they adopted on the Thursday evening "
            "called on Britain to move. David Frost said that night he was disappointed.")
    assert [d for d, _, who in _remarks(brexit, text, "2020-10-22") if who == ["David Frost"]] == ["2020-10-15"]


def test_the_next_day_in_a_sentence_without_an_event_dates_the_next_remark(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("David Frost said on Thursday, October 15, that he was disappointed. The next day Boris Johnson went "
            "further. In a televised statement he said the EU had refused to negotiate seriously.")
    assert [d for d, _, who in _remarks(brexit, text, "2020-10-22") if who == ["Boris Johnson"]] == ["2020-10-16"]


@pytest.mark.parametrize(("text", "day"), [
    # published on a Thursday: "the Thursday" is the Thursday of the days told, not the day of publication
    ("EU leaders met in Brussels on October 15 and 16. Angela Merkel said on the Friday that the EU would have to "
     "compromise too.", "2020-10-16"),
    ("EU leaders met in Brussels on October 15 and 16. Angela Merkel said on the Thursday evening that the EU would "
     "have to compromise too.", "2020-10-15"),
])
def test_the_weekday_with_the_is_a_day_of_the_days_told(brexit, text: str, day: str) -> None:  # type: ignore[no-untyped-def]
    assert [d for d, _, who in _remarks(brexit, text, "2020-10-22") if who == ["Angela Merkel"]] == [day]


@pytest.mark.parametrize(("text", "place"), [
    ("In a statement from Downing Street on Friday, Boris Johnson said the EU had refused to negotiate.", "London"),
    ("Speaking from Berlin on Friday, Boris Johnson said the EU had refused to negotiate.", "Berlin"),
])
def test_a_remark_from_a_place_was_made_there(brexit, text: str, place: str) -> None:  # type: ignore[no-untyped-def]
    assert _remarks(brexit, text, "2020-10-17") == [("2020-10-16", place, ["Boris Johnson"])]


@pytest.mark.parametrize("text", [
    "The negotiations are effectively on hold until the new government takes office in August.",
    "Officials said the talks remain on hold.",
    "Tehran has put the talks on hold.",
])
def test_talks_on_hold_are_suspended_from_the_day_of_the_report(iran, text: str) -> None:  # type: ignore[no-untyped-def]
    got = [(e.type, e.status, e.date.value if e.date else None) for e in _events(iran, text, "2013-06-17")]
    assert got == [("suspension", "in_effect", "2013-06-17")]


def test_a_meeting_on_hold_is_no_suspension(iran) -> None:  # type: ignore[no-untyped-def]
    assert [e.type for e in _events(iran, "The summit in Vienna was put on hold on Monday.", "2013-06-17")
            if e.type == "suspension"] == []


@pytest.mark.parametrize(("text", "arranged"), [
    ("Catherine Ashton and Mohammad Javad Zarif agreed on Friday that the negotiations will open in Vienna on "
     "February 18.", True),
    ("Iran and the six powers agreed on Monday to step up the talks.", True),
    ("Iran and the six powers agreed on Monday to extend the talks by seven months.", True),
    ("Iran agreed on Sunday to curb its nuclear programme for six months.", False),
    ("Catherine Ashton and Mohammad Javad Zarif signed the agreement in Geneva on Sunday.", False),
])
def test_an_agreement_only_to_go_on_talking_is_an_arrangement(iran, text: str, arranged: bool) -> None:  # type: ignore[no-untyped-def]
    deals = [e for e in _events(iran, text, "2014-02-03") if e.type == "agreement"]
    assert deals and all(e.arrangement == arranged for e in deals)


def test_an_arrangement_is_recorded_but_the_meeting_it_arranges_carries_the_alert(  # type: ignore[no-untyped-def]
        runtime, kuril, extractor, tmp_path) -> None:
    from datetime import UTC, datetime

    from bot.ingest import ingest_source
    from tests.feedserver import rss

    first = {"title": "Envoys to meet", "link": "https://wire.example/1", "guid": "w1",
             "pubDate": "Mon, 06 Nov 2000 09:00:00 GMT",
             "content": "<p>TOKYO \u2014 Russia and Japan said on Monday they would keep talking about a peace treaty.</p>"}
    second = {"title": "Putin and Mori agree to step up talks", "link": "https://wire.example/2", "guid": "w2",
              "pubDate": "Thu, 16 Nov 2000 09:00:00 GMT",
              "content": "<p>BANDAR SERI BEGAWAN \u2014 Vladimir Putin and Yoshiro Mori met in Brunei on Wednesday and "
                         "agreed to step up the peace treaty talks.</p>"}
    feed = tmp_path / "feed.xml"

    def poll(items: list[dict[str, str]], day: int) -> list[dict]:  # type: ignore[type-arg]
        feed.write_bytes(rss(items))
        return ingest_source(sessions=runtime.sessions, tracker=kuril, location=str(feed),  # type: ignore[no-any-return]
                             now=datetime(2000, 11, day, 12, tzinfo=UTC), extractor=lambda: extractor).changes

    poll([first], 6)  # the first poll records without alerting
    changes = poll([second, first], 16)
    alerted = {c["event"]["type"] for c in changes if c["alert"]}
    recorded = {c["event"]["type"] for c in changes}
    assert "agreement" in recorded and "agreement" not in alerted
    assert alerted & {"summit", "meeting"}


def _meetings(extractor, text: str, published: str) -> list[tuple[str, str, str | None, list[str]]]:  # type: ignore[no-untyped-def]
    return [(e.type, e.status, e.date.value if e.date else None, e.participants)
            for e in meetings_of(extractor, text, published)]


def test_a_meeting_in_late_august_told_in_mid_august_is_not_held(uschina) -> None:  # type: ignore[no-untyped-def]
    # the month has begun, but "late August" has not: a past tense told of it later is no round held
    text = ("Wang Shouwen will lead a delegation to Washington in late August for trade talks with David Malpass. "
            "The ministry said the visit was at the invitation of the United States.")
    assert [m[1] for m in _meetings(uschina, text, "2018-08-17")] == ["scheduled"]


def test_calling_off_the_plans_for_a_round_calls_off_the_round(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("China has called off plans for Vice Premier Liu He to lead a delegation to Washington late this month "
            "for trade talks with Steven Mnuchin. The talks had been in preparation since the summer.")
    assert [m[1] for m in _meetings(uschina, text, "2018-09-22")] == ["cancelled"]


@pytest.mark.parametrize(("text", "kind"), [
    ("Steven Mnuchin has invited Vice Premier Liu He to a new round of trade talks.", "talks"),
    ("Donald Trump invited Xi Jinping to the White House for another summit.", "summit"),
])
def test_an_invitation_is_a_meeting_proposed_between_host_and_guest(uschina, text: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(uschina, text, "2018-09-13")
    assert [(t, status) for t, status, _, _ in got] == [(kind, "proposed")]
    assert len(got[0][3]) == 2


def test_the_day_of_the_call_a_meeting_was_agreed_in_is_not_the_meetings(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "Donald Trump and Xi Jinping agreed to meet in Argentina during a telephone call on November 1."
    got = _meetings(uschina, text, "2018-11-20")
    # the call itself is a meeting of its own, held that day (session 12)
    assert sorted((status, day) for _, status, day, _ in got) == [("held", "2018-11-01"), ("proposed", None)]


def test_both_subjects_of_agreed_to_meet_meet(uschina) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(uschina, "Trump and Xi agreed to meet in Buenos Aires on December 1.", "2018-11-20")
    assert [sorted(who) for *_, who in got] == [["Donald Trump", "Xi Jinping"]]


def test_the_day_of_a_clause_with_its_own_subject_is_not_the_meetings(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "The negotiating teams will meet again immediately, and a decision will be taken by Sunday."
    assert [day for _, _, day, _ in _meetings(brexit, text, "2020-12-10")] in ([], [None])


def test_talks_extended_to_a_day_are_a_deadline_not_a_round_on_that_day(iran) -> None:  # type: ignore[no-untyped-def]
    text = "Iran and the six powers agreed late on Friday to extend their negotiations until November 24."
    got = [(e.type, e.date.value if e.date else None) for e in _events(iran, text, "2014-07-19")]
    assert ("deadline", "2014-11-24") in got and not [t for t, _ in got if t in {"talks", "meeting"}]


@pytest.mark.parametrize("text", [
    "Liu He and Steven Mnuchin agreed on Friday to strengthen cooperation on the economy.",
    "Liu He and Steven Mnuchin agreed on Friday to work to create the conditions for the deal.",
])
def test_a_readouts_agreement_to_cooperate_is_an_arrangement(uschina, text: str) -> None:  # type: ignore[no-untyped-def]
    deals = [e for e in _events(uschina, text, "2020-05-09") if e.type == "agreement"]
    assert deals and all(e.arrangement for e in deals)


def test_the_deal_a_round_is_about_is_no_agreement(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("The fourth round of negotiations on a final nuclear agreement between Iran and the six powers ended in "
            "Vienna on Friday, May 16.")
    assert [e.type for e in _events(iran, text, "2014-05-17")] == ["talks"]


@pytest.mark.parametrize(("text", "published"), [
    ("The Joint Plan of Action, in force since January 20, expires on July 20, the target date for a final deal.",
     "2014-02-21"),
    ("The interim deal lasts six months, until July 20, the date both sides have set themselves for a final deal.",
     "2014-02-21"),
    ("Iran and the six powers agreed on Friday to extend their negotiations by four months, to July 20.", "2014-03-22"),
])
def test_the_day_a_deal_runs_out_is_a_deadline_still_to_come(iran, text: str, published: str) -> None:  # type: ignore[no-untyped-def]
    got = [(e.type, e.status, e.date.value if e.date else None) for e in _events(iran, text, published)]
    assert ("deadline", "active", "2014-07-20") in got
    assert not [e for e in got if e[0] == "agreement" and e[2] == "2014-07-20"]


def test_a_round_that_ended_without_agreement_is_held_somewhere_unnamed(iran) -> None:  # type: ignore[no-untyped-def]
    # "the Kazakh city" describes a place without naming it; the round ended, nothing was suspended
    text = "Two days of talks, the second round in the Kazakh city in six weeks, ended without agreement on Saturday."
    got = [(e.type, e.status, e.location) for e in _events(iran, text, "2013-04-07")]
    assert got == [("talks", "held", None)]


def test_a_deal_that_exists_talked_over_is_no_agreement(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "Liu He and Robert Lighthizer are to review the phase-one trade agreement by video link on August 15."
    assert [e for e in _events(uschina, text, "2020-08-10") if e.type == "agreement"] == []


@pytest.mark.parametrize(("text", "deals"), [
    ("The FARC truce began on July 20, and the government answered it on Saturday.", 0),
    ("The bilateral ceasefire was agreed in Havana on Thursday.", 1),
])
def test_one_sides_truce_is_no_agreement(farc, text: str, deals: int) -> None:  # type: ignore[no-untyped-def]
    assert len([e for e in _events(farc, text, "2015-07-25") if e.type == "agreement"]) == deals


def test_here_is_where_the_dateline_says(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "BRUSSELS \u2014 The sides will reconvene here in the week of September 18 for the fourth round."
    assert [(e.type, e.location) for e in _events(brexit, text, "2017-08-31")] == [("talks", "Brussels")]


@pytest.mark.parametrize("text", [
    "The round opened in Vienna on March 18 and ended on March 19.",
    "The second round, which opened with formal sessions in Vienna on Tuesday, March 18 and ended on Wednesday, "
    "March 19, went through the list subject by subject.",
])
def test_a_round_that_opened_on_one_day_and_ended_on_another_ran_between(iran, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [day for _, _, day, _ in _meetings(iran, text, "2014-04-10")] == ["2014-03-18/2014-03-19"]


def test_a_pause_ended_is_a_suspension_lifted(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("Government and FARC negotiators sat down in Havana on Monday morning, ending the pause the guerrillas "
            "had declared on Friday.")
    assert [(e.type, e.status) for e in _events(farc, text, "2013-08-27") if e.type == "suspension"] == [
        ("suspension", "lifted")]


def test_a_deal_presented_as_something_is_not_put_forward(farc) -> None:  # type: ignore[no-untyped-def]
    # the brief of the story farc/land-and-participation-2013: "The rebels presented the accord as a first step"
    from pathlib import Path

    from bot.feeds import parse_feed

    step = Path(__file__).parent / "data/negotiations/farc/stories/land-and-participation-2013/step2.xml"
    _, items = parse_feed(step.read_bytes(), where=str(step))
    item = max(items, key=lambda i: i.published)
    deals = [e for e in farc.extract(item.text, item.published.date()) if e.type == "agreement"]
    assert [(e.status, e.date.value if e.date else None) for e in deals] == [("agreed", "2013-05-26")]


def test_the_accord_of_a_day_is_the_nearest_such_day(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("The delegations are still on the second of five substantive items, political participation, with "
            "only the land accord of May 26 to show; meeting the target would mean settling four items and the "
            "mechanism for implementing them in a little over three months.")
    assert [e.date.value for e in _events(farc, text, "2013-08-27") if e.type == "agreement" and e.date] == [
        "2013-05-26"]


@pytest.mark.parametrize("text", [
    "Boris Johnson and Leo Varadkar said on Thursday that they could see a pathway to a possible deal, after a "
    "private meeting at Thornton Manor on the Wirral.",
    "Boris Johnson and Leo Varadkar said after a private meeting at Thornton Manor on Thursday that they could "
    "see a pathway to a deal.",
])
def test_the_meeting_a_remark_came_after_was_held_that_day_by_the_speakers(brexit, text: str) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(brexit, text, "2019-10-11")
    assert [(status, day, sorted(who)) for _, status, day, who in got] == [
        ("held", "2019-10-10", ["Boris Johnson", "Leo Varadkar"])]


def test_a_meeting_spoken_of_is_proposed(uschina) -> None:  # type: ignore[no-untyped-def]
    assert [m[1] for m in _meetings(uschina, "Trump's post spoke of meeting Xi at Mar-a-Lago.", "2019-03-26")] == [
        "proposed"]


def test_a_round_extended_by_days_is_no_deadline(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "It was extended by two days, and the teams worked through Saturday and Sunday."
    assert [e for e in _events(uschina, text, "2019-02-26") if e.type == "deadline"] == []


@pytest.mark.parametrize(("text", "kind"), [
    ("The ambassadors agreed on Friday that an extension was needed, but they left its length open.", "agreement"),
    ("The bill was paused after MPs rejected its three-day timetable on October 22.", "deadline"),
])
def test_a_view_shared_and_a_vote_on_a_timetable_are_no_events(brexit, text: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert [e for e in _events(brexit, text, "2019-10-26") if e.type == kind] == []


@pytest.mark.parametrize("text", [
    "The deal rests on the proposals Boris Johnson sent to Jean-Claude Juncker on October 2.",
    "Boris Johnson sent his proposals to Jean-Claude Juncker on October 2.",
])
def test_proposals_sent_are_an_agreement_proposed(brexit, text: str) -> None:  # type: ignore[no-untyped-def]
    got = [(e.status, e.date.value if e.date else None) for e in _events(brexit, text, "2019-10-11")
           if e.type == "agreement"]
    assert got == [("proposed", "2019-10-02")]


def test_proposals_not_put_forward_are_no_agreement(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "The EU said on Thursday that the proposals did not provide a basis for a deal."
    assert [e for e in _events(brexit, text, "2019-10-04") if e.type == "agreement"] == []



@pytest.mark.parametrize(("text", "want"), [
    ("The delegations are to reconvene in Havana later this month to take up the fourth item.",
     [("talks", "scheduled", "2013-11")]),
    ("Parliament will reconvene on Monday.", []),
])
def test_delegations_reconvening_are_talks(farc, text: str, want: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert [(t, status, day) for t, status, day, _ in _meetings(farc, text, "2013-11-07")] == want


def test_a_date_asked_for_in_a_letter_is_no_deadline_in_force(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "Boris Johnson sent a letter on Saturday asking for the Article 50 period to be extended to January 31, 2020."
    assert [e for e in _events(brexit, text, "2019-10-20") if e.type == "deadline"] == []


def test_an_auxiliary_had_is_no_time_given(brexit) -> None:  # type: ignore[no-untyped-def]
    assert [e for e in _events(brexit, "Theresa May had asked for an extension until June 30.", "2019-04-01")
            if e.type == "deadline"] == []
    assert [e.date.value for e in _events(brexit, "Britain has until April 12 to decide.", "2019-04-01")
            if e.type == "deadline" and e.date] == ["2019-04-12"]


def test_a_high_level_meeting_is_not_the_negotiators_round(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("The fourth round, held from Monday to Friday this week, ended as the two before it had. The high-level "
            "meeting, at which Boris Johnson and the presidents of the EU institutions are to take stock, is "
            "expected later this month.")
    got = sorted((t, status) for t, status, _, _ in _meetings(brexit, text, "2020-06-06"))
    assert got == [("meeting", "scheduled"), ("talks", "held")]


@pytest.mark.parametrize("text", [
    "Lighthizer and Mnuchin held talks with Liu He in Beijing on Thursday and Friday. Xi received Lighthizer "
    "and Mnuchin at the Great Hall of the People on Friday afternoon.",
    "Xi received Lighthizer and Mnuchin at the Great Hall of the People on Friday afternoon. Lighthizer and "
    "Mnuchin had held talks with Liu He in Beijing on Thursday and Friday.",
])
def test_a_leader_receiving_the_negotiators_is_a_meeting_apart_from_their_round(uschina, text: str) -> None:  # type: ignore[no-untyped-def]
    got = sorted((t, day) for t, _, day, _ in _meetings(uschina, text, "2019-02-16"))
    assert got == [("meeting", "2019-02-15"), ("talks", "2019-02-14/2019-02-15")]


def test_the_third_time_this_year_is_how_often_not_when(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "Trump received Liu in the Oval Office, with Lighthizer and Mnuchin beside him, for the third time this year."
    assert [day for _, _, day, _ in _meetings(uschina, text, "2019-04-06")] == [None]
