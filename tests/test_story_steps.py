"""What a feed's next item says about a round already known (issue 9, session 9), sentence by sentence:
a trip not made, a round put off, people held captive, the sides of a round and its helpers, a round a
trip is for. Found by two stories written for this session and scored on first reading
(farc alzate-suspension-2014, uschina summer-2018-rounds); each text is written for its test."""

from __future__ import annotations

import pytest

from tests.extracting import events_of, meetings_of, show


def _meetings(extractor, text: str, published: str) -> list[tuple[str, str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return show(meetings_of(extractor, text, published))


@pytest.mark.parametrize("text", [
    "Juan Manuel Santos did not travel to Havana on Monday.",
    "The two delegations did not meet in Havana on Monday.",
])
def test_a_meeting_denied_is_none(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _meetings(farc, text, "2014-11-18") == []


@pytest.mark.parametrize("text", [
    "The talks will not resume until the captives are freed.",
    "The round will not open before then.",
    "The talks, held in Cuba since 2012, were to have resumed this week.",
])
def test_a_round_put_off_is_postponed(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    lead = "The delegations were due back in Havana this week for a new round. "
    assert [m[1] for m in _meetings(farc, lead + text, "2014-11-17")] == ["postponed"]


@pytest.mark.parametrize("text", [
    "The FARC is also holding two soldiers captured in Arauca on November 9.",
    "General Ruben Dario Alzate and his two companions are still held in Choco.",
    "Juan Manuel Santos said on Monday that the conditions he had set had been met.",
])
def test_people_held_and_conditions_met_are_no_meeting(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _meetings(farc, text, "2014-11-26") == []


def test_ending_a_suspension_is_one_suspension_lifted(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("Juan Manuel Santos said on Monday that the negotiators were returning to Havana, ending the suspension "
            "of the peace talks he ordered on November 16.")
    assert [(e.type, e.status) for e in events_of(farc, text, "2014-12-01") if e.type == "suspension"] == [
        ("suspension", "lifted")]


@pytest.mark.parametrize("text", [
    "The two delegations opened talks in Havana on Monday, with Cuba and Norway as guarantors.",
    "The two delegations opened talks in Hurdal, north of Oslo, on Monday, with Norwegian and Cuban diplomats present.",
])
def test_helpers_and_points_on_the_map_are_no_sides(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    talks = [e for e in events_of(farc, text, "2012-10-16") if e.type in {"talks", "meeting"}]
    assert talks and not {"Cuba", "Norway"} & set(talks[0].parties)


def test_a_capital_speaking_is_a_side(farc) -> None:  # type: ignore[no-untyped-def]
    talks = [e for e in events_of(farc, "Talks between Bogota and the FARC opened in Havana on Monday.", "2012-10-16")
             if e.type in {"talks", "meeting"}]
    assert talks and "Colombia" in talks[0].parties


@pytest.mark.parametrize("text, day", [
    ("The team led by Humberto de la Calle would go back to Havana to take up the talks again.", None),
    ("Humberto de la Calle will return to Havana next week to resume the talks.", "2014-W50"),
    ("Humberto de la Calle flew to Havana on Monday to resume the talks.", "2014-12-01"),
])
def test_a_round_a_trip_is_for_is_where_the_trip_goes(farc, text: str, day: str | None) -> None:  # type: ignore[no-untyped-def]
    got = [(e.date.value if e.date else None, e.location, e.participants)
           for e in events_of(farc, text, "2014-12-02") if e.type in {"talks", "meeting", "visit"}]
    assert got == [(day, "Havana", ["Humberto de la Calle"])]


def test_a_headline_and_its_lead_tell_one_round(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("Colombia and FARC rebels formally open peace talks in Norway\n\n"
            "HURDAL, Norway, Oct 18 (Wire) - Negotiators for the Colombian government and the FARC formally opened "
            "peace talks on Thursday at a conference hotel in Hurdal, a village north of Oslo.")
    assert _meetings(farc, text, "2012-10-18") == [("talks", "held", "2012-10-18", "Hurdal")]


@pytest.mark.parametrize("text, value", [
    ("Saturday and Sunday, June 2 and 3", "2018-06-02/2018-06-03"),
    ("Saturday and Sunday, June 2", "2018-06-02/2018-06-03"),  # the model's entity stops before "and 3"
    ("Thursday and Friday, May 17", "2018-05-17/2018-05-18"),
])
def test_weekdays_then_their_dates_are_those_dates(text: str, value: str) -> None:
    from datetime import date

    from bot.extract.timex import normalize

    timex = normalize(text, anchor=date(2018, 5, 30))
    assert timex is not None and timex.value == value


# --- session 10: three more stories written for the session and scored on first reading
# (brexit spring-2020-rounds-virus, iran implementation-talks-winter-2013, uschina autumn-2019-october-round)


@pytest.mark.parametrize("text", [
    "Brexit talks to restart by video on Monday as negotiators agree three rounds",  # a headline's 'to': still to come
    "Negotiations on the future relationship will restart on Monday.",
    "Negotiators said the talks will reconvene on Monday.",
])
def test_talks_to_restart_are_set(brexit, text: str) -> None:  # type: ignore[no-untyped-def]
    # published on a Thursday: Monday is the one to come, not the one gone
    assert _meetings(brexit, text, "2020-04-16") == [("talks", "scheduled", "2020-04-20", None)]


@pytest.mark.parametrize(("text", "when"), [
    ("The round of April 20-24 ended without progress.", "2020-04-20/2020-04-24"),
    ("The fourth round, held from Monday to Friday this week, ended without progress.", "2020-06-01/2020-06-05"),
])
def test_a_round_named_by_its_days_was_held(brexit, text: str, when: str) -> None:  # type: ignore[no-untyped-def]
    assert _meetings(brexit, text, "2020-06-06") == [("talks", "held", when, None)]


def test_another_bodys_summit_with_one_side_there_is_none_of_the_talks(uschina) -> None:  # type: ignore[no-untyped-def]
    one_side = "President Donald Trump closed the Group of Seven summit in Biarritz on Monday, saying China wanted a deal."
    assert _meetings(uschina, one_side, "2019-08-27") == []
    both = "Donald Trump and Xi Jinping met at the G20 summit in Osaka on Saturday."
    assert _meetings(uschina, both, "2019-07-01") == [("summit", "held", "2019-06-29", "Osaka")]


@pytest.mark.parametrize("text", ["October 1 is now the date the negotiators have to beat.",
                                  "For the markets, October 1 is the date to beat."])
def test_the_date_to_beat_is_a_deadline(uschina, text: str) -> None:  # type: ignore[no-untyped-def]
    deadlines = [(e.status, e.date.value if e.date else None) for e in events_of(uschina, text, "2019-08-27")
                 if e.type == "deadline"]
    assert deadlines == [("active", "2019-10-01")]


def test_a_rounds_ordinal_is_no_day(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "The round, the 13th at this level since the talks began, will be held in Washington in early October."
    assert _meetings(uschina, text, "2019-09-06") == [("talks", "scheduled", "2019-10", "Washington")]
    assert _meetings(uschina, "Talks could resume in Washington on the 20th.", "2019-09-06") == [
        ("talks", "proposed", "2019-09-20", "Washington")]


@pytest.mark.parametrize("text", [
    "Iran pulled its negotiators out of the expert-level talks in Vienna on Friday.",
    "The Iranian delegation walked out of the talks in Vienna on Friday.",
])
def test_pulling_a_team_out_of_the_talks_suspends_them(iran, text: str) -> None:  # type: ignore[no-untyped-def]
    found = [(e.type, e.status, e.date.value if e.date else None, e.location) for e in events_of(iran, text, "2013-12-14")]
    assert found == [("suspension", "in_effect", "2013-12-13", "Vienna")], found


def test_a_boycott_ended_is_a_suspension_lifted_and_agreeing_to_return_no_deal(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("GENEVA — Iran is sending its experts back to the talks, ending the boycott it began last week. "
            "Abbas Araghchi said on Wednesday that Tehran had agreed to return after receiving assurances.")
    found = [(e.type, e.status) for e in events_of(iran, text, "2013-12-18") if e.type in {"suspension", "agreement"}]
    assert found == [("suspension", "lifted")], found


def test_the_meeting_a_deal_was_made_at_is_of_its_day_and_people(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "The truce that Donald Trump and Xi Jinping agreed over dinner in Buenos Aires on Dec. 1 runs for 90 days."
    found = {e.type: (e.date.value if e.date else None, e.location, sorted(e.participants))
             for e in events_of(uschina, text, "2019-02-15") if e.type in {"agreement", "summit", "meeting"}}
    both = ["Donald Trump", "Xi Jinping"]
    assert found == {"agreement": ("2018-12-01", "Buenos Aires", both), "summit": ("2018-12-01", "Buenos Aires", both)}


def test_leaving_nothing_suspends_nothing(iran) -> None:  # type: ignore[no-untyped-def]
    # one trigger word for withdraw/pull/walk (a dictionary lookup, not a Matcher pattern): only going out
    # of something is a suspension
    text = "Iran withdrew its objection to the talks in Vienna on Friday."
    assert [e.type for e in events_of(iran, text, "2013-12-14") if e.type == "suspension"] == []
