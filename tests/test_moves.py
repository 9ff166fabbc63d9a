"""Events moved to another day, told in one sentence, and the small readings that came with them:
what a move says (extraction, real model), which known event it moves (resolver, no model), and the
words that looked like events and were not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain import DateValue, Evidence, ExtractedEvent
from bot.resolve import KnownEvent, fold_deadline_moves, resolve
from tests.extracting import events_of as _events
from tests.extracting import show as _show

# --- extraction: a move told in one sentence -------------------------------------------------------

def test_a_meeting_set_for_one_day_and_pushed_to_another_is_on_the_new_day(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Igor Ivanov's visit to Tokyo, set for May 3, has been postponed to June 10, the Russian "
            "Foreign Ministry said on Friday.")
    visit = next(e for e in _events(extractor, text, "2001-04-20") if e.type == "visit")
    assert (visit.date.value if visit.date else None, visit.status) == ("2001-06-10", "scheduled"), _show([visit])
    assert visit.moved_from == "2001-05-03"


def test_a_move_from_one_day_to_another_names_both(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The summit between Putin and Mori in Irkutsk has been moved from March 10 to March 25."
    summit = next(e for e in _events(extractor, text, "2001-02-20") if e.type == "summit")
    assert summit.date is not None and summit.date.value == "2001-03-25", _show([summit])
    assert summit.moved_from == "2001-03-10" and summit.status == "scheduled"


def test_a_move_without_its_old_day_still_says_it_moved(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Japanese officials said the next round of talks in Moscow had been pushed back to March 3."
    talks = next(e for e in _events(extractor, text, "2001-02-20") if e.type == "talks")
    assert talks.date is not None and talks.date.value == "2001-03-03" and talks.moved_from == "?"


def test_a_deadline_moved_twice_in_one_sentence_comes_from_the_day_it_names(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("On Friday the two governments extended the deadline for the fisheries accord through Monday, "
            "March 13, having already stretched it on Tuesday from March 7 to Friday, March 10.")
    deadline = next(e for e in _events(extractor, text, "2001-03-11") if e.type == "deadline")
    assert deadline.date is not None and deadline.date.value == "2001-03-13", _show([deadline])
    assert deadline.moved_from == "2001-03-07"


def test_a_limit_is_the_deadlines_wherever_the_parse_hangs_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Japan and Russia pushed back the cut-off for a fisheries accord on Tuesday, extending the "
            "interim arrangement agreed in Moscow in 1998 until July 7, the two foreign ministries said.")
    deadlines = [e for e in _events(extractor, text, "2001-07-01") if e.type == "deadline"]
    assert [d.date.value if d.date else None for d in deadlines] == ["2001-07-07"], _show(deadlines)


# --- resolver: which known event a move moves -----------------------------------------------------

FEB20 = datetime(2001, 2, 20, tzinfo=UTC)


def _known(**kw: object) -> KnownEvent:
    base: dict[str, object] = dict(id=7, type="summit", status="scheduled", date_value="2001-03-10",
                                   location="Irkutsk", participants={"Vladimir Putin", "Yoshiro Mori"},
                                   parties={"Japan", "Russia"}, as_of=datetime(2001, 2, 1, tzinfo=UTC))
    base.update(kw)
    return KnownEvent(**base)  # type: ignore[arg-type]


def _moved(moved_from: str, participants: tuple[str, ...] = ()) -> ExtractedEvent:
    return ExtractedEvent(type="summit", status="scheduled", date=DateValue("2001-03-25"), location="Irkutsk",
                          participants=list(participants), parties=["Japan", "Russia"], moved_from=moved_from)


def test_a_move_from_the_known_day_moves_the_known_meeting_even_without_names() -> None:
    update = resolve(_moved("2001-03-10"), [_known()], published=FEB20, within={})
    assert update.event_id == 7 and update.changes == (("date", "2001-03-10", "2001-03-25"),)


def test_a_move_from_another_day_is_not_the_known_meeting() -> None:
    update = resolve(_moved("2001-04-02"), [_known()], published=FEB20, within={})
    assert update.event_id is None


def test_a_meeting_already_held_is_not_moved() -> None:
    update = resolve(_moved("2001-03-10"), [_known(status="held")], published=FEB20, within={})
    assert update.event_id is None


def test_an_untold_old_day_needs_the_same_place_or_people() -> None:
    elsewhere = _known(location="Moscow")
    assert resolve(_moved("?"), [elsewhere], published=FEB20, within={}).event_id is None
    assert resolve(_moved("?"), [_known()], published=FEB20, within={}).event_id == 7


def test_a_deadline_passed_long_ago_is_not_the_date_just_moved() -> None:
    old_target = ExtractedEvent(type="deadline", status="missed", date=DateValue("2015-03-31"))
    new = ExtractedEvent(type="deadline", status="active", date=DateValue("2015-07-07"),
                         evidence=[], summary="")
    new.evidence = [Evidence("The cut-off was pushed back to July 7.", 0, 10)]
    folded = fold_deadline_moves([old_target, new], datetime(2015, 7, 1, tzinfo=UTC))
    assert new.moved_from == "?" and old_target in folded
    again = ExtractedEvent(type="deadline", status="active", date=DateValue("2015-07-07"),
                           evidence=[Evidence("The cut-off was pushed back to July 7.", 0, 10)])
    fold_deadline_moves([ExtractedEvent(type="deadline", status="missed", date=DateValue("2015-03-31")), again])
    assert again.moved_from == "2015-03-31", "without a publication day every passed date may be the old one"


# --- words that looked like events -----------------------------------------------------------------

def test_a_date_or_a_truce_that_holds_is_no_meeting(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Officials on both sides said the March 31 date would not hold. The ceasefire along the coast has "
            "held since January.")
    assert not [e for e in _events(extractor, text, "2001-03-28") if e.type in {"meeting", "talks", "summit"}]


def test_talks_held_are_still_held(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Talks held in Moscow on Tuesday ended without agreement on the islands."
    assert [e for e in _events(extractor, text, "2001-03-08") if e.type in {"meeting", "talks"}]


def test_a_time_of_today_dates_an_agreement(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Igor Ivanov and Yohei Kono signed a memorandum on fisheries in Moscow this morning."
    agreement = next(e for e in _events(extractor, text, "2000-11-03") if e.type == "agreement")
    assert agreement.date is not None and agreement.date.value == "2000-11-03"


def test_the_early_hours_are_the_day_of_the_report(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Negotiators reached agreement on a fisheries accord in Moscow in the early hours, diplomats said."
    agreement = next(e for e in _events(extractor, text, "2000-11-07") if e.type == "agreement")
    assert agreement.date is not None and agreement.date.value == "2000-11-07"
    text = "Negotiators reached agreement on a fisheries accord in Moscow in the early hours of Sunday."
    agreement = next(e for e in _events(extractor, text, "2000-11-07") if e.type == "agreement")
    assert agreement.date is not None and agreement.date.value == "2000-11-05"


def test_that_evening_is_not_today(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Written assurances satisfied Tokyo on Saturday, and Kono flew to Moscow that evening for a final "
            "meeting with Igor Ivanov.")
    dates = {e.date.value for e in _events(extractor, text, "2000-11-07") if e.date and e.type != "statement"}
    assert "2000-11-07" not in dates, dates


def test_a_name_in_apposition_to_a_title_takes_part(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The ministry says its chief negotiator, Alexander Losyukov, and Yohei Kono signed a memorandum "
            "in Tokyo on Tuesday.")
    agreement = next(e for e in _events(extractor, text, "2000-11-09") if e.type == "agreement")
    assert {"Alexander Losyukov", "Yohei Kono"} <= set(agreement.participants), agreement.participants


def test_a_trip_home_is_no_visit(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Yohei Kono will travel to Tokyo on Sunday for consultations and return to Moscow on Tuesday."
    visits = [e for e in _events(extractor, text, "2000-11-03") if e.type == "visit"]
    assert not [v for v in visits if v.location == "Tokyo"], _show(visits)


def test_a_trip_to_the_other_sides_capital_is_a_visit(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Yohei Kono flew to Moscow on Tuesday for two days of talks on the peace treaty."
    assert [e for e in _events(extractor, text, "2000-11-08") if e.location == "Moscow"]


def test_a_city_named_as_the_place_is_no_party(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("Government and FARC negotiators will sit down in Havana on November 15 to take up the first item "
            "of the agenda, rural development.")
    talks = next(e for e in _events(farc, text, "2012-10-19") if e.location == "Havana")
    assert "Cuba" not in talks.parties and "FARC" in talks.parties, talks.parties


def test_a_where_clause_tells_more_of_the_talks_it_hangs_on(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("The two delegations, headed by Humberto de la Calle and Ivan Marquez, held a closed session in the "
            "morning before facing the press together.\n\n"
            "The substantive negotiations will move to Havana, where the delegations are due to sit down on "
            "November 15 to take up the first item on their agenda, land, according to a joint statement read at "
            "the hotel.")
    events = [e for e in _events(farc, text, "2012-10-19") if e.type in {"talks", "meeting"}]
    assert ("talks", "scheduled", "2012-11-15", "Havana") in _show(events)
    assert not [e for e in events if e.location is None], _show(events)


def test_rounds_someone_held_were_held(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("What we signed today is the product of the two rounds our experts held with the Russian side in "
            "Moscow, in late September and at the end of October.")
    talks = [e for e in _events(extractor, text, "2000-11-12") if e.type in {"talks", "meeting"}]
    assert [e for e in talks if e.location == "Moscow"], _show(talks)


def test_a_year_in_a_clause_on_the_goal_is_when_it_was_set(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Japan is still formally committed to the goal, set by Boris Yeltsin and Ryutaro Hashimoto in 1997, "
            "of signing a treaty by the end of the year, a deadline that Putin has never endorsed.")
    deadlines = [e for e in _events(extractor, text, "2000-09-06") if e.type in {"deadline", "pledge"}]
    assert deadlines and all(d.date and d.date.value == "2000" for d in deadlines), _show(deadlines)


# --- places from buildings, and days of talks --------------------------------------------------------

def test_a_building_stands_for_its_city(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("At a White House news conference on Tuesday, Barack Obama said the peace process in Colombia had "
            "reached a decisive stage.")
    said = next(e for e in _events(farc, text, "2016-02-05") if e.type == "statement")
    assert said.location == "Washington", said.location


def test_days_of_talks_that_began_on_a_day_run_from_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The round wrapped up in Moscow on Thursday after four days of talks that began on Monday."
    talks = [e for e in _events(extractor, text, "2000-11-10") if e.type == "talks"]
    assert _show(talks) == [("talks", "held", "2000-11-06/2000-11-09", "Moscow")]


def test_a_lunch_with_a_leader_is_a_meeting(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Yoshiro Mori will have a working lunch with Vladimir Putin in Moscow on Friday."
    lunch = [e for e in _events(extractor, text, "2000-11-08") if e.type in {"meeting", "summit"}]
    assert _show(lunch) == [("summit", "scheduled", "2000-11-10", "Moscow")], _show(lunch)


def test_days_of_talks_to_come_run_from_the_day_given(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Yohei Kono will travel to Moscow on Wednesday for two days of talks on the peace treaty."
    talks = [e for e in _events(extractor, text, "2000-11-06") if e.location == "Moscow"]
    assert [e.date.value if e.date else None for e in talks] == ["2000-11-08/2000-11-09"], _show(talks)


def test_a_visit_pushed_back_by_a_day_is_moved_not_postponed(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Igor Ivanov will travel to Tokyo for talks on Thursday and Friday, the ministry said. The visit has "
            "been pushed back by a day: he had been expected on Wednesday.")
    visit = next(e for e in _events(extractor, text, "2000-11-07") if e.location == "Tokyo")
    assert (visit.status, visit.moved_from) == ("scheduled", "?"), (_show([visit]), visit.moved_from)


def test_the_sittings_a_round_ended_after_are_that_round(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The latest round of talks on the peace treaty wrapped up in Moscow on Friday without an agreement, "
            "after a working dinner on Thursday evening and a morning session at the foreign ministry.")
    sittings = [e for e in _events(extractor, text, "2000-11-11") if e.type in {"talks", "meeting"}]
    assert _show(sittings) == [("talks", "held", "2000-11-09/2000-11-10", "Moscow")], _show(sittings)


def test_days_of_talks_dated_ahead_run_from_that_day(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Yohei Kono had been expected to lead a large delegation to Moscow on Wednesday for two days of talks "
            "that both sides hoped would be decisive.")
    talks = [e for e in _events(extractor, text, "2000-11-06") if e.location == "Moscow"]
    assert [e.date.value if e.date else None for e in talks] == ["2000-11-08/2000-11-09"], _show(talks)


def test_a_deadline_moves_only_where_its_date_is_told() -> None:
    target = ExtractedEvent(type="deadline", status="active", date=DateValue("2015-12-15", None, "December 15"),
                            evidence=[Evidence("Amano says he aims to give his assessment by December 15.", 0, 10),
                                      Evidence("The target date was pushed back from June 30 to July 13.", 20, 30)])
    fold_deadline_moves([target], datetime(2015, 7, 14, tzinfo=UTC))
    assert target.moved_from is None
    moved = ExtractedEvent(type="deadline", status="active", date=DateValue("2015-07-13", None, "July 13"),
                           evidence=[Evidence("The target date was pushed back again, to July 13.", 0, 10)])
    fold_deadline_moves([moved], datetime(2015, 7, 11, tzinfo=UTC))
    assert moved.moved_from == "?"


def test_an_upgrade_is_news_only_for_a_meeting_still_to_come() -> None:
    meeting = _known(type="meeting", date_value="2001-03-25")
    upgraded = ExtractedEvent(type="summit", status="scheduled", date=DateValue("2001-03-25"), location="Irkutsk",
                              parties=["Japan", "Russia"])
    assert resolve(upgraded, [meeting], published=FEB20, within={}).changes == (("type", "meeting", "summit"),)
    held = ExtractedEvent(type="summit", status="held", date=DateValue("2001-03-25"), location="Irkutsk",
                          parties=["Japan", "Russia"])
    after = datetime(2001, 3, 26, tzinfo=UTC)
    assert resolve(held, [meeting], published=after, within={}).changes == (("status", "scheduled", "held"),)


def test_a_meeting_of_no_day_and_nobody_is_no_new_event() -> None:
    vague = ExtractedEvent(type="meeting", status="held", location="Moscow")
    assert resolve(vague, [], published=FEB20, within={}).skip
    named = ExtractedEvent(type="meeting", status="held", location="Moscow", participants=["Yohei Kono"])
    assert not resolve(named, [], published=FEB20, within={}).skip


def test_a_vague_meeting_around_a_known_ones_place_is_not_it() -> None:
    kremlin = _known(type="meeting", status="scheduled", location="Kremlin", date_value="2001-02-22")
    vague = ExtractedEvent(type="meeting", status="held", location="Moscow")
    update = resolve(vague, [kremlin], published=FEB20, within={"Kremlin": ("Moscow", "Russia")})
    assert update.event_id is None and update.changes == ()


def test_a_day_and_the_year_told_after_it_are_one_date(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The moratorium runs until deadline day, March 29 next year, Tokyo said."
    deadlines = [e for e in _events(extractor, text, "2000-03-20") if e.type == "deadline"]
    assert {d.date.value for d in deadlines if d.date} == {"2001-03-29"}, _show(deadlines)


def test_consultations_agreed_for_later_are_not_the_round_just_ended(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The latest round of peace treaty talks wrapped up in Moscow on Friday without an agreement. Yohei Kono "
            "told reporters that the negotiations had not broken down and that the two sides had agreed to continue "
            "their consultations in Tokyo.")
    talks = [e for e in _events(extractor, text, "2000-11-11") if e.type in {"talks", "meeting"}]
    assert ("talks", "held", "2000-11-10", "Moscow") in _show(talks), _show(talks)
    assert not [e for e in talks if e.location == "Tokyo" and e.status == "held"], _show(talks)


def test_what_was_said_of_negotiations_ahead_is_not_the_talks_just_held(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Shinzo Abe and Vladimir Putin agreed on Friday to pursue the peace treaty negotiations with a new "
            "approach.\n\nAbe told reporters after several hours of talks at Putin's residence in Sochi that the "
            "two sides would conduct the negotiations without being bound by the ideas of the past.")
    met = [e for e in _events(extractor, text, "2016-05-06") if e.type in {"talks", "meeting", "summit"}]
    assert [e for e in met if e.location == "Sochi" and e.date and e.date.value == "2016-05-06"], _show(met)


def test_a_round_and_talks_to_come_elsewhere_are_not_two_halves_of_one(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The latest round of peace treaty talks wrapped up on Friday without an agreement. Yohei Kono told "
            "reporters that the negotiations had not broken down and that the two sides had agreed to continue "
            "their consultations in Tokyo.")
    talks = [e for e in _events(extractor, text, "2000-11-11") if e.type in {"talks", "meeting"}]
    assert not [e for e in talks if e.location == "Tokyo" and e.date is not None], _show(talks)


NORWAY = {"Oslo": ("Norway",), "Hurdal": ("Norway",), "Stockholm": ("Sweden",)}
OCT19 = datetime(2012, 10, 19, tzinfo=UTC)


def _opening(**kw: object) -> KnownEvent:
    base: dict[str, object] = dict(id=3, type="talks", status="scheduled", date_value="2012-10-01/2012-10-15",
                                   location="Oslo", participants=set(), parties={"Colombia", "FARC"},
                                   as_of=datetime(2012, 9, 5, tzinfo=UTC))
    base.update(kw)
    return KnownEvent(**base)  # type: ignore[arg-type]


def _opened(day: str = "2012-10-18", place: str = "Hurdal") -> ExtractedEvent:
    return ExtractedEvent(type="talks", status="held", date=DateValue(day), location=place,
                          parties=["Colombia", "FARC"])


def test_talks_set_for_some_days_and_held_just_after_elsewhere_in_the_country_slipped() -> None:
    update = resolve(_opened(), [_opening()], published=OCT19, within=NORWAY)
    assert update.event_id == 3
    assert set(update.changes) == {("status", "scheduled", "held"), ("date", "2012-10-01/2012-10-15", "2012-10-18"),
                                   ("location", "Oslo", "Hurdal")}


def test_a_slip_stays_in_its_country_its_kind_and_its_days() -> None:
    assert resolve(_opened(place="Stockholm"), [_opening()], published=OCT19, within=NORWAY).event_id is None
    assert resolve(_opened(day="2012-11-02"), [_opening()], published=OCT19, within=NORWAY).event_id is None
    assert resolve(_opened(), [_opening(status="held")], published=OCT19, within=NORWAY).event_id is None
    assert resolve(_opened(), [_opening(type="visit")], published=OCT19, within=NORWAY).event_id is None


def test_a_slip_keeps_its_sides() -> None:
    """Colombia and Norway meeting in Hurdal is not the Colombia-FARC opening moved."""
    other = ExtractedEvent(type="talks", status="held", date=DateValue("2012-10-18"), location="Hurdal",
                           parties=["Colombia", "Norway"])
    assert resolve(other, [_opening()], published=OCT19, within=NORWAY).event_id is None


def test_the_summit_put_on_hold_for_a_month_is_the_one_then_called_for_a_day_of_it() -> None:
    on_hold = KnownEvent(id=9, type="summit", status="postponed", date_value="2018-11", location=None,
                         participants=set(), parties={"European Union"}, as_of=datetime(2018, 10, 19, tzinfo=UTC))
    called = ExtractedEvent(type="summit", status="scheduled", date=DateValue("2018-11-25"), location="Brussels",
                            participants=["Donald Tusk"], parties=["European Union", "United Kingdom"])
    update = resolve(called, [on_hold], published=datetime(2018, 11, 15, tzinfo=UTC), within={})
    assert update.event_id == 9
    assert ("status", "postponed", "scheduled") in update.changes and ("date", "2018-11", "2018-11-25") in update.changes
    talks = ExtractedEvent(type="talks", status="scheduled", date=DateValue("2018-11-25"), location="Brussels",
                           parties=["European Union", "United Kingdom"])
    on_hold_talks = KnownEvent(id=9, type="talks", status="postponed", date_value="2018-11", location=None,
                               participants=set(), parties={"European Union"}, as_of=datetime(2018, 10, 19, tzinfo=UTC))
    assert resolve(talks, [on_hold_talks], published=datetime(2018, 11, 15, tzinfo=UTC), within={}).event_id is None


def test_a_live_blog_entry_is_of_the_day_of_the_blog(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Live: Kono in Moscow\n\nLatest entries first; all times are Moscow time.\n\n"
            "16:45 - A memorandum at last\nYohei Kono and Igor Ivanov signed a memorandum on fishing near the "
            "islands, the foreign ministry said.\n\n"
            "11:20 - Talks resume\nThe two ministers sat down again at the guest house after a working breakfast.")
    agreement = next(e for e in _events(extractor, text, "2000-11-03") if e.type == "agreement")
    assert agreement.date is not None and agreement.date.value == "2000-11-03", _show([agreement])


@pytest.mark.parametrize("sentence", [
    "The transition ends on December 31, and ministers say they will not ask for the extension the treaty allows.",
    "The transition ends on December 31 unless both sides agree to an extension before July 1.",
    "The transition ends on December 31; an extension has been ruled out.",
])
def test_a_move_denied_or_told_in_another_clause_moves_no_deadline(sentence: str) -> None:
    deadline = ExtractedEvent(type="deadline", status="active", date=DateValue("2020-12-31", None, "December 31"),
                              evidence=[Evidence(sentence, 0, 10)])
    fold_deadline_moves([deadline], datetime(2020, 3, 28, tzinfo=UTC))
    assert deadline.moved_from is None


def test_a_move_told_in_the_dates_clause_moves_it() -> None:
    deadline = ExtractedEvent(type="deadline", status="active", date=DateValue("2015-07-10", None, "July 10"),
                              evidence=[Evidence("The deadline, already extended once, now falls on July 10.", 0, 10)])
    fold_deadline_moves([deadline], datetime(2015, 7, 8, tzinfo=UTC))
    assert deadline.moved_from == "?"


def test_a_new_date_is_a_deadline_moved() -> None:
    deadline = ExtractedEvent(type="deadline", status="active", date=DateValue("2019-10-15", None, "October 15"),
                              evidence=[Evidence("The new date falls after the round, so the two sides now have "
                                                 "until October 15 to settle.", 0, 10)])
    fold_deadline_moves([deadline], datetime(2019, 9, 12, tzinfo=UTC))
    assert deadline.moved_from == "?"
