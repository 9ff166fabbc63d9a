"""Deadlines and meetings as news tells them: a deadline named by its date in a past-tense report, one
extended until a new date, delegations meeting (talks) and leaders meeting (a summit)."""

from __future__ import annotations

from datetime import date


def test_a_deadline_named_by_its_date_in_a_past_tense_report_is_the_coming_one(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("TOKYO, Feb. 10 - Japanese officials said on Sunday that the March 1 deadline for a Russian reply "
            "on the peace treaty still applied.")
    found = [e for e in extractor.extract(text, date(2019, 2, 10)) if e.type == "deadline"]
    assert [(e.date.value if e.date else None, e.status) for e in found] == [("2019-03-01", "active")], found


def test_talks_extended_until_a_date_are_a_deadline_there(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("MOSCOW, July 19 - Russia and Japan agreed on Friday to extend their talks on a peace treaty "
            "until November 24, after two weeks of negotiations in Moscow left the gaps unresolved.")
    found = [e for e in extractor.extract(text, date(2014, 7, 19)) if e.type == "deadline"]
    assert [(e.date.value if e.date else None, e.status) for e in found] == [("2014-11-24", "active")], found


def test_negotiators_meeting_is_a_round_of_talks(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "TOKYO, Oct. 1 - Negotiators from Russia and Japan will meet in Geneva on October 15, officials said."
    found = [(e.type, e.location, e.date.value if e.date else None) for e in extractor.extract(text, date(2013, 10, 1))]
    assert ("talks", "Geneva", "2013-10-15") in found, found


def test_leaders_meeting_is_a_summit(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "MOSCOW, April 1 - The leaders of Russia and Japan will meet in Vladivostok on April 29, officials said."
    found = [(e.type, e.location, e.date.value if e.date else None) for e in extractor.extract(text, date(2017, 4, 1))]
    assert ("summit", "Vladivostok", "2017-04-29") in found, found


def test_a_working_dinner_is_a_meeting(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "MOSCOW, Jan. 16 - Sergei Lavrov and Taro Kono met over a working dinner in Moscow on Tuesday."
    found = [(e.type, e.location, e.status) for e in extractor.extract(text, date(2019, 1, 16))]
    assert ("meeting", "Moscow", "held") in found, found
    text = "MOSCOW, Jan. 16 - Sergei Lavrov will host Taro Kono for dinner in Moscow on Friday."
    found = [(e.type, e.location, e.status) for e in extractor.extract(text, date(2019, 1, 16))]
    assert ("meeting", "Moscow", "scheduled") in found, found


def test_what_might_happen_lies_ahead(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "TOKYO, Nov. 1 - Vladimir Putin and Shinzo Abe might meet in Vladivostok in September, officials said."
    found = [(e.type, e.location, e.date.value if e.date else None, e.status)
             for e in extractor.extract(text, date(2018, 11, 1))]
    assert ("summit", "Vladivostok", "2019-09", "proposed") in found, found


def test_what_a_leader_wrote_is_a_statement_of_that_day(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("TOKYO, Jan. 12 - Prime Minister Shinzo Abe wrote on Twitter on Friday that the talks with Russia "
            "on a peace treaty had been candid and constructive.")
    found = [(e.type, e.participants, e.date.value if e.date else None) for e in extractor.extract(text, date(2019, 1, 12))]
    assert ("statement", ["Shinzo Abe"], "2019-01-11") in found, found
