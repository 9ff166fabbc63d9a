"""Tests for the temporal expression normaliser (bot/extract/timex.py)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.extract.timex import Tense, Timex, find_dates, interval, normalize

A = date(2000, 11, 6)  # Monday, ISO 2000-W45
B = date(2016, 12, 17)  # Saturday, ISO 2016-W50
C = date(2019, 1, 23)  # Wednesday, ISO 2019-W04
D = date(1997, 11, 3)  # Monday, ISO 1997-W45
E = date(2022, 3, 22)  # Tuesday, ISO 2022-W12

CASES: list[tuple[str, date, Tense | None, str | None, str | None]] = [
    # the examples of the brief, anchor 2000-11-06
    ("late last week", A, None, "2000-W44", "END"),
    ("last week", A, None, "2000-W44", None),
    ("this past September", A, None, "2000-09", None),
    ("October 23-24", A, None, "2000-10-23/2000-10-24", None),
    ("November 15", A, None, "2000-11-15", None),
    ("the end of this year", A, None, "2000", "END"),
    ("the year 2000", A, None, "2000", None),
    ("1997", A, None, "1997", None),
    ("late this year", A, None, "2000", "END"),
    ("next month", A, None, "2000-12", None),
    ("early next year", A, None, "2001", "START"),
    # either of two months is the two of them; a month "of next year"
    ("October or November of next year", A, None, "2001-10/2001-11", None),
    ("May or June 2001", A, None, "2001-05/2001-06", None),
    ("November of 2001", A, None, "2001-11", None),
    # the early hours are the day of the report, or of the day named after them
    ("in the early hours", A, None, "2000-11-06", None),
    ("the early hours of Sunday", A, "past", "2000-11-05", None),
    ("mid-November", A, None, "2000-11", "MID"),
    ("last Tuesday", A, None, "2000-10-31", None),
    ("two years ago", A, None, "1998", None),
    ("this spring", A, None, "2000-SP", None),
    ("the first half of next year", A, None, "2001-H1", None),
    ("December 15-16", A, None, "2000-12-15/2000-12-16", None),
    ("March 25, 2001", A, None, "2001-03-25", None),
    ("Jan. 10", A, None, "2001-01-10", None),
    ("the 1990s", A, None, "1990/1999", None),
    ("today", A, None, "2000-11-06", None),
    ("yesterday", A, None, "2000-11-05", None),
    ("Wednesday", A, None, "2000-11-01", None),
    ("this week", A, None, "2000-W45", None),
    ("the autumn of 2016", A, None, "2016-FA", None),
    ("November 1-2, 1997", A, None, "1997-11-01/1997-11-02", None),
    ("between October 23 and 24", A, None, "2000-10-23/2000-10-24", None),
    ("by 2000", A, None, "2000", None),
    ("by the year 2000", A, None, "2000", None),
    ("September 2000", A, None, "2000-09", None),
    ("early March", A, None, "2001-03", "START"),
    ("before March", A, None, "2001-03", "BEFORE"),
    # year inference by tense
    ("March 25", A, None, "2001-03-25", None),
    ("March 25", A, "past", "2000-03-25", None),
    ("September", A, None, "2000-09", None),
    ("September", A, "future", "2001-09", None),
    ("November", A, "future", "2000-11", None),
    ("on Tuesday", A, "future", "2000-11-07", None),
    ("Monday", A, None, "2000-11-06", None),
    ("Sept. 3", A, None, "2000-09-03", None),
    # forms of days and ranges
    ("the 15th of November", A, None, "2000-11-15", None),
    ("November 15th", A, None, "2000-11-15", None),
    ("15 November 2000", A, None, "2000-11-15", None),
    ("Nov. 3", A, None, "2000-11-03", None),
    ("October 23 to 24", A, None, "2000-10-23/2000-10-24", None),
    ("October 30-November 2", A, None, "2000-10-30/2000-11-02", None),
    ("December 30-January 2", A, None, "2000-12-30/2001-01-02", None),
    ("2016-2018", A, None, "2016/2018", None),
    ("from 1997 to 2000", A, None, "1997/2000", None),
    ("September to December 2000", A, None, "2000-09/2000-12", None),
    ("2000-11-15", A, None, "2000-11-15", None),
    ("Tuesday, Nov. 14", A, None, "2000-11-14", None),
    ("10 a.m. Tuesday", A, None, "2000-10-31", None),
    ("2000's", A, None, "2000", None),
    ("the third quarter of next year", A, None, "2001-Q3", None),
    ("around 2000", A, None, "2000", "APPROX"),
    ("in the 1990s", A, None, "1990/1999", None),
    # anchor 2016-12-17 (Saturday)
    ("December 15-16", B, None, "2016-12-15/2016-12-16", None),
    ("last week", B, None, "2016-W49", None),
    ("Thursday", B, None, "2016-12-15", None),
    ("next Monday", B, None, "2016-12-19", None),
    ("November 15", B, "past", "2016-11-15", None),
    ("January", B, "future", "2017-01", None),
    ("next spring", B, None, "2017-SP", None),
    ("the fourth quarter of 2016", B, None, "2016-Q4", None),
    ("the autumn of 2016", B, None, "2016-FA", None),
    ("this year", B, None, "2016", None),
    ("two years ago", B, None, "2014", None),
    ("the second half of November", B, None, "2016-11", "END"),
    # anchor 2019-01-23 (Wednesday)
    ("this week", C, None, "2019-W04", None),
    ("next week", C, None, "2019-W05", None),
    ("late last week", C, None, "2019-W03", "END"),
    ("December", C, None, "2018-12", None),
    ("December", C, "future", "2019-12", None),
    ("March", C, "past", "2018-03", None),
    ("this winter", C, None, "2018-WI", None),
    ("last winter", C, None, "2017-WI", None),
    ("next spring", C, None, "2019-SP", None),
    ("Monday", C, None, "2019-01-21", None),
    ("Monday", C, "future", "2019-01-28", None),
    ("Wednesday", C, "past", "2019-01-23", None),
    ("last Wednesday", C, None, "2019-01-16", None),
    ("the end of last year", C, None, "2018", "END"),
    ("Jan. 10", C, None, "2019-01-10", None),
    ("the third quarter", C, None, "2018-Q3", None),
    ("three days ago", C, None, "2019-01-20", None),
    ("a month ago", C, None, "2018-12", None),
    ("September of last year", C, None, "2018-09", None),
    # anchor 1997-11-03 (Monday)
    ("November 1-2, 1997", D, None, "1997-11-01/1997-11-02", None),
    ("November 1-2", D, "past", "1997-11-01/1997-11-02", None),
    ("November 1-2", D, "future", "1998-11-01/1998-11-02", None),
    ("by 2000", D, None, "2000", None),
    ("the year 2000", D, None, "2000", None),
    ("late last week", D, None, "1997-W44", "END"),
    ("yesterday", D, None, "1997-11-02", None),
    ("Saturday", D, None, "1997-11-01", None),
    ("in 1997", D, None, "1997", None),
    ("the '90s", D, None, "1990/1999", None),
    ("the nineties", D, None, "1990/1999", None),
    # anchor 2022-03-22 (Tuesday)
    ("the first half of next year", E, None, "2023-H1", None),
    ("the end of the month", E, None, "2022-03", "END"),
    ("the weekend", E, None, "2022-03-19/2022-03-20", None),
    ("this past weekend", E, None, "2022-03-19/2022-03-20", None),
    ("this weekend", E, None, "2022-03-26/2022-03-27", None),
    ("next quarter", E, None, "2022-Q2", None),
    ("Q3", E, None, "2022-Q3", None),
    ("the July-September quarter", E, None, "2022-Q3", None),
    ("early 2022", E, None, "2022", "START"),
    ("the mid-1990s", E, None, "1990/1999", "MID"),
    ("the early 1990s", E, None, "1990/1999", "START"),
    ("in two weeks", E, None, "2022-W14", None),
    ("in three days", E, None, "2022-03-25", None),
    ("tomorrow", E, None, "2022-03-23", None),
    ("about a year ago", E, None, "2021", "APPROX"),
    ("after 2000", E, None, "2000", "AFTER"),
    ("the beginning of next month", E, None, "2022-04", "START"),
    ("the middle of next week", E, None, "2022-W13", "MID"),
    ("until the end of March", E, None, "2022-03", "END"),
    ("earlier this year", E, None, "2022", None),
    ("end-November", E, None, "2021-11", "END"),
    ("June 30 next year", E, None, "2023-06-30", None),
    ("March last year", E, None, "2021-03", None),
    # days of a week named (session 10): counted from that week's Monday, whatever the day of writing
    ("Thursday of last week", date(2020, 3, 28), "past", "2020-03-19", None),
    ("on Friday last week", date(2020, 6, 6), None, "2020-05-29", None),
    ("from Monday to Friday this week", date(2020, 6, 6), "past", "2020-06-01/2020-06-05", None),
    ("Tuesday to Thursday next week", E, None, "2022-03-29/2022-03-31", None),
]


@pytest.mark.parametrize(("text", "anchor", "tense", "value", "mod"), CASES)
def test_normalize(text: str, anchor: date, tense: Tense | None, value: str | None, mod: str | None) -> None:
    tx = normalize(text, anchor=anchor, tense=tense)
    assert tx is not None
    assert (tx.value, tx.mod) == (value, mod)
    assert tx.text == text


@pytest.mark.parametrize(
    "text",
    ["two days", "a two-day visit", "two-day", "60 years", "decades", "daily", "annual", "10 a.m.",
     "noon", "the past two years", "within two years", "for two years", "a year", "the summit", ""],
)  # fmt: skip
def test_not_a_date(text: str) -> None:
    assert normalize(text, anchor=A) is None


@pytest.mark.parametrize(
    "text",
    ["the following day", "the day before", "the next day", "two days later", "recently", "now",
     "after the summit", "fiscal 2000", "several years ago", "the previous year", "November 31"],
)  # fmt: skip
def test_unresolvable(text: str) -> None:
    assert normalize(text, anchor=A) == Timex(None, None, text, "none")


@pytest.mark.parametrize(
    ("text", "granularity"),
    [("November 15", "day"), ("last week", "week"), ("next month", "month"), ("Q3", "quarter"),
     ("the first half of next year", "half"), ("this spring", "season"), ("1997", "year"),
     ("the 1990s", "decade"), ("October 23-24", "range"), ("in three days", "day")],
)  # fmt: skip
def test_granularity(text: str, granularity: str) -> None:
    tx = normalize(text, anchor=A)
    assert tx is not None and tx.granularity == granularity


def test_timex_is_frozen() -> None:
    tx = normalize("today", anchor=A)
    assert tx is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        tx.value = "2001"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000", (date(2000, 1, 1), date(2000, 12, 31))),
        ("2000-02", (date(2000, 2, 1), date(2000, 2, 29))),
        ("2000-11-15", (date(2000, 11, 15), date(2000, 11, 15))),
        ("2000-W44", (date(2000, 10, 30), date(2000, 11, 5))),
        ("2004-W53", (date(2004, 12, 27), date(2005, 1, 2))),
        ("2000-Q4", (date(2000, 10, 1), date(2000, 12, 31))),
        ("2000-H1", (date(2000, 1, 1), date(2000, 6, 30))),
        ("2000-SP", (date(2000, 3, 1), date(2000, 5, 31))),
        ("2000-SU", (date(2000, 6, 1), date(2000, 8, 31))),
        ("2000-FA", (date(2000, 9, 1), date(2000, 11, 30))),
        ("2000-WI", (date(2000, 12, 1), date(2001, 2, 28))),
        ("1990/1999", (date(1990, 1, 1), date(1999, 12, 31))),
        ("199X", (date(1990, 1, 1), date(1999, 12, 31))),
        ("2000-10-23/2000-10-24", (date(2000, 10, 23), date(2000, 10, 24))),
        ("2000-09/2000-12", (date(2000, 9, 1), date(2000, 12, 31))),
        ("2000-W44/2000-11-15", (date(2000, 10, 30), date(2000, 11, 15))),
    ],
)
def test_interval(value: str, expected: tuple[date, date]) -> None:
    assert interval(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", "garbage", "2000-13", "2000-02-30", "2000-Q5", "2000-H3", "2000-W53", "2001/2000",
     "2000/2001/2002", "19X", "2000-XX"],
)  # fmt: skip
def test_interval_garbage(value: str | None) -> None:
    assert interval(value) is None


def test_every_normalized_value_has_an_interval() -> None:
    for text, anchor, tense, value, _ in CASES:
        tx = normalize(text, anchor=anchor, tense=tense)
        assert tx is not None and interval(tx.value) is not None, (text, value)


ARTICLE = (
    "Putin and Mori met late last week in Brunei, and again this past September. "
    "Talks are set for October 23-24 and November 15, with a deadline by the year 2000 agreed "
    "in 1997 at Krasnoyarsk (Nov. 3). They may sign a treaty by the end of this year, "
    "on March 25, 2001 or early next year; the troops march on. Officials met on Tuesday and "
    "two years ago, between October 23 and 24. A two-day visit in mid-November, the first "
    "in 60 years, ended at 10 a.m. Monday. The 1956 declaration was discussed in June."
)


def test_find_dates_article() -> None:
    found = find_dates(ARTICLE, anchor=A)
    got = [(ARTICLE[s:e], tx.value, tx.mod) for s, e, tx in found]
    assert got == [
        ("late last week", "2000-W44", "END"),
        ("this past September", "2000-09", None),
        ("October 23-24", "2000-10-23/2000-10-24", None),
        ("November 15", "2000-11-15", None),
        ("by the year 2000", "2000", None),
        ("in 1997", "1997", None),
        ("Nov. 3", "2000-11-03", None),
        ("by the end of this year", "2000", "END"),
        ("March 25, 2001", "2001-03-25", None),
        ("early next year", "2001", "START"),
        ("Tuesday", "2000-10-31", None),
        ("two years ago", "1998", None),
        ("between October 23 and 24", "2000-10-23/2000-10-24", None),
        ("mid-November", "2000-11", "MID"),
        ("Monday", "2000-11-06", None),
        ("in June", "2000-06", None),
    ]
    for start, end, tx in found:
        assert tx.text == ARTICLE[start:end]
    spans = [(s, e) for s, e, _ in found]
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))


def test_find_dates_longest_match_and_offsets() -> None:
    text = "It was signed on November 1-2, 1997, and from October 30 to November 2 talks went on."
    found = find_dates(text, anchor=A)
    assert [(text[s:e], tx.value) for s, e, tx in found] == [
        ("November 1-2, 1997", "1997-11-01/1997-11-02"),
        ("from October 30 to November 2", "2000-10-30/2000-11-02"),
    ]


def test_find_dates_day_first_and_decades() -> None:
    text = "Signed on 15 November 2000 and the 3rd of December.\nIn the 1990s and 2016-2018, too."
    got = [(text[s:e], tx.value) for s, e, tx in find_dates(text, anchor=A)]
    assert got == [
        ("15 November 2000", "2000-11-15"),
        ("the 3rd of December", "2000-12-03"),
        ("the 1990s", "1990/1999"),
        ("2016-2018", "2016/2018"),
    ]


def test_find_dates_ignores_lower_case_words_and_durations() -> None:
    text = "They may march for two days; a sat. 60 years ago-ish? The plan takes decades."
    assert find_dates(text, anchor=A) == []
    assert find_dates("", anchor=A) == []
