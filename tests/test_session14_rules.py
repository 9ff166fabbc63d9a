"""Rules found through the dev stories in session 14 (issue 9). Each text is written for its test."""

from __future__ import annotations

from tests.extracting import events_of as _events


def _kinds(extractor, text: str, published: str) -> list[tuple[str, str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(e.type, e.status, e.date.value if e.date else None, e.location) for e in _events(extractor, text, published)
            if e.type != "statement"]


def test_a_round_that_ended_is_no_deadline_missed(brexit) -> None:  # type: ignore[no-untyped-def]
    # the parse hangs "ended" on "agreement" (the nearest noun); the round is what ended, in Brussels
    text = "The ninth round of negotiations on a post-Brexit trade agreement ended in Brussels on Friday without a breakthrough."
    got = _kinds(brexit, text, "2020-10-03")
    assert got == [("talks", "held", "2020-10-02", "Brussels")]


def test_an_agreement_that_ends_is_still_a_deadline(brexit) -> None:  # type: ignore[no-untyped-def]
    # the guard: a period's own end is a deadline
    text = "The transition period, during which Britain still applies EU rules, ends on December 31."
    assert [(t, s, d) for t, s, d, _ in _kinds(brexit, text, "2020-10-03")] == [("deadline", "active", "2020-12-31")]


def test_ending_a_stretch_without_talks_is_no_suspension(uschina) -> None:  # type: ignore[no-untyped-def]
    for text in ("The Buenos Aires dinner also ends a long stretch without negotiations.",
                 "The call on Friday ended the three-month stalemate."):
        assert not [k for k in _kinds(uschina, text, "2018-12-02") if k[0] == "suspension"], text


def test_ending_the_talks_is_a_suspension(uschina) -> None:  # type: ignore[no-untyped-def]
    # the guard: the talks themselves ended by one side
    text = "China ended the talks on Friday, walking out over the new tariffs."
    assert [k[:2] for k in _kinds(uschina, text, "2018-12-02") if k[0] == "suspension"] == [("suspension", "in_effect")]


def test_a_weekend_of_talks_that_ended_is_no_suspension(uschina) -> None:  # type: ignore[no-untyped-def]
    text = ("Commerce Secretary Wilbur Ross's weekend of talks with Vice Premier Liu He ended on Sunday with talk "
            "of progress on Chinese purchases of American farm goods.")
    assert not [k for k in _kinds(uschina, text, "2018-06-04") if k[0] == "suspension"]


def test_the_two_sides_joint_statement_is_an_agreement(farc) -> None:  # type: ignore[no-untyped-def]
    text = "On Friday the two delegations issued a joint statement in Havana asking the UN to set up a political mission."
    assert _kinds(farc, text, "2016-10-09") == [("agreement", "agreed", "2016-10-07", "Havana")]


def test_a_joint_statement_said_by_both_governments_is_agreed_not_signed(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "In a joint statement on Friday in Dublin, the two governments said a deal was still in everyone's interest."
    assert [k[:2] for k in _kinds(brexit, text, "2019-10-12")] == [("agreement", "agreed")]


def test_a_third_partys_joint_statement_is_no_agreement(farc) -> None:  # type: ignore[no-untyped-def]
    # the guard: the guarantors' appeal is theirs, not a deal of the two sides
    text = ("On Tuesday Cuba and Norway, the guarantors of the process, issued a joint statement in Havana calling on "
            "the two sides to de-escalate.")
    assert not [k for k in _kinds(farc, text, "2015-07-09") if k[0] == "agreement"]


def test_a_going_verb_tagged_as_a_noun_still_goes(uschina) -> None:  # type: ignore[no-untyped-def]
    # the tagger reads "travel" as a noun after a coordinated subject; its subject shows the verb
    text = ("Trade Representative Robert Lighthizer and Treasury Secretary Steven Mnuchin travel to Beijing for talks "
            "with Vice Premier Liu He beginning on Tuesday, April 30.")
    got = [(e.type, e.status, e.date.value if e.date else None, e.location, sorted(e.participants))
           for e in _events(uschina, text, "2019-04-06")]
    assert got == [("meeting", "scheduled", "2019-04-30", "Beijing", ["Liu He", "Robert Lighthizer", "Steven Mnuchin"])]


def test_travel_as_a_noun_is_no_trip(uschina) -> None:  # type: ignore[no-untyped-def]
    assert not _kinds(uschina, "Travel to Beijing was restricted on Tuesday, April 30.", "2019-04-06")


def test_in_exchange_for_is_nothing_suspended(iran) -> None:  # type: ignore[no-untyped-def]
    text = ("In Washington, President Barack Obama met senior senators at the White House on Tuesday to ask them to hold "
            "off on new sanctions while the talks go on. Obama argued that a short pause in new penalties in exchange "
            "for Iranian steps would test Tehran's intentions, officials said.")
    assert not [k for k in _kinds(iran, text, "2013-11-21") if k[0] == "suspension"]


def test_leaders_spoken_to_are_not_the_pair_named_before(brexit) -> None:  # type: ignore[no-untyped-def]
    # "recommend to the leaders": the EU's leaders as an audience, not May and Juncker of the dinner
    text = ("Monday's dinner.\n The summit was prepared at a working dinner at the Commission on Monday, October 16, "
            "where May met Jean-Claude Juncker, the Commission president. A joint statement afterwards described the "
            "dinner as constructive and friendly and said the two had agreed that the efforts should accelerate.\n\n"
            "The rounds behind it.\n The fifth round, held in Brussels from October 9 to 12, ended with Barnier "
            "telling reporters that the talks on money had reached a deadlock, and that he could not recommend to "
            "the leaders that the second phase begin.\n")
    rounds = [(e.type, sorted(e.participants)) for e in _events(brexit, text, "2017-10-21")
              if e.date and e.date.value == "2017-10-09/2017-10-12"]
    assert rounds == [("talks", ["Michel Barnier"])]


def test_the_two_leaders_are_still_the_pair(brexit) -> None:  # type: ignore[no-untyped-def]
    # the guard: "the two leaders" as the subject are the pair named before
    text = ("Theresa May met Jean-Claude Juncker in Brussels on Monday, October 16. "
            "The two leaders will meet again in Brussels on Wednesday, October 25.")
    again = [sorted(e.participants) for e in _events(brexit, text, "2017-10-21")
             if e.date and e.date.value == "2017-10-25"]
    assert again == [["Jean-Claude Juncker", "Theresa May"]]


def test_a_deadline_one_man_set_is_no_agreement(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "The Friday deadline Donald Trump set on Sunday passed without a deal."
    assert not [k for k in _kinds(uschina, text, "2019-05-11") if k[0] == "agreement"]


def test_a_goal_two_leaders_set_is_still_agreed(extractor) -> None:  # type: ignore[no-untyped-def]
    # the guard: the Krasnoyarsk goal, set by two
    text = "Yeltsin and Hashimoto set the goal of a peace treaty by 2000 at Krasnoyarsk in November 1997."
    assert ("agreement", "agreed", "1997-11", "Krasnoyarsk") in _kinds(extractor, text, "2000-11-06")


def test_a_meeting_due_before_a_day_is_not_yet_set(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "May said that the two sides would reconvene before the end of the week."
    assert [k[:2] for k in _kinds(brexit, text, "2017-12-05")] == [("talks", "proposed")]


def test_a_meeting_on_a_day_is_set(brexit) -> None:  # type: ignore[no-untyped-def]
    # the guard: a day of its own
    assert [k[:2] for k in _kinds(brexit, "The two sides will meet in Geneva on Friday.", "2017-12-05")] == [
        ("talks", "scheduled")]


def test_a_task_that_will_be_done_by_a_day_is_a_deadline(uschina) -> None:  # type: ignore[no-untyped-def]
    text = "The final list of products will be announced by June 15, and the duties will be imposed shortly after that."
    assert [k[:3] for k in _kinds(uschina, text, "2018-05-30") if k[0] == "deadline"] == [("deadline", "active", "2018-06-15")]


def test_talks_held_by_a_day_are_no_deadline(uschina) -> None:  # type: ignore[no-untyped-def]
    # the guard: a meeting's own limit dates the meeting
    assert not [k for k in _kinds(uschina, "Talks will be held by the end of June.", "2018-05-30") if k[0] == "deadline"]


def test_time_given_until_a_weekday_runs_ahead(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("Boris Johnson and Ursula von der Leyen failed to break the deadlock over a dinner on Wednesday evening, "
            "and gave their negotiators until Sunday to find a way through.")
    assert [k[:3] for k in _kinds(brexit, text, "2020-12-10") if k[0] == "deadline"] == [("deadline", "active", "2020-12-13")]


def test_a_decision_given_months_is_a_deadline(farc) -> None:  # type: ignore[no-untyped-def]
    text = ("Colombia's government and the FARC guerrillas agreed on Sunday on steps to scale down their war, and "
            "President Juan Manuel Santos said he would decide within four months whether the negotiations deserve "
            "to continue.")
    assert [k[:3] for k in _kinds(farc, text, "2015-07-13") if k[0] == "deadline"] == [("deadline", "active", "2015-11")]


def test_meetings_in_some_weeks_are_no_deadline(farc) -> None:  # type: ignore[no-untyped-def]
    # the guard: a span counted, no term given
    assert not [k for k in _kinds(farc, "The two delegations met twice in three weeks in Havana.", "2015-07-13")
                if k[0] == "deadline"]


def test_a_round_known_by_its_first_day_is_the_round_told_from_that_day() -> None:
    from datetime import UTC, datetime

    from bot.domain import DateValue, ExtractedEvent
    from bot.resolve import KnownEvent, resolve

    june6 = datetime(2020, 6, 6, tzinfo=UTC)
    round_ = KnownEvent(id=7, type="talks", status="scheduled", date_value="2020-04-20", location=None,
                        participants=set(), parties=set(), as_of=datetime(2020, 4, 16, tzinfo=UTC))
    told = ExtractedEvent(type="talks", status="held", date=DateValue("2020-04-20/2020-04-24"), location=None,
                          participants=[], parties=[])
    update = resolve(told, [round_], published=june6, within={})
    assert update.event_id == 7 and ("status", "scheduled", "held") in update.changes
    # the guard: a round told from another day is not it
    later = ExtractedEvent(type="talks", status="held", date=DateValue("2020-04-21/2020-04-24"), location=None,
                           participants=[], parties=[])
    assert resolve(later, [round_], published=june6, within={}).event_id is None


def test_rounds_on_a_list_of_days_are_one_round_a_day(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("Three full negotiating weeks have been set, all to be held by video conference: the weeks beginning "
            "April 20, May 11 and June 1.")
    assert _kinds(brexit, text, "2020-04-16") == [("talks", "scheduled", d, None)
                                                  for d in ("2020-04-20", "2020-05-11", "2020-06-01")]
    got = _kinds(brexit, "Further rounds will be held on May 11 and June 1.", "2020-04-16")
    assert [k[2] for k in got] == ["2020-05-11", "2020-06-01"]


def test_weeks_of_time_are_no_sittings(farc) -> None:  # type: ignore[no-untyped-def]
    # the guard: "two weeks after his capture" lists no sittings
    text = ("The FARC freed General Ruben Dario Alzate on Sunday, two weeks after his capture, and Santos said on "
            "Monday that the government's negotiators were returning to Havana.")
    assert [k for k in _kinds(farc, text, "2014-12-02") if k[0] in {"talks", "meeting"} and k[2]] == []


def test_a_communique_that_is_not_joint_is_read_as_before(farc) -> None:  # type: ignore[no-untyped-def]
    # the two-sides test is for joint statements only; a plain communique keeps the agreement reading
    text = "Cuba and Norway read out the communique in Havana on Friday, October 7."
    assert [k[:2] for k in _kinds(farc, text, "2016-10-09")] == [("agreement", "agreed")]
