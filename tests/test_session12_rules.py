"""Rules found through the fresh stories of session 12 (issue 9): calls ('spoke by telephone', 'a phone
call on September 5') are meetings held nowhere, and never the meeting in person told beside them.
Each text is written for its test."""

from __future__ import annotations

import pytest

from tests.extracting import events_of as _events


def _meetings(extractor, text: str, published: str) -> list[tuple[str, str, str | None, str | None, list[str]]]:  # type: ignore[no-untyped-def]
    return [(e.type, e.status, e.date.value if e.date else None, e.location, sorted(e.participants))
            for e in _events(extractor, text, published) if e.type in {"meeting", "summit", "talks", "visit"}]


@pytest.mark.parametrize("sentence", [
    "Vice Premier Liu He spoke by telephone with Robert Lighthizer and Steven Mnuchin on Thursday.",
    "Liu He held a phone call with Robert Lighthizer and Steven Mnuchin on Thursday.",
    "Liu He and Robert Lighthizer and Steven Mnuchin talked by video link on Thursday.",
])
def test_a_call_is_a_meeting_held_nowhere(uschina, sentence: str) -> None:  # type: ignore[no-untyped-def]
    # the dateline names where the report was written, not where the call was
    got = _meetings(uschina, "BEIJING \u2014 " + sentence, "2019-09-13")
    assert got == [("meeting", "held", "2019-09-12", None, ["Liu He", "Robert Lighthizer", "Steven Mnuchin"])]


def test_who_spoke_on_the_call_are_its_people(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("The two governments have been edging back toward the table since a phone call on September 5, "
            "Beijing time, in which Liu spoke with Lighthizer and Mnuchin.")
    got = _meetings(uschina, "Liu He, Robert Lighthizer and Steven Mnuchin lead the talks. " + text, "2019-09-13")
    assert ("meeting", "held", "2019-09-05", None, ["Liu He", "Robert Lighthizer", "Steven Mnuchin"]) in got


def test_a_call_for_something_is_no_call(farc) -> None:  # type: ignore[no-untyped-def]
    text = "In Havana, Ivan Marquez renewed the rebels' call for a bilateral ceasefire on Tuesday."
    assert _meetings(farc, text, "2014-11-20") == []


def test_leaders_on_the_phone_hold_no_summit(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("WASHINGTON \u2014 President Donald Trump and President Xi Jinping spoke by telephone on Thursday, "
            "November 1. Xi said he was ready to meet Trump in Buenos Aires at the end of the month.")
    got = _meetings(uschina, text, "2018-11-02")
    assert ("meeting", "held", "2018-11-01", None, ["Donald Trump", "Xi Jinping"]) in got
    assert not any(status == "held" and place == "Buenos Aires" for _, status, _, place, _ in got)


def test_talks_resumed_a_day_after_a_call_are_not_the_call(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("The negotiating teams resumed their talks in Brussels on Sunday, a day after Boris Johnson and "
            "Ursula von der Leyen spoke by telephone.")
    got = _meetings(brexit, text, "2020-12-07")
    assert ("talks", "held", "2020-12-06", "Brussels", []) in [g[:4] + ([],) for g in got]
    assert not any(t == "summit" for t, *_ in got)


@pytest.mark.parametrize(("text", "published", "span"), [
    ("Negotiators will meet in Geneva on October 15 and 16 for a full round.", "2013-09-27", "2013-10-15/2013-10-16"),
    ("Liu He will hold talks in Washington from Tuesday, May 15, to Saturday, May 19.", "2018-05-14",
     "2018-05-15/2018-05-19"),
])
def test_two_days_told_apart_are_one_sitting(iran, text: str, published: str, span: str) -> None:  # type: ignore[no-untyped-def]
    # the model makes "October 15" and "16" two dates, and "Tuesday, May 15" and "Saturday, May 19" two
    assert [day for _, _, day, _, _ in _meetings(iran, text, published)] == [span]


def test_two_days_far_apart_are_no_sitting(iran) -> None:  # type: ignore[no-untyped-def]
    text = "Negotiators will meet in Geneva on October 15 and in Vienna on November 18."
    assert all("/" not in (day or "") for _, _, day, _, _ in _meetings(iran, text, "2013-09-27"))


def _types(extractor, text: str, published: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(e.type, e.status) for e in _events(extractor, text, published) if e.type != "statement"]


def test_a_suspension_only_wanted_is_none(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("The six want Iran to halt enrichment to 20 percent and suspend work at Fordow in exchange for "
            "limited sanctions relief.")
    assert ("suspension", "in_effect") not in _types(iran, text, "2013-09-24")


def test_a_suspension_threatened_is_none(farc) -> None:  # type: ignore[no-untyped-def]
    text = "On Monday the FARC threatened to suspend the talks in Havana if the bombing went on."
    assert ("suspension", "in_effect") not in _types(farc, text, "2015-05-26")


def test_a_course_named_by_a_gerund_is_no_suspension(farc) -> None:  # type: ignore[no-untyped-def]
    text = "Zuluaga came first on May 25, on a platform of halting the talks and dictating the terms of any resumption."
    assert ("suspension", "in_effect") not in _types(farc, text, "2014-06-01")


def test_a_suspension_done_is_still_one(farc) -> None:  # type: ignore[no-untyped-def]
    text = "On Monday the government suspended the talks in Havana after the general's capture."
    assert ("suspension", "in_effect") in _types(farc, text, "2014-11-18")


def test_a_meeting_that_did_not_take_place_was_not_held(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("On Tuesday an informal encounter between President Barack Obama and President Hassan Rouhani "
            "that the White House had offered did not take place.")
    assert [status for t, status in _types(iran, text, "2013-09-26")] == ["cancelled"]


def test_no_dinner_going_to_settle_it_is_no_dinner_called_off(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "Michel Barnier dined in Downing Street on July 7. No dinner at Number 10 was ever going to settle fish."
    assert "cancelled" not in [status for _, status in _types(brexit, text, "2020-07-24")]


def test_an_elections_first_round_is_no_round_of_talks(farc) -> None:  # type: ignore[no-untyped-def]
    text = "In the first round, on May 25, Zuluaga came first with about 29 percent to 26 percent for Santos."
    assert _types(farc, text, "2014-06-01") == []


@pytest.mark.parametrize("text", [
    "Negotiators would meet in Geneva on October 15 and 16 for the first full round since Almaty in April.",
    "Officials said the negotiations, on hold since Iran's election in June, would restart in Geneva on October 15.",
])
def test_a_date_in_a_since_phrase_is_no_date_of_the_round_to_come(iran, text: str) -> None:  # type: ignore[no-untyped-def]
    # April and June are where the wait began, in the past: no round next April or next June
    got = _meetings(iran, text, "2013-09-27")
    assert got and all(day and day.startswith("2013-10") for _, _, day, _, _ in got)


def test_leaders_due_to_meet_hold_a_summit(brexit) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(brexit, "EU leaders are due to meet in Brussels on October 15 and 16.", "2020-09-11")
    assert got == [("summit", "scheduled", "2020-10-15/2020-10-16", "Brussels", [])]


def test_not_agreeing_is_no_agreement(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "Trump said on Friday he had not agreed to anything of the kind."
    assert [t for t, _ in _types(uschina, text, "2019-11-09")] == []


def test_no_such_meeting_is_no_meeting(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("Tuesday, Jan. 22 \u2014 A denial\n\nLarry Kudlow told a television interviewer the same afternoon that "
            "the story was untrue and that no such meeting had ever been scheduled.")
    assert _meetings(uschina, text, "2019-01-26") == []


def test_paragraphs_under_a_titled_day_heading_are_of_that_day() -> None:
    from bot.extract.layout import entries, paragraphs_of

    text = ("Our weekly round-up.\n\nTuesday, Jan. 22 \u2014 A meeting that was, or wasn't\n\n"
            "Kudlow said the same afternoon that the story was untrue.\n\nThe markets fell.\n\n"
            "Next week\n\nLiu He is due in Washington.")
    dates, _ = entries(text, paragraphs_of(text))
    assert [dates.get(i) for i in range(6)] == [None, "Tuesday, Jan. 22", "Tuesday, Jan. 22", "Tuesday, Jan. 22",
                                                None, None]


def test_a_remark_under_a_titled_day_heading_is_of_that_day(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("Our weekly round-up of the trade talks. Saturday, January 26, 2019.\n\nTuesday, Jan. 22 \u2014 A denial\n\n"
            "Larry Kudlow told a television interviewer the same afternoon that the story was untrue.\n\n"
            "Thursday, Jan. 24 \u2014 Miles and miles\n\n"
            "Hours before the announcement, Commerce Secretary Wilbur Ross told CNBC that the two sides were "
            "still miles and miles away from a deal.")
    got = [(e.date.value if e.date else None, e.participants) for e in _events(uschina, text, "2019-01-26")
           if e.type == "statement"]
    assert got == [("2019-01-22", ["Larry Kudlow"]), ("2019-01-24", ["Wilbur Ross"])]


def test_an_entrys_day_is_not_a_round_dated_in_its_own_sentence(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("Thursday, Jan. 24 \u2014 Dates for Liu\n\nThe commerce ministry said Vice Premier Liu He would visit "
            "Washington on Jan. 30 and 31 at the invitation of the American side for the next round of consultations. "
            "U.S. Trade Representative Robert Lighthizer will lead the U.S. team.")
    got = _meetings(uschina, text, "2019-01-26")
    assert [(status, day) for _, status, day, _, _ in got] == [("scheduled", "2019-01-30/2019-01-31")]


@pytest.mark.parametrize(("text", "arranged"), [
    ("Michel Barnier and David Frost agreed on Thursday to suspend their talks for a while.", True),
    ("Raab and Barnier agreed on Thursday to see each other regularly once the talks resumed.", True),
    ("Xinhua said on Friday the two sides had made new progress and agreed on the next steps.", True),
    ("The two sides agreed on Friday that they would start drafting the text of a final agreement at their next meeting.",
     True),
    # a finding about the talks, not how they go on: the leaders' decision to move on
    ("The leaders of the 27 agreed on Friday that the negotiations had made sufficient progress.", False),
    # what a deal does
    ("The two sides agreed on Friday to lift the sanctions during the talks.", False),
])
def test_an_agreement_on_the_talks_themselves_is_an_arrangement(brexit, text: str, arranged: bool) -> None:  # type: ignore[no-untyped-def]
    deals = [e for e in _events(brexit, text, "2020-11-21") if e.type == "agreement"]
    assert deals and all(e.arrangement == arranged for e in deals)


def test_the_one_an_agency_quoted_as_saying_made_the_remark(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("Trump said afterwards that the call went very well, and Xinhua quoted Xi as saying he hoped the two "
            "sides would meet each other halfway.")
    got = sorted(p for e in _events(uschina, text, "2019-01-10") if e.type == "statement" for p in e.participants)
    assert got == ["Donald Trump", "Xi Jinping"]


def test_the_weekday_a_summit_was_called_off_is_not_its_date(uschina) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(uschina, "Pinera called the summit off on Wednesday because of the protests.", "2019-11-01")
    assert all(day is None for _, _, day, _, _ in got)


@pytest.mark.parametrize("text", ["The minister called off the March 3 talks.", "The talks of March 3 were postponed."])
def test_talks_called_off_are_the_nearest_ones_of_that_day(uschina, text: str) -> None:  # type: ignore[no-untyped-def]
    # the issue's own example: a past-tense verb, an event still to come
    assert [day for _, _, day, _, _ in _meetings(uschina, text, "2019-02-20")] == ["2019-03-03"]


def test_a_trip_told_in_the_present_for_this_week_is_still_to_come(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "Robert Lighthizer and Steven Mnuchin fly to Beijing this week for talks with Vice Premier Liu He."
    got = _meetings(uschina, text, "2019-03-25")
    assert got and all(status == "scheduled" for _, status, _, _, _ in got)


def test_calls_to_suspend_the_talks_suspend_nothing(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("Weeks of attacks on pipelines and power lines followed and the calls to suspend the talks grew louder, "
            "until Cuba and Norway, the guarantors, appealed for de-escalation on July 7.")
    assert ("suspension", "in_effect") not in _types(farc, text, "2015-07-27")


def test_steps_to_end_a_war_are_a_deal_not_an_arrangement(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("The government and the FARC agreed on Sunday on steps to scale down their war and speed up the peace "
            "talks.")
    deals = [e for e in _events(farc, text, "2015-07-13") if e.type == "agreement"]
    assert deals and not any(e.arrangement for e in deals)


def test_a_round_that_is_to_be_held_lies_ahead(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "The second negotiating round is to be held in Brussels in the week of July 17."
    assert _meetings(brexit, text, "2017-06-20") == [("talks", "scheduled", "2017-W29", "Brussels", [])]


def test_the_last_day_left_a_bare_number_is_still_the_sittings(brexit) -> None:  # type: ignore[no-untyped-def]
    # the model tags "18" a cardinal, outside the date "October 17"
    got = _meetings(brexit, "EU leaders meet in Brussels on October 17 and 18 for the European Council.", "2019-08-02")
    assert [day for _, _, day, _, _ in got] == ["2019-10-17/2019-10-18"]


def test_talks_that_will_run_take_the_days_and_place_of_the_running(uschina) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(uschina, "The talks will run from May 3 to 5 in Beijing.", "2018-04-28")
    assert got == [("talks", "scheduled", "2018-05-03/2018-05-05", "Beijing", [])]


def test_a_meeting_there_is_at_the_place_the_sentence_before_named(iran) -> None:  # type: ignore[no-untyped-def]
    text = "Fabius flew to Tehran on Wednesday. Mogherini is due there on Tuesday, July 28, for talks with Zarif."
    got = _meetings(iran, text, "2015-07-24")
    assert ("meeting", "scheduled", "2015-07-28", "Tehran", ["Federica Mogherini", "Mohammad Javad Zarif"]) in got


def test_an_undated_visit_there_of_nobody_named_is_no_event(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The outcome was announced in Tokyo on December 16. The leaders also agreed to make it easier for former "
            "residents of the islands to visit family graves there.")
    assert [e for e in _events(extractor, text, "2016-12-19") if e.type == "visit"] == []


def test_a_remark_told_to_an_audience_somewhere_was_made_there(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("Tusk, the European Council president, told a business conference in Brussels in the morning that there "
            "could be no frictionless trade.")
    assert _remarks_at(brexit, text, "2018-03-01") == [("Brussels", ["Donald Tusk"])]


def test_a_place_in_what_was_said_is_still_not_where_it_was_said(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "Tusk told reporters on Thursday that the talks in London had gone badly."
    assert _remarks_at(brexit, text, "2018-03-01") == [(None, ["Donald Tusk"])]


def _remarks_at(extractor, text: str, published: str) -> list[tuple[str | None, list[str]]]:  # type: ignore[no-untyped-def]
    return [(e.location, e.participants) for e in _events(extractor, text, published) if e.type == "statement"]


def test_he_said_where_the_sentence_before_put_him(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("Ali Khamenei gave his end-of-Ramadan sermon in Tehran on Saturday. Whether or not the text was approved, "
            "he said, Iran's policy towards the United States would not change.")
    assert _remarks_at(iran, text, "2015-07-20") == [("Tehran", ["Ali Khamenei"])]


def test_he_said_in_another_paragraph_is_not_placed_by_it(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("Ali Khamenei gave his end-of-Ramadan sermon in Tehran on Saturday.\n\nWhether or not the text was "
            "approved, he said on Monday, Iran's policy would not change.")
    assert [where for where, _ in _remarks_at(iran, text, "2015-07-21")] == [None]


def test_negotiators_spending_a_week_somewhere_hold_talks_there(brexit) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(brexit, "The negotiators spent the week from Monday, November 9, in London.", "2020-11-20")
    assert [(t, status, place) for t, status, _, place, _ in got] == [("talks", "held", "London")]


def test_delegations_due_back_at_the_table_are_talks_to_come(farc) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(farc, "The delegations are due back in Havana on Monday, May 25.", "2015-05-20")
    assert got == [("talks", "scheduled", "2015-05-25", "Havana", [])]


@pytest.mark.parametrize("text", ["What has been agreed so far?", "Will the two sides meet again in Havana on Monday?"])
def test_a_question_tells_nothing_done(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _types(farc, text, "2014-09-10") == []


@pytest.mark.parametrize("text", [
    "On Friday she asked for the broadest and deepest trade agreement ever struck.",
    "Economists said on Monday the figures gave Beijing one more reason to want a settlement.",
    "On Friday the prime minister said he still expected the outline of an agreement this summer.",
])
def test_a_deal_wanted_is_no_deal(brexit, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [t for t, _ in _types(brexit, text, "2020-07-10") if t == "agreement"] == []


@pytest.mark.parametrize("text", [
    "The guerrillas announced the indefinite ceasefire in December and it took effect on December 20.",
    "The truce is the same as the ceasefire that the FARC announced in Havana on Wednesday, July 8.",
])
def test_a_truce_one_side_declared_is_no_agreement(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [t for t, _ in _types(farc, text, "2015-07-27") if t == "agreement"] == []


def test_a_ceasefire_both_sides_announced_is_one(farc) -> None:  # type: ignore[no-untyped-def]
    text = "The government and the FARC announced a bilateral ceasefire in Havana on Thursday."
    assert ("agreement", "agreed") in _types(farc, text, "2016-06-25")


def test_a_round_that_lasted_days_ran_until_the_day_it_ended(iran) -> None:  # type: ignore[no-untyped-def]
    got = _meetings(iran, "The round lasted three days in Vienna and ended on Friday.", "2014-05-17")
    assert got == [("talks", "held", "2014-05-14/2014-05-16", "Vienna", [])]
