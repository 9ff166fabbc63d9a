"""Rules found through the dev split in session 16 (issue 9). Each text is written for its test."""

from __future__ import annotations

from tests.extracting import events_of as _events


def _dated(extractor, text: str, published: str, kind: str) -> list[str | None]:  # type: ignore[no-untyped-def]
    return [e.date.value if e.date else None for e in _events(extractor, text, published) if e.type == kind]


def test_a_plan_that_fell_through_is_dated_to_the_nearest_month(uschina) -> None:  # type: ignore[no-untyped-def]
    # "to sign it ... in November" looks ahead of the planning, not of the report: told in January, the
    # November is the one just gone, not the next
    text = "The plan to sign the agreement at the regional summit in Chile in November fell through when Chile cancelled it."
    assert _dated(uschina, text, "2020-01-16", "summit") == ["2019-11"]


def test_a_plan_that_was_is_dated_to_the_nearest_month(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("The plan then was for the two presidents to sign the text at the regional summit in Santiago in "
            "mid-November, but Chile called off the summit because of street protests.")
    assert _dated(uschina, text, "2019-12-13", "summit") == ["2019-11"]


def test_a_plan_still_standing_looks_ahead(uschina) -> None:  # type: ignore[no-untyped-def]
    # the guard: a plan told in the present is still to come, the next November
    text = "The plan is for the two presidents to sign the text at the regional summit in Santiago in November."
    assert _dated(uschina, text, "2019-12-13", "summit") == ["2020-11"]


def test_talks_told_before_a_dated_act_end_on_its_day(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("On Oct. 11, after two days of talks in Washington with the vice premier, the president announced "
            "in the Oval Office that the two sides had reached the first phase of a deal.")
    assert _dated(uschina, text, "2019-11-27", "talks") == ["2019-10-10/2019-10-11"]


def test_days_of_talks_before_an_accord_was_reached(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("The accord, reached in Vienna on July 14 after 18 days of talks at a palace hotel, cleared its "
            "first hurdle at the Security Council this week.")
    assert _dated(iran, text, "2015-07-20", "talks") == ["2015-06-27/2015-07-14"]


def test_days_of_talks_before_an_act_still_to_come_are_not_dated_by_it(iran) -> None:  # type: ignore[no-untyped-def]
    # the guard: a day still ahead of the report is no day the talks ended on
    text = "The ministers will announce the result on July 14 after 18 days of talks at a palace hotel in Vienna."
    got = _dated(iran, text, "2015-07-10", "talks")
    assert got and not any(d and d.endswith("-07-14") for d in got), got


def test_a_meetings_own_clause_dates_it_before_another_clauses_date(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("It was the latest of a run of encounters this year: the two ministers met in Munich in early "
            "February, on the fringes of the security conference.")
    assert _dated(iran, text, "2015-03-06", "meeting") == ["2015-02"]


def test_a_remark_said_as_much_on_a_day_is_of_that_day(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("Obama said as much himself on February 9, at a White House news conference with the "
            "German chancellor: without a framework by the end of March he sees no point in a further extension.")
    assert _dated(iran, text, "2015-02-21", "statement") == ["2015-02-09"]



def test_two_days_the_model_splits_around_its_and_are_one_date(brexit) -> None:  # type: ignore[no-untyped-def]
    # the model makes "October 17 and" one entity and "18" another
    text = "EU leaders hold their next regular summit in Brussels on October 17 and 18, two weeks before the exit date."
    assert _dated(brexit, text, "2019-10-05", "summit") == ["2019-10-17/2019-10-18"]


def test_a_participle_dating_a_meeting_inside_its_month_is_that_meeting(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("In February the Iranian negotiator had called the first Almaty meeting, held on Feb. 26 and 27, a "
            "positive step.")
    got = [(e.date.value if e.date else None, e.location) for e in _events(iran, text, "2013-04-07")
           if e.type in {"meeting", "talks"}]
    assert got == [("2013-02-26/2013-02-27", "Almaty")], got
