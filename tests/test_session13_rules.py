"""Rules found through the dev stories in session 13 (issue 9). Each text is written for its test."""

from __future__ import annotations

from tests.extracting import events_of as _events


def _meetings(extractor, text: str, published: str) -> list[tuple[str, str, str | None, str | None, list[str]]]:  # type: ignore[no-untyped-def]
    return [(e.type, e.status, e.date.value if e.date else None, e.location, sorted(e.participants))
            for e in _events(extractor, text, published) if e.type in {"meeting", "summit", "talks", "visit"}]


def test_a_title_beside_a_name_is_that_person(brexit) -> None:  # type: ignore[no-untyped-def]
    # in 2018 the tracker's "Brexit secretary" is Barclay by year; the apposition names Raab
    text = "Dominic Raab, the Brexit secretary, will travel to Brussels on Tuesday, August 21, to meet Michel Barnier."
    got = _meetings(brexit, text, "2018-08-17")
    assert got == [("meeting", "scheduled", "2018-08-21", "Brussels", ["Dominic Raab", "Michel Barnier"])]


def test_a_title_before_a_comma_and_name_is_that_person(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "The Brexit secretary, Dominic Raab, will meet Michel Barnier in Brussels on Tuesday, August 21."
    got = _meetings(brexit, text, "2018-08-17")
    assert [g[4] for g in got] == [["Dominic Raab", "Michel Barnier"]]


def test_a_title_alone_is_its_holder(brexit) -> None:  # type: ignore[no-untyped-def]
    # the guard: without a name beside it the title still stands for the year's holder
    text = "The Brexit secretary will meet Michel Barnier in Brussels on Tuesday, March 19."
    got = _meetings(brexit, text, "2019-03-15")
    assert [g[4] for g in got] == [["Michel Barnier", "Stephen Barclay"]]


def test_the_leaders_summit_is_not_the_negotiators_meeting(brexit) -> None:  # type: ignore[no-untyped-def]
    text = ("BRUSSELS \u2014 Dominic Raab will travel to Brussels on Tuesday, August 21, to meet Michel Barnier. "
            "Both sides are aiming to finish in time for the European Council in Brussels in the autumn.")
    got = _meetings(brexit, text, "2018-08-17")
    assert ("meeting", "scheduled", "2018-08-21", "Brussels", ["Dominic Raab", "Michel Barnier"]) in got
    assert not any(t == "summit" and d == "2018-08-21" for t, _, d, _, _ in got)
