"""Across articles, without the model: which stored event a new mention is, and what it changes."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain import DateValue, ExtractedEvent
from bot.resolve import KnownEvent, KnownIndex, resolve

WITHIN = {"Moscow": ("Russia",), "Nagato": ("Yamaguchi", "Japan"), "Yamaguchi": ("Japan",), "Brunei": ()}
NOV6 = datetime(2000, 11, 6, tzinfo=UTC)


def ev(type_: str = "summit", status: str = "scheduled", date: str | None = "2000-11-15", location: str | None = "Brunei",
       participants: tuple[str, ...] = ("Vladimir Putin", "Yoshiro Mori")) -> ExtractedEvent:
    return ExtractedEvent(type=type_, status=status, date=DateValue(date) if date else None, location=location,
                          participants=list(participants), parties=["Japan", "Russia"])


def known(**kw: object) -> KnownEvent:
    base = dict(id=1, type="summit", status="scheduled", date_value="2000-11-15", location="Brunei",
                participants={"Vladimir Putin", "Yoshiro Mori"}, parties={"Japan", "Russia"}, as_of=NOV6)
    base.update(kw)
    return KnownEvent(**base)  # type: ignore[arg-type]


def test_restating_a_known_fact_is_no_change() -> None:
    update = resolve(ev(), [known()], published=NOV6, within=WITHIN)
    assert update.event_id == 1 and update.changes == ()


def test_held_is_a_status_change_and_a_refined_place_is_not() -> None:
    update = resolve(ev(status="held", location="Nagato", date="2000-11-15"),
                     [known(location="Yamaguchi")], published=datetime(2000, 11, 16, tzinfo=UTC), within=WITHIN)
    assert update.changes == (("status", "scheduled", "held"),)
    assert update.location == "Nagato"


def test_an_older_article_does_not_overwrite_a_newer_one() -> None:
    update = resolve(ev(status="scheduled"), [known(status="postponed", as_of=datetime(2000, 11, 10, tzinfo=UTC))],
                     published=NOV6, within=WITHIN)
    assert update.event_id == 1 and update.changes == ()


def test_a_moved_date_matches_the_unheld_event_of_the_same_people() -> None:
    update = resolve(ev(date="2000-11-20"), [known()], published=NOV6, within=WITHIN)
    assert update.event_id == 1 and update.changes == (("date", "2000-11-15", "2000-11-20"),)


def test_events_long_past_are_history_not_news() -> None:
    update = resolve(ev(type_="agreement", status="signed", date="1956", location=None, participants=()), [],
                     published=NOV6, within=WITHIN)
    assert update.event_id is None and update.history and update.changes == ()


def test_index_offers_same_years_undated_and_movable_events_only() -> None:
    held_1997 = known(id=2, status="held", date_value="1997-11-01")
    held_2000 = known(id=3, status="held", date_value="2000-09")
    undated = known(id=4, status="held", date_value=None)
    planned_1999 = known(id=5, status="scheduled", date_value="1999-03")  # can still move: always offered
    deadline = known(id=6, type="deadline", status="active", date_value="2000")
    index = KnownIndex([held_1997, held_2000, undated, planned_1999, deadline])
    ids = {k.id for k in index.candidates(ev(date="2000-11-15"))}
    assert ids == {3, 4, 5}
    held_1997.date_value = "2000-11-15"
    index.refresh(held_1997)
    assert 2 in {k.id for k in index.candidates(ev(date="2000-11-15"))}
    assert {k.id for k in index.candidates(ev(type_="deadline", date="2000", location=None))} == {6}


def deadline(status: str, day: str, sentence: str) -> ExtractedEvent:
    from bot.domain import Evidence

    found = ev(type_="deadline", status=status, date=day, location=None, participants=())
    found.evidence = [Evidence(sentence=sentence, start=0, end=len(sentence))]
    return found


def test_a_deadline_extended_is_the_same_deadline_on_a_new_date() -> None:
    from bot.resolve import fold_deadline_moves

    said = "The sides missed the July 20 deadline and extended the talks to November 24."
    missed, extended = deadline("missed", "2014-07-20", said), deadline("active", "2014-11-24", said)
    folded = fold_deadline_moves([missed, extended])
    assert folded == [extended] and extended.moved_from == "2014-07-20"
    stored = known(type="deadline", status="active", date_value="2014-07-20", location=None, participants=set())
    other = known(id=2, type="deadline", status="active", date_value="2014-03-01", location=None, participants=set())
    update = resolve(extended, [other, stored], published=datetime(2014, 7, 19, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 1 and update.changes == (("date", "2014-07-20", "2014-11-24"),)


def test_a_new_deadline_without_a_word_of_moving_is_a_deadline_of_its_own() -> None:
    from bot.resolve import fold_deadline_moves

    framework = deadline("active", "2015-03-01", "A political framework is due by March 1.")
    assert fold_deadline_moves([framework]) == [framework] and framework.moved_from is None
    stored = known(type="deadline", status="active", date_value="2014-11-24", location=None, participants=set())
    update = resolve(framework, [stored], published=datetime(2014, 11, 25, tzinfo=UTC), within=WITHIN)
    assert update.event_id is None


def test_a_date_given_up_and_a_later_one_in_force_is_the_deadline_moved_to_the_nearest() -> None:
    from bot.resolve import fold_deadline_moves

    given_up = deadline("dropped", "2019-03-29", "Britain will no longer leave on March 29.")
    conditional = deadline("active", "2019-05-22", "If the deal passes, Britain will leave on May 22.")
    otherwise = deadline("active", "2019-04-12", "If not, Britain will leave on April 12.")
    assert fold_deadline_moves([given_up, conditional, otherwise]) == [conditional, otherwise]
    assert otherwise.moved_from == "2019-03-29" and conditional.moved_from is None
    # a deadline missed is not a deadline moved unless the article says so
    missed = deadline("missed", "2019-03-29", "The March 29 date passed.")
    later = deadline("active", "2019-04-12", "Britain will leave on April 12.")
    assert fold_deadline_moves([missed, later]) == [missed, later] and later.moved_from is None


def test_active_deadlines_stay_candidates_whatever_the_year() -> None:
    index = KnownIndex([known(type="deadline", status="active", date_value="2014-07-20", location=None)])
    assert len(index.candidates(deadline("active", "2015-06-30", "extended to June 30, 2015"))) == 1


def test_one_day_of_a_known_range_of_days_is_no_date_change() -> None:
    two_days = known(date_value="2019-03-21/2019-03-22", location="Brussels")
    update = resolve(ev(date="2019-03-21", location="Brussels"), [two_days],
                     published=datetime(2019, 3, 20, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 1 and update.changes == () and update.date_value == "2019-03-21/2019-03-22"
    # a month made a day is news: the date is now set
    month = known(date_value="2019-03", location="Brussels")
    update = resolve(ev(date="2019-03-21", location="Brussels"), [month],
                     published=datetime(2019, 3, 20, tzinfo=UTC), within=WITHIN)
    assert update.changes == (("date", "2019-03", "2019-03-21"),)


def test_one_party_named_on_each_side_does_not_split_a_deadline() -> None:
    said_by_beijing = known(type="deadline", status="active", date_value="2019-03-01", location=None,
                            participants=set(), parties={"China"})
    by_washington = ev(type_="deadline", status="active", date="2019-03-01", location=None, participants=())
    by_washington.parties = ["United States"]
    update = resolve(by_washington, [said_by_beijing], published=datetime(2019, 2, 15, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 1 and update.changes == ()
    # two different pairs of parties are two agreements
    other_pair = known(type="agreement", status="agreed", date_value="2019-03-01", location=None,
                       participants=set(), parties={"China", "Russia"})
    pact = ev(type_="agreement", status="agreed", date="2019-03-01", location=None, participants=())
    pact.parties = ["Japan", "United States"]
    assert resolve(pact, [other_pair], published=datetime(2019, 3, 2, tzinfo=UTC), within=WITHIN).event_id is None


def test_talks_resumed_lift_the_suspension_the_tracker_knows() -> None:
    from bot.domain import Evidence
    from bot.resolve import implied_resumptions

    talks = ev(type_="talks", status="held", date="2020-12-06", location="Brussels", participants=())
    talks.evidence = [Evidence("Negotiators resumed their talks in Brussels on Sunday.", 0, 53)]
    told = implied_resumptions([talks])
    assert [(e.type, e.status, e.implied) for e in told] == [("talks", "held", False), ("suspension", "lifted", True)]
    paused = known(type="suspension", status="in_effect", date_value="2020-12-04", location="London",
                   participants=set())
    update = resolve(told[1], [paused], published=datetime(2020, 12, 7, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 1 and update.changes == (("status", "in_effect", "lifted"),)
    assert update.date_value == "2020-12-04"  # a suspension keeps the day it began
    # nothing known to lift: the implied event is not stored at all
    assert resolve(told[1], [], published=datetime(2020, 12, 7, tzinfo=UTC), within=WITHIN).skip


def test_talks_without_a_word_of_resuming_imply_nothing() -> None:
    from bot.domain import Evidence
    from bot.resolve import implied_resumptions

    talks = ev(type_="talks", status="held", date="2020-12-06", location="Brussels", participants=())
    talks.evidence = [Evidence("Negotiators held talks in Brussels on Sunday.", 0, 45)]
    assert implied_resumptions([talks]) == [talks]


def test_a_summit_to_come_given_its_first_place_is_news() -> None:
    placeless = known(status="proposed", date_value=None, location=None)
    update = resolve(ev(status="proposed", date=None, location="Brunei"), [placeless], published=NOV6, within=WITHIN)
    assert update.event_id == 1 and update.changes == (("location", None, "Brunei"),)
    held = known(status="held", date_value="2000-11-01", location=None)
    update = resolve(ev(status="held", date="2000-11-01", location="Brunei"), [held], published=NOV6, within=WITHIN)
    assert update.changes == () and update.location == "Brunei", "a past meeting's place filled in is no news"


def test_a_meeting_known_as_held_is_not_one_announced_for_later() -> None:
    # the leaders' Moscow meeting, held and undated, was known in September; a trip to Moscow next week is another
    held = known(type="meeting", status="held", date_value=None, location="Moscow",
                 participants={"Boris Yeltsin"}, as_of=datetime(2000, 9, 6, tzinfo=UTC))
    trip = ev("visit", "scheduled", "2000-W44", "Moscow", ("Yohei Kono",))
    update = resolve(trip, [held], published=datetime(2000, 10, 25, tzinfo=UTC), within=WITHIN)
    assert update.event_id is None and update.changes == (("new", None, "scheduled"),)


def test_an_undated_event_in_a_city_is_not_an_undated_trip_to_its_country_of_other_people() -> None:
    krasnoyarsk = {"Krasnoyarsk": ("Russia",)}
    summit = known(type="summit", status="held", date_value=None, location="Krasnoyarsk",
                   participants={"Boris Yeltsin", "Ryutaro Hashimoto"})
    trip = ev("visit", "proposed", None, "Russia", ("Yoshiro Mori",))
    assert resolve(trip, [summit], published=NOV6, within=krasnoyarsk).event_id is None
    same_people = ev("visit", "held", None, "Russia", ("Boris Yeltsin",))
    assert resolve(same_people, [summit], published=NOV6, within=krasnoyarsk).event_id == 1


def test_a_trip_this_year_is_not_another_persons_visit_to_its_capital_next_week() -> None:
    trip = known(type="visit", status="scheduled", date_value="2000", location="Russia",
                 participants={"Yoshiro Mori"})
    kono = ev("visit", "scheduled", "2000-W44", "Moscow", ("Yohei Kono", "Igor Ivanov"))
    assert resolve(kono, [trip], published=NOV6, within=WITHIN).event_id is None
    mori = ev("visit", "scheduled", "2000-11", "Moscow", ("Yoshiro Mori",))
    assert resolve(mori, [trip], published=NOV6, within=WITHIN).event_id == 1


def test_a_meeting_once_set_told_later_as_only_planned_is_no_change() -> None:
    update = resolve(ev(status="proposed"), [known(status="scheduled")], published=NOV6, within=WITHIN)
    assert update.event_id == 1 and update.changes == ()


def test_a_meeting_put_off_and_held_later_is_the_same_meeting() -> None:
    # "the round due this week will not open before the captives are freed" ... "talks resumed in Havana on Dec 10"
    put_off = known(type="talks", status="postponed", date_value="2014-W47", location="Havana", participants=set(),
                    parties={"Colombia", "FARC"}, as_of=datetime(2014, 11, 17, tzinfo=UTC))
    held = ExtractedEvent(type="talks", status="held", date=DateValue("2014-12-10"), location="Havana",
                          participants=[], parties=["Colombia", "FARC"])
    update = resolve(held, [put_off], published=datetime(2014, 12, 11, tzinfo=UTC), within={"Havana": ("Cuba",)})
    assert update.event_id == 1
    assert set(update.changes) == {("status", "postponed", "held"), ("date", "2014-W47", "2014-12-10")}
    # one merely scheduled for another week is another round: FARC rounds in Havana come every few weeks
    update = resolve(held, [known(type="talks", status="scheduled", date_value="2014-W47", location="Havana",
                                  participants=set(), parties={"Colombia", "FARC"})],
                     published=datetime(2014, 12, 11, tzinfo=UTC), within={"Havana": ("Cuba",)})
    assert update.event_id is None


def test_a_meeting_put_off_and_told_only_as_hoped_for_stays_put_off() -> None:
    update = resolve(ev(status="proposed", date=None), [known(status="postponed")], published=NOV6, within=WITHIN)
    assert update.event_id == 1 and update.changes == ()


def test_a_launch_that_slipped_to_another_town_of_the_country_is_the_one_announced() -> None:
    # step 1 named no side ("negotiations will open in Oslo in the first half of October"); the launch was held
    # at Hurdal on October 18
    announced = known(type="talks", status="scheduled", date_value="2012-10-01/2012-10-15", location="Oslo",
                      participants=set(), parties=set(), as_of=datetime(2012, 9, 5, tzinfo=UTC))
    held = ExtractedEvent(type="talks", status="held", date=DateValue("2012-10-18"), location="Hurdal",
                          participants=[], parties=["FARC"])
    update = resolve(held, [announced], published=datetime(2012, 10, 18, tzinfo=UTC),
                     within={"Oslo": ("Norway",), "Hurdal": ("Norway",)})
    assert update.event_id == 1


def test_a_round_to_come_known_by_its_month_alone_is_the_round_later_dated_and_placed() -> None:
    # "negotiations are expected to open in February" ... "will open in Vienna on Feb. 18"
    vague = known(type="talks", date_value="2000-12", location=None, participants=set())
    update = resolve(ev(type_="talks", date="2000-12-18", location="Moscow"), [vague], published=NOV6, within=WITHIN)
    assert update.event_id == 1 and ("date", "2000-12", "2000-12-18") in update.changes
    # a known round with people of its own is not told apart by a date alone
    named = known(type="talks", date_value="2000-12", location=None, participants={"Igor Ivanov"})
    update = resolve(ev(type_="talks", date="2000-12-18", location="Moscow"), [named], published=NOV6, within=WITHIN)
    assert update.event_id is None


def test_of_two_known_rounds_that_fit_equally_the_one_dated_more_tightly_is_it() -> None:
    month = known(id=1, type="talks", date_value="2000-11", location="Moscow", participants=set())
    week = known(id=2, type="talks", date_value="2000-W46", location="Moscow", participants=set())
    update = resolve(ev(type_="talks", status="held", date="2000-11-14", location="Moscow", participants=()),
                     [month, week], published=datetime(2000, 11, 20, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 2


def test_a_trip_told_later_as_the_meeting_it_was_for_is_that_meeting() -> None:
    # "Twelve victims will travel to Havana in August", then "met the negotiators in Havana on Saturday"
    trip = known(type="visit", date_value="2014-08", location="Havana", participants={"Humberto de la Calle"})
    met = ev("meeting", "held", "2014-08-16", "Havana", ("Humberto de la Calle",))
    update = resolve(met, [trip], published=datetime(2014, 8, 17, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 1 and update.type == "meeting"
    assert ("status", "scheduled", "held") in update.changes and not any(c[0] == "type" for c in update.changes)
    # and a later telling of the trip does not make it a visit again
    talks = known(type="meeting", status="held", date_value="2014-08-16", location="Havana",
                  participants={"Humberto de la Calle"})
    again = resolve(ev("visit", "held", "2014-08-16", "Havana", ("Humberto de la Calle",)), [talks],
                    published=datetime(2014, 8, 20, tzinfo=UTC), within=WITHIN)
    assert again.event_id == 1 and again.type == "meeting"


def test_an_undated_meeting_to_come_is_not_one_held_months_before() -> None:
    # "Mnuchin has invited Liu He to talks in the coming weeks" (September) is not their May round
    held_in_may = known(type="talks", status="held", date_value="2018-05-17/2018-05-18", location="Washington",
                        participants={"Liu He", "Steven Mnuchin"})
    update = resolve(ev(type_="talks", status="proposed", date=None, location=None,
                        participants=("Steven Mnuchin", "Liu He")),
                     [held_in_may], published=datetime(2018, 9, 13, tzinfo=UTC), within=WITHIN)
    assert update.event_id is None and update.changes == (("new", None, "proposed"),)


def test_a_meeting_to_come_told_days_after_one_was_held_may_still_be_it() -> None:
    # the guard: the days right after, a report may still tell of the meeting that was to be
    held = known(type="talks", status="held", date_value="2018-09-10", location=None,
                 participants={"Liu He", "Steven Mnuchin"})
    update = resolve(ev(type_="talks", status="proposed", date=None, location=None,
                        participants=("Steven Mnuchin", "Liu He")),
                     [held], published=datetime(2018, 9, 13, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 1


def test_talks_resumed_after_a_suspension_the_article_tells_lift_that_one() -> None:
    # "resumed in London this weekend, ten days after a positive test brought them to a halt"
    from bot.domain import Evidence
    from bot.resolve import implied_resumptions

    talks = ev(type_="talks", status="held", date="2020-11-28/2020-11-29", location="London", participants=())
    talks.evidence = [Evidence("Face-to-face negotiations resumed in London this weekend.", 0, 56)]
    paused = ev(type_="suspension", status="in_effect", date="2020-11-19", location=None, participants=())
    told = implied_resumptions([paused, talks])
    assert [(e.type, e.status) for e in told] == [("suspension", "lifted"), ("talks", "held")]
    # the guard: a suspension that began after the talks were told resumed stays in effect
    later = ev(type_="suspension", status="in_effect", date="2020-12-01", location=None, participants=())
    assert [(e.type, e.status) for e in implied_resumptions([later, talks])] == [("suspension", "in_effect"),
                                                                                ("talks", "held")]


def test_a_deadline_first_heard_of_when_already_missed_is_history() -> None:
    # "Johnson's deadline of October 15 has come and gone": recorded, no alert
    passed = ev(type_="deadline", status="missed", date="2020-10-15", location=None, participants=("Boris Johnson",))
    update = resolve(passed, [], published=datetime(2020, 10, 21, tzinfo=UTC), within=WITHIN)
    assert update.event_id is None and update.history and update.changes == ()
    # the guard: a deadline still to meet is news
    ahead = ev(type_="deadline", status="active", date="2020-12-31", location=None, participants=())
    assert resolve(ahead, [], published=datetime(2020, 10, 21, tzinfo=UTC), within=WITHIN).changes == (
        ("new", None, "active"),)


def test_a_meeting_still_to_come_is_not_one_held_days_before_it_was_told() -> None:
    # "the round of May 9 and 10" (held) is not the trip Mnuchin spoke of on May 15 (proposed)
    trip = known(type="visit", status="proposed", date_value=None, location="Beijing", participants={"Steven Mnuchin"},
                 as_of=datetime(2019, 5, 17, tzinfo=UTC))
    round_ = ev(type_="visit", status="held", date="2019-05-09/2019-05-10", location=None,
                participants=("Steven Mnuchin", "Liu He"))
    update = resolve(round_, [trip], published=datetime(2019, 6, 10, tzinfo=UTC), within=WITHIN)
    assert update.event_id is None
    # the guard: held after it was told still to come, it is that meeting
    later = ev(type_="visit", status="held", date="2019-05-20", location=None, participants=("Steven Mnuchin",))
    assert resolve(later, [trip], published=datetime(2019, 6, 10, tzinfo=UTC), within=WITHIN).event_id == 1


def test_a_round_set_for_a_day_and_held_a_day_late_in_the_same_place_is_that_round() -> None:
    # "to open in Vienna on March 17" ... "opened with formal sessions in Vienna on Tuesday, March 18"
    set_for = known(type="talks", status="scheduled", date_value="2014-03-17", location="Vienna", participants=set())
    held = ev(type_="talks", status="held", date="2014-03-18/2014-03-19", location="Vienna", participants=())
    update = resolve(held, [set_for], published=datetime(2014, 4, 10, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 1 and ("status", "scheduled", "held") in update.changes
    # the guard: three weeks later it is another round
    later = ev(type_="talks", status="held", date="2014-04-07/2014-04-09", location="Vienna", participants=())
    assert resolve(later, [set_for], published=datetime(2014, 4, 10, tzinfo=UTC), within=WITHIN).event_id is None


def test_a_summit_to_come_told_a_few_days_off_is_the_same_summit() -> None:
    # "a summit in Brussels next week" ... "EU leaders meet in Brussels on October 17 and 18"
    vague = known(type="summit", status="proposed", date_value="2019-W41", location="Brussels", participants=set())
    told = ev(type_="summit", status="scheduled", date="2019-10-17/2019-10-18", location="Brussels", participants=())
    update = resolve(told, [vague], published=datetime(2019, 10, 11, tzinfo=UTC), within=WITHIN)
    assert update.event_id == 1 and ("date", "2019-W41", "2019-10-17/2019-10-18") in update.changes
    # the guard: a month off is another summit
    later = ev(type_="summit", status="scheduled", date="2019-12-12/2019-12-13", location="Brussels", participants=())
    assert resolve(later, [vague], published=datetime(2019, 10, 11, tzinfo=UTC), within=WITHIN).event_id is None


def test_a_call_is_not_a_visit_the_tracker_knows_at_a_place() -> None:
    # "on Saturday, March 24, Liu spoke to Mnuchin by telephone" is not Liu's visit to Washington
    visit = known(type="visit", status="held", date_value=None, location="Washington",
                  participants={"Liu He", "Steven Mnuchin"})
    call = ev(type_="meeting", status="held", date="2018-03-24", location=None, participants=("Liu He", "Steven Mnuchin"))
    call.remote = True
    assert resolve(call, [visit], published=datetime(2018, 4, 5, tzinfo=UTC), within=WITHIN).event_id is None
    # the guard: the call told again is the call
    known_call = known(type="meeting", status="held", date_value="2018-03-24", location=None,
                       participants={"Liu He", "Steven Mnuchin"})
    assert resolve(call, [known_call], published=datetime(2018, 4, 5, tzinfo=UTC), within=WITHIN).event_id == 1
