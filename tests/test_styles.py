"""Readings found on articles written in the styles a dev split lacked (brief, timeline, column,
analysis, digest, feature; issue 9, session 7): each rule is general, each test uses its own text."""

from __future__ import annotations

from datetime import date

import pytest

from tests.extracting import events_of as _events


@pytest.mark.parametrize("text", [
    "Japan has put on hold the summit it had planned for December, officials in Tokyo said on Monday.",
    "Tokyo puts December summit with Moscow on hold.\n\nThe foreign ministry gave no reason.",
])
def test_a_meeting_put_on_hold_is_postponed(extractor, text: str) -> None:  # type: ignore[no-untyped-def]
    summits = [e for e in _events(extractor, text, "2000-10-02") if e.type == "summit"]
    assert [e.status for e in summits] == ["postponed"]


def test_the_trackers_subject_is_no_place(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "European Union leaders will hold a special Brexit summit in November, Donald Tusk said on Thursday."
    summits = [e for e in _events(brexit, text, "2018-10-18") if e.type == "summit"]
    assert [(e.status, e.location) for e in summits] == [("scheduled", None)]


CHRONOLOGY = """How the year went: a chronology

Six months of diplomacy have left the territorial question where it was. The main steps:

September 3, 2000
President Vladimir Putin arrives in Tokyo for a three-day visit, the first by a Russian leader in years.

October 17
Foreign Minister Yohei Kono holds talks with Igor Ivanov in Moscow.

December 20
The Duma votes down the agreement on joint economic activity by a wide margin.

January 12, 2001
Mori and Putin agree by telephone to meet in the spring.

March 25
Putin and Prime Minister Yoshiro Mori hold a summit in Irkutsk.
"""


def test_a_chronologys_date_headings_date_the_entries_under_them_with_the_year_carried(extractor) -> None:  # type: ignore[no-untyped-def]
    events = _events(extractor, CHRONOLOGY, "2002-02-15")  # a year on: "October 17" is not last October
    dated = {(e.type, e.date.value if e.date else None, e.location) for e in events}
    assert ("visit", "2000-09-03", "Tokyo") in dated
    assert ("meeting", "2000-10-17", "Moscow") in dated or ("talks", "2000-10-17", "Moscow") in dated
    assert ("summit", "2001-03-25", "Irkutsk") in dated
    summit = next(e for e in events if e.type == "summit" and e.location == "Irkutsk")
    assert summit.status == "held"


def test_a_deal_an_entry_only_talks_about_was_not_made_that_day(extractor) -> None:  # type: ignore[no-untyped-def]
    events = _events(extractor, CHRONOLOGY, "2001-03-30")
    assert not [e for e in events if e.type == "agreement" and e.date and e.date.value == "2000-12-20"]


@pytest.mark.parametrize(("text", "day"), [
    ("Officials in Tokyo said the draft had to be ready by May 15, before the foreign ministers meet.", "2001-05-15"),
    ("Japan and Russia agreed in Moscow on Tuesday to draw up a list of joint projects by June 30.", "2001-06-30"),
    ("Ivanov told reporters that as far as Moscow was concerned, May 20 was a firm deadline.", "2001-05-20"),
    ("The negotiators have until July 20, when the current fishing arrangement lapses.", "2001-07-20"),
    ("The Foreign Ministry said the joint statement would be published by April 30.", None),
])
def test_a_day_someone_is_held_to_is_a_deadline(extractor, text: str, day: str | None) -> None:  # type: ignore[no-untyped-def]
    deadlines = [e.date.value if e.date else None for e in _events(extractor, text, "2001-04-10") if e.type == "deadline"]
    assert deadlines == ([day] if day else [])


def test_a_country_due_to_leave_on_a_day_is_a_deadline_though_the_parse_loses_its_subject(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "The EU wants the divorce terms settled by October, with Britain due to leave on March 29 next year."
    deadlines = sorted(e.date.value for e in _events(brexit, text, "2018-07-09") if e.type == "deadline" and e.date)
    assert deadlines == ["2018-10", "2019-03-29"]


def test_days_ago_dates_a_meeting_even_where_the_model_misses_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("I have learned to distrust any promise made over dessert, and the one Putin and Mori made in Irkutsk is "
            "no exception.\n\nEleven days ago the two leaders sat down to dinner at a hotel in the Siberian city and came "
            "away with a promise: no new fishing quotas on January 1, and talks on everything else.")
    meetings = [e for e in _events(extractor, text, "2001-04-05") if e.type in {"meeting", "summit"}]
    assert [e.date.value if e.date else None for e in meetings] == ["2001-03-25"]


def test_what_a_meeting_was_hoped_to_bring_does_not_make_it_a_proposal(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Russian officials told Yoshiro Mori on Sunday that the islands were not for sale, a blunt rebuff at a "
            "summit in Irkutsk the Japanese prime minister had hoped would give the talks fresh momentum.")
    summits = [e for e in _events(extractor, text, "2001-03-27") if e.type == "summit"]
    assert [(e.status, e.location) for e in summits] == [("held", "Irkutsk")]


def test_a_tour_told_by_its_stops_is_one_meeting_per_stop_with_its_own_company(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("Boris Johnson visits two capitals on Monday: breakfast with Leo Varadkar in Dublin, then talks with "
            "Jean-Claude Juncker and Michel Barnier in Luxembourg.")
    events = _events(brexit, text, "2019-09-16")
    stops = sorted((e.location, tuple(sorted(e.participants))) for e in events if e.type in {"meeting", "talks", "summit"})
    assert stops == [("Dublin", ("Boris Johnson", "Leo Varadkar")),
                     ("Luxembourg", ("Boris Johnson", "Jean-Claude Juncker", "Michel Barnier"))]
    assert not [e for e in events if e.type == "visit"], "the journey is told by its stops"
    assert {e.date.value if e.date else None for e in events} == {"2019-09-16"}, "on the journey's day"


def test_a_sentence_with_no_event_still_gives_the_day_of_the_remarks_after_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Kono's week of diplomacy ended on Saturday.\n\nThe week began in Moscow on Wednesday. Standing beside "
            "Kono at the Kremlin, Igor Ivanov said the two sides could still sign a peace treaty.")
    said = [e for e in _events(extractor, text, "2000-11-04") if e.type == "statement" and "Igor Ivanov" in e.participants]
    assert [e.date.value if e.date else None for e in said] == ["2000-11-01"]


def test_a_group_of_countries_is_no_place_and_a_day_goes_to_what_the_verb_was_done_with(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("Boris Johnson ended his first week of summitry on Sunday with a meeting with Donald Tusk on the margins "
            "of the G7 summit in Biarritz.")
    meetings = [e for e in _events(brexit, text, "2019-08-26") if e.type in {"meeting", "summit"}
                and "Donald Tusk" in e.participants]
    assert [(e.location, e.date.value if e.date else None) for e in meetings] == [("Biarritz", "2019-08-25")]


def test_the_day_of_a_verb_goes_to_the_meeting_it_was_done_with(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Yohei Kono ended his first week of Asian diplomacy on Sunday with a meeting with Igor Ivanov in Bangkok."
    meetings = [e for e in _events(extractor, text, "2000-07-31") if e.type in {"meeting", "talks"}]
    assert [(e.location, e.date.value if e.date else None) for e in meetings] == [("Bangkok", "2000-07-30")]


DIGEST = """Morning briefing: Tokyo and Moscow set a date; Clinton to Hanoi; the markets

Wednesday, November 1. Three stories to start the day.

1. Kono heads for Moscow
Foreign Minister Yohei Kono will hold talks with Igor Ivanov in Moscow on Friday on the peace treaty, the
ministry said.

2. Clinton to visit Hanoi
President Bill Clinton will hold talks with Vietnamese leaders in Hanoi on November 17, the first visit by
an American president since the war, the White House said.

3. Markets slip
Asian shares fell for a third day.
"""


def test_a_digests_items_about_other_news_tell_no_events(extractor) -> None:  # type: ignore[no-untyped-def]
    events = _events(extractor, DIGEST, "2000-11-01")
    meetings = sorted((e.type, e.location) for e in events if e.type in {"meeting", "talks", "summit", "visit"})
    assert meetings in ([("talks", "Moscow")], [("meeting", "Moscow")]), meetings


def test_the_round_told_again_by_its_opening_day_is_that_round(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Three days of talks in Moscow on a peace treaty between Japan and Russia ended on Thursday without a "
            "breakthrough. The round opened on Tuesday, a day after the two delegations arrived.")
    talks = [e for e in _events(extractor, text, "2000-11-03") if e.type in {"talks", "meeting"}]
    assert [(e.date.value if e.date else None, e.location) for e in talks] == [("2000-10-31/2000-11-02", "Moscow")]


def test_a_remark_in_a_participle_is_made_where_its_verb_was_done(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("On Tuesday, at a ceremony at the prime minister's office in Tokyo, Yoshiro Mori extended the fishing "
            "arrangement by a year, saying the islands question would not be settled quickly.")
    said = [e for e in _events(extractor, text, "2000-11-08") if e.type == "statement"]
    assert [e.location for e in said] == ["Tokyo"]


def test_shelved_plans_for_a_meeting_call_the_meeting_off(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The Kremlin has shelved plans for a summit with Japan in Irkutsk in March, officials said on Monday."
    summits = [e for e in _events(extractor, text, "2001-01-15") if e.type == "summit"]
    assert [e.status for e in summits] in (["cancelled"], ["postponed"])


def test_a_transcripts_turns_are_no_digest_items(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Kono and Ivanov: excerpts\n\nThe two ministers spoke to reporters in Moscow on Friday.\n\n"
            "KONO: We agreed to speed up the work.\n\nQUESTION: Will you meet again?\n\n"
            "IVANOV: We will meet in Tokyo next month.\n\nQUESTION: And the islands?\n\nKONO: We talked about them.\n")
    said = {p for e in _events(extractor, text, "2000-11-04") if e.type == "statement" for p in e.participants}
    assert said == {"Yohei Kono", "Igor Ivanov"}


def test_talks_extended_into_a_day_went_on_to_that_day(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Peace treaty talks between Japan and Russia in Moscow were extended into Saturday, officials said."
    talks = [e for e in _events(extractor, text, "2000-11-04") if e.type in {"talks", "meeting"}]
    assert [e.date.value if e.date else None for e in talks] == ["2000-11-04"]


def test_a_week_ago_today_is_a_day_and_a_plan_that_fell_through_is_called_off(extractor) -> None:  # type: ignore[no-untyped-def]
    from bot.extract.timex import normalize

    said = normalize("A week ago today", anchor=date(2015, 3, 10), tense="past")
    assert said is not None and (said.value, said.granularity) == ("2015-03-03", "day")
    text = "The plan to hold a summit in Irkutsk in the spring fell through, officials in Tokyo said on Monday."
    summits = [e for e in _events(extractor, text, "2001-06-04") if e.type == "summit"]
    assert [e.status for e in summits] == ["cancelled"]


def test_a_deal_a_modal_clause_needs_by_a_day_sets_a_deadline_and_months_of_talks_are_no_round(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Only a breakthrough before Friday could now save the Brunei meeting. Igor Ivanov said on Monday that "
            "Tokyo had backed away from commitments it made during months of negotiations.")
    events = _events(extractor, text, "2000-11-06")
    assert [e.date.value if e.date else None for e in events if e.type == "deadline"] == ["2000-11-10"]
    assert not [e for e in events if e.type == "talks"]


def test_talks_told_inside_a_remark_are_not_of_the_remarks_day(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Igor Ivanov had said on Sunday that the peace treaty talks were moving too slowly."
    events = _events(extractor, text, "2000-11-06")
    assert [e.date.value if e.date else None for e in events if e.type == "statement"] == ["2000-11-05"]
    assert not [e for e in events if e.type in {"talks", "meeting"} and e.date and e.date.value == "2000-11-05"]


def test_a_road_map_signed_the_same_day_is_not_the_deal(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Japan and Russia reached a deal on the peace treaty in Irkutsk on Sunday. Officials of the two "
            "fisheries agencies signed a road map on inspections around the islands in Irkutsk on Sunday.")
    papers = [e for e in _events(extractor, text, "2001-03-26") if e.type == "agreement"]
    assert len(papers) == 2, papers


def test_two_pairs_signing_on_one_day_signed_two_papers(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Vladimir Putin and Yoshiro Mori signed a statement on the peace treaty in Irkutsk on Sunday. Yohei Kono "
            "and Igor Ivanov signed an accord on fishing around the islands in Irkutsk on Sunday.")
    papers = [sorted(e.participants) for e in _events(extractor, text, "2001-03-26") if e.type == "agreement"]
    assert sorted(papers) == [["Igor Ivanov", "Yohei Kono"], ["Vladimir Putin", "Yoshiro Mori"]], papers


def test_a_european_council_is_a_summit_and_its_president_is_not(brexit) -> None:  # type: ignore[no-untyped-def]
    held = _events(brexit, "At a European Council in Brussels on Thursday, the 27 leaders backed the deal.", "2018-12-15")
    assert [(e.type, e.location) for e in held if e.type == "summit"] == [("summit", "Brussels")]
    titles = _events(brexit, "European Council President Donald Tusk said in Brussels on Friday that the door "
                     "remained open.", "2019-03-23")
    assert not [e for e in titles if e.type == "summit"]


def test_a_session_that_had_ended_in_a_month_was_last_that_month(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The peace treaty talks, whose last session in Moscow in April had ended as the previous ones had, were "
            "going nowhere, diplomats in Tokyo said.")
    talks = [e for e in _events(extractor, text, "2000-12-01") if e.type in {"talks", "meeting"}]
    assert [e.date.value if e.date else None for e in talks] == ["2000-04"]


def test_a_month_of_what_was_agreed_to_be_done_is_the_nearest(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "On Monday the two sides agreed to hold their next round of peace treaty talks in Moscow in early January."
    talks = [e for e in _events(extractor, text, "2000-12-20") if e.type in {"talks", "meeting"} and e.date]
    assert {e.date.value for e in talks if e.date} == {"2001-01"}


MONITOR = """Treaty talks monitor: two capitals in a week

Our weekly round-up of the Japan-Russia negotiations. Saturday, November 4.

Monday-Tuesday, October 30-31: Tokyo

Deputy foreign ministers held two days of talks on the peace treaty, the first since the September summit.

Friday, November 3: Moscow

Yohei Kono arrived on Friday for two days of talks with Igor Ivanov. Kono said Mori would hold a summit with
Putin once the two sides had a text, not before.
"""


def test_a_monitors_headings_give_the_day_and_the_place_of_the_items_under_them(extractor) -> None:  # type: ignore[no-untyped-def]
    events = _events(extractor, MONITOR, "2000-11-04")
    talks = sorted((e.date.value if e.date else None, e.location) for e in events if e.type in {"talks", "meeting"})
    assert ("2000-10-30/2000-10-31", "Tokyo") in talks
    assert ("2000-11-03/2000-11-04", "Moscow") in talks, talks  # arrived on Friday for two days: from Friday
    assert not [e for e in events if e.type == "summit" and e.date and e.date.value.startswith("2000-11-03")]


def test_an_entry_naming_its_place_after_the_dash_places_its_meetings(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The week, day by day:\n\n"
            "Monday, October 30 - Tokyo. Deputy foreign ministers sat down for a day of talks on the peace treaty.\n\n"
            "Friday, November 3 - Moscow. Yohei Kono said the two sides were closer than before.\n")
    events = _events(extractor, text, "2000-11-04")
    assert [(e.date.value if e.date else None, e.location) for e in events if e.type in {"talks", "meeting"}] == \
        [("2000-10-30", "Tokyo")]
    assert [e.location for e in events if e.type == "statement"] == ["Moscow"]


def test_a_city_naming_a_venue_is_where_they_met_a_sea_is_not(extractor) -> None:  # type: ignore[no-untyped-def]
    met = _events(extractor, "Yohei Kono and Igor Ivanov sat down in a Moscow hotel on Sunday evening.", "2000-11-06")
    assert [e.location for e in met if e.type in {"meeting", "talks"}] == ["Moscow"]
    sea = _events(extractor, "Shinzo Abe met Vladimir Putin at his Black Sea residence in Sochi on Friday.", "2016-05-07")
    assert [e.location for e in sea if e.type in {"meeting", "summit", "visit"}] == ["Sochi"]


def test_the_last_summit_of_the_year_is_not_dated_the_year_and_a_conjoined_clause_keeps_its_people(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("EU leaders hold their last summit of the year in Brussels on December 10 and 11, and several diplomats "
            "believe the decisive moment will come only when Boris Johnson and Ursula von der Leyen speak, or meet, "
            "in the days before it.")
    summits = [e for e in _events(brexit, text, "2020-11-20") if e.type == "summit"]
    assert [(e.date.value if e.date else None, e.location) for e in summits] == [("2020-12-10/2020-12-11", "Brussels")]
    assert not summits[0].participants


def test_talks_extended_into_a_day_and_the_round_that_opened_earlier_are_one_round(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Peace treaty talks between Japan and Russia were extended into Saturday, officials said.\n\n"
            "The round had opened on Thursday as a two-day meeting of deputy foreign ministers.")
    talks = [e for e in _events(extractor, text, "2000-11-04") if e.type in {"talks", "meeting"}]
    assert [e.date.value if e.date else None for e in talks] == ["2000-11-02/2000-11-04"], talks


def test_a_day_counted_from_the_last_day_named_dates_the_clause_it_opens(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Igor Ivanov said on Sunday that the peace treaty talks had stalled. Two days later, in an interview "
            "with a Tokyo newspaper, Yohei Kono said Japan would wait. The next day Yoshiro Mori said the same.")
    said = {e.participants[0]: e.date.value if e.date else None
            for e in _events(extractor, text, "2000-11-09") if e.type == "statement" and e.participants}
    assert said == {"Igor Ivanov": "2000-11-05", "Yohei Kono": "2000-11-07", "Yoshiro Mori": "2000-11-08"}, said


def test_the_next_day_is_not_the_day_after_publication() -> None:
    from bot.extract.timex import normalize

    for text in ("the next day", "The following day", "two days later", "a week earlier"):
        timex = normalize(text, anchor=date(2018, 11, 27), tense="past")
        assert timex is not None and timex.value is None, (text, timex)


def test_a_monitors_day_and_place_entry_dates_and_places_its_items(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("BREXIT MONITOR: a week in two cities\n\nThe week in brief.\n\n"
            "Monday, Strasbourg. Theresa May met Jean-Claude Juncker over dinner to seek changes to the backstop.\n\n"
            "Tuesday, London. Michel Barnier said the EU had done everything it could.\n")
    events = _events(brexit, text, "2019-03-15")
    met = [(e.date.value if e.date else None, e.location) for e in events if e.type in {"meeting", "summit"}]
    assert met == [("2019-03-11", "Strasbourg")], met


def test_agreeing_to_resume_is_no_agreement(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Yohei Kono and Igor Ivanov ended two days of talks in Moscow on Friday. They agreed to resume next month in Tokyo."
    assert not [e for e in _events(extractor, text, "2000-11-04") if e.type == "agreement"]


def test_a_governments_own_cabinet_meeting_is_not_a_meeting_of_the_negotiation(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Yoshiro Mori's cabinet met for three hours in Tokyo on Tuesday to discuss the islands, and a cabinet "
            "meeting on Friday will settle Japan's line for the Brunei summit.")
    events = _events(extractor, text, "2000-11-08")
    assert not [e for e in events if e.type in {"meeting", "talks"}], events


def test_the_day_a_summit_was_called_is_not_its_day(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The Irkutsk summit had been called on February 10 by the two governments, after weeks of haggling."
    summits = [e for e in _events(extractor, text, "2001-03-20") if e.type == "summit"]
    assert not [e for e in summits if e.date and e.date.value == "2001-02-10"], summits


def test_the_summit_of_a_day_is_the_nearest_such_day(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Japan is due to reply by March 31, the date set at the summit of November 15 in Brunei."
    summits = [e for e in _events(extractor, text, "2000-12-20") if e.type == "summit"]
    assert [e.date.value if e.date else None for e in summits] == ["2000-11-15"], summits


def test_a_delay_someone_is_to_ask_for_moves_no_deadline(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("A law passed last week requires Boris Johnson to ask the EU to delay Britain's departure until "
            "January 31 if MPs have not approved a deal by October 19.")
    deadlines = [e.date.value for e in _events(brexit, text, "2019-09-10") if e.type == "deadline" and e.date]
    assert "2020-01-31" not in deadlines, deadlines
