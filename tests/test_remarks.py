"""Who made a remark and when (issue 9, session 8): a tracker's roles in running text, a day told by
'that night' or 'hours later', and remarks that were never made. Each text is written for its test."""

from __future__ import annotations

import pytest

from tests.extracting import events_of as _events


def _remarks(extractor, text: str, published: str) -> list[tuple[str | None, list[str]]]:  # type: ignore[no-untyped-def]
    return [(e.date.value if e.date else None, e.participants)
            for e in _events(extractor, text, published) if e.type == "statement"]


@pytest.mark.parametrize("text", [
    "The government's chief negotiator told reporters in Havana on Friday that the land chapter was nearly closed.",
    "Speaking on Friday, the Government's chief negotiator said the land chapter was nearly closed.",
])
def test_a_role_the_tracker_gives_names_its_holder_in_running_text(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    # farc's tracker: Humberto de la Calle, roles "the government's chief negotiator", ...
    assert _remarks(farc, text, "2013-05-20") == [("2013-05-17", ["Humberto de la Calle"])]


@pytest.mark.parametrize("sep", [" ", "\n\n"])
@pytest.mark.parametrize("when", ["that night", "later that day", "hours later"])
def test_that_night_is_the_day_told_before(farc, sep: str, when: str) -> None:  # type: ignore[no-untyped-def]
    text = f"The round on land ended in Havana on Thursday.{sep}Ivan Marquez said {when} the rebels were satisfied."
    assert _remarks(farc, text, "2013-05-27") == [("2013-05-23", ["Ivan Marquez"])]


def test_the_same_day_dates_only_a_remark(brexit) -> None:  # type: ignore[no-untyped-def]
    # the day told before dates what was said 'the same day', not a word of the remark ("deal")
    text = ("Boris Johnson and Leo Varadkar agreed to meet during a telephone call on Tuesday, the same day a "
            "Downing Street source told journalists that a deal was close to impossible.")
    assert [e.type for e in _events(brexit, text, "2019-10-11") if e.type != "meeting"] == []


def test_a_remark_is_made_by_the_day_of_the_report(farc) -> None:  # type: ignore[no-untyped-def]
    # the only date is a month still to come: what the remark is about, not when it was made
    assert _remarks(farc, "Ivan Marquez warned of a long wait, pointing to March 2014.", "2013-11-10") == [
        ("2013-11-10", ["Ivan Marquez"])]


@pytest.mark.parametrize("text", [
    "Juan Manuel Santos can tell the rebels that the deal is final.",
    "The question now is whether Juan Manuel Santos says so before March.",
    "Ivan Marquez announced what he calls a truce until January 20, 2014.",
])
def test_remarks_never_made_are_no_statements(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _remarks(farc, text, "2013-11-10") == []


@pytest.mark.parametrize(("text", "kind"), [
    ("The two delegations met in Havana on Thursday. Ivan Marquez told reporters that day that the rebels were "
     "satisfied.", "statement"),
    ("The two delegations met in Havana on Thursday. On Thursday they also agreed a joint programme to clear "
     "landmines.", "agreement"),
])
def test_a_remark_or_deal_of_the_day_of_a_round_whose_people_are_untold_was_made_there(
        farc, text: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    found = [(e.date.value if e.date else None, e.location) for e in _events(farc, text, "2015-03-09") if e.type == kind]
    assert found == [("2015-03-05", "Havana")]


def test_two_places_that_day_leave_a_remark_unplaced(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("Negotiators met in Havana on Thursday. Other envoys held separate talks in Oslo on Thursday. "
            "Ivan Marquez told reporters on Thursday that the rebels were satisfied.")
    found = [(e.date.value if e.date else None, e.location) for e in _events(farc, text, "2015-03-09")
             if e.type == "statement"]
    assert found == [("2015-03-05", None)]


def test_the_two_leaders_are_those_in_office(extractor) -> None:  # type: ignore[no-untyped-def]
    # Yeltsin and Hashimoto, named last, had left office by 2000: 'the two leaders' are Putin and Mori
    text = ("President Vladimir Putin held talks with Prime Minister Yoshiro Mori in Tokyo on Monday. The treaty "
            "goal was set in 1997 by President Boris Yeltsin and Prime Minister Ryutaro Hashimoto. The two leaders "
            "will meet again in Brunei in November.")
    brunei = [e for e in _events(extractor, text, "2000-09-06") if e.location == "Brunei"]
    assert [sorted(e.participants) for e in brunei] == [["Vladimir Putin", "Yoshiro Mori"]]


@pytest.mark.parametrize("held", [
    "Putin and Mori met in Tokyo on Monday, their third meeting this year.",
    "The leaders have met twice this year.",
])
def test_a_trip_still_hoped_for_is_not_a_meeting_held_this_year(extractor, held: str) -> None:  # type: ignore[no-untyped-def]
    text = held + (" Mori's government still hopes to arrange a trip by Prime Minister Yoshiro Mori to Russia "
                   "before the end of the year.")
    russia = [(e.type, e.status) for e in _events(extractor, text, "2000-09-06") if e.location == "Russia"]
    # hoped for "before the end of the year": no day set, so proposed (session 14; it read "scheduled")
    assert russia == [("visit", "proposed")]


@pytest.mark.parametrize(("text", "status"), [
    ("They came after an awkward week in Tokyo, where reports that Mori's own visit to Russia in December had "
     "been postponed were denied by the government.", "scheduled"),
    ("Tokyo denied that Mori's visit to Russia in December had been postponed.", "scheduled"),
    ("The government rejected the plan and postponed Mori's visit to Russia in December.", "postponed"),
])
def test_a_postponement_denied_in_its_own_sentence_leaves_the_visit_on(extractor, text: str, status: str) -> None:  # type: ignore[no-untyped-def]
    visits = [e.status for e in _events(extractor, text, "2000-11-04") if e.type == "visit"]
    assert visits == [status]


def test_a_name_after_its_title_is_a_participant_whatever_the_parse(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("The 90-day truce that U.S. President Donald Trump and Chinese President Xi Jinping agreed over dinner "
            "in Buenos Aires on Saturday began that night.")
    deals = [sorted(e.participants) for e in _events(uschina, text, "2018-12-04") if e.type == "agreement"]
    assert deals == [["Donald Trump", "Xi Jinping"]]


@pytest.mark.parametrize(("text", "place"), [
    ("The Tokyo talks ended on Tuesday without agreement.", "Tokyo"),  # a party's capital is a city too
    ("The Japan summit ended on Tuesday without agreement.", None),  # a party's own name is no place
])
def test_a_capital_before_the_meeting_is_its_place(extractor, text: str, place: str | None) -> None:  # type: ignore[no-untyped-def]
    assert [e.location for e in _events(extractor, text, "2000-09-06")] == [place]


def test_an_undated_visit_is_not_other_peoples_meeting_at_that_place(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Foreign Minister Taro Kono's visit to Moscow went badly. Shinzo Abe and Vladimir Putin will meet in "
            "Moscow on January 22.")
    found = {(e.type, e.date.value if e.date else None, tuple(sorted(e.participants)))
             for e in _events(extractor, text, "2019-01-16")}
    assert ("summit", "2019-01-22", ("Shinzo Abe", "Vladimir Putin")) in found
    assert any(t == "visit" and people == ("Taro Kono",) for t, _, people in found)


def test_a_remark_made_at_a_meeting_is_of_its_day_and_place(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("EU leaders met in Brussels on October 15 and 16. Emmanuel Macron said at the summit that French "
            "fishermen would not be sacrificed for Brexit.")
    assert _remarks(brexit, text, "2020-10-22") == [("2020-10-15/2020-10-16", ["Emmanuel Macron"])]
    places = [e.location for e in _events(brexit, text, "2020-10-22") if e.type == "statement"]
    assert places == ["Brussels"]


@pytest.mark.parametrize("text", [
    "Groups of victims have been flying to Cuba since August to speak to the negotiators.",
    "Our correspondent has followed the peace talks in Havana since 2012.",
])
def test_what_has_gone_on_since_a_date_is_no_single_meeting(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [e.type for e in _events(farc, text, "2014-09-14")] == []


def test_a_first_visit_since_taking_office_is_a_visit(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Junichiro Koizumi is in Moscow this week on his first official visit to Russia since taking office."
    assert "visit" in [e.type for e in _events(extractor, text, "2003-01-10")]


@pytest.mark.parametrize(("text", "types"), [
    ("Travelling to the summit, she tells reporters the next Commons vote will be held by March 12.", []),
    ("Santos sent Congress a bill for a referendum held on the same day as next year's elections.", []),
    ("The two leaders will hold talks in Brussels on March 12.", ["talks"]),
])
def test_a_vote_held_is_no_meeting(brexit, text: str, types: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [e.type for e in _events(brexit, text, "2019-02-27")] == types


@pytest.mark.parametrize(("text", "remarks"), [
    ("The round ended in Havana on Thursday. Hours later Ivan Marquez issued a statement of his own.",
     [("2013-05-23", ["Ivan Marquez"])]),
    ("The round ended in Havana on Thursday. Juan Manuel Santos released the figures on Friday.", []),
])
def test_issuing_a_statement_is_a_remark(farc, text: str, remarks: list[tuple[str, list[str]]]) -> None:  # type: ignore[no-untyped-def]
    assert _remarks(farc, text, "2013-05-27") == remarks


@pytest.mark.parametrize("text", [
    "Ivan Marquez was quoted by the Cuban press as saying that the rebels would not hand over their weapons.",
    "Ivan Marquez was reported as saying that the rebels would not hand over their weapons.",
])
def test_one_quoted_as_saying_made_the_remark(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _remarks(farc, text, "2013-05-20") == [("2013-05-20", ["Ivan Marquez"])]


@pytest.mark.parametrize("text", [
    "Juan Manuel Santos said in his weekly address, broadcast on Tuesday, that the talks would go on.",
    "Juan Manuel Santos, in a statement released on Tuesday, said the talks would go on.",
    "In an interview published on Tuesday, Juan Manuel Santos said the talks would go on.",
])
def test_a_remark_is_of_the_day_it_came_out(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    # "published on Tuesday" tells when the remark was made; "who flew in on Tuesday" would not
    assert _remarks(farc, f"The round ended in Havana on Sunday. {text}", "2013-05-24") == [
        ("2013-05-21", ["Juan Manuel Santos"])]


def test_a_remark_in_the_days_of_a_round_was_made_where_the_round_sat(iran) -> None:  # type: ignore[no-untyped-def]
    # the round's span is whole only once its end ('by Monday') is read: the place is given after that
    text = ("The round that opened in Vienna last Tuesday was meant to end with a deal by Monday. "
            "On Monday afternoon Philip Hammond told reporters that a deal could not be reached in time.")
    remarks = [(e.date.value if e.date else None, e.location)
               for e in _events(iran, text, "2014-11-25") if e.type == "statement"]
    assert remarks == [("2014-11-24", "Vienna")]


@pytest.mark.parametrize("text", ["Theresa May told MPs on Monday that the vote would be held in January.",
                                  "May tells the Commons on Monday that the vote will be held in January."])
def test_a_remark_to_parliament_was_made_where_it_sits(brexit, text: str) -> None:  # type: ignore[no-untyped-def]
    remarks = [(e.date.value if e.date else None, e.location)
               for e in _events(brexit, text, "2018-12-18") if e.type == "statement"]
    assert remarks == [("2018-12-17", "London")]


def test_a_remark_to_others_is_not_placed_by_them(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "Theresa May told reporters on Monday that the vote would be held in January."
    assert [e.location for e in _events(brexit, text, "2018-12-18") if e.type == "statement"] == [None]


def test_a_department_or_state_named_is_a_place(farc) -> None:  # type: ignore[no-untyped-def]
    text = "Speaking at a rally in the western department of Choco on Friday, the president said the talks would go on."
    assert [(e.date.value if e.date else None, e.location) for e in _events(farc, text, "2013-08-24")
            if e.type == "statement"] == [("2013-08-23", "Choco")]
