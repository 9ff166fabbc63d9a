"""Alerts read like a wire flash: who, what, where and when, in the tense the status gives."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain import ChangeView, EventView
from bot.flash import flash_all, flash_of


def ev(**changed: Any) -> EventView:
    base: dict[str, Any] = dict(id=1, type="summit", status="scheduled", date_value="2000-11-15", date_mod=None,
                                date_text=None, location="Brunei", summary="", mentions=1,
                                participants=("Vladimir Putin", "Yoshiro Mori"), parties=("Russia", "Japan"))
    return EventView(**(base | changed))


@pytest.mark.parametrize(("kind", "old", "new", "event", "text"), [
    ("type", "meeting", "summit", ev(),
     "Putin and Mori will hold a summit in Brunei on 15 Nov 2000 — upgraded from a meeting."),
    ("type", "talks", "summit", ev(),
     "Putin and Mori will hold a summit in Brunei on 15 Nov 2000 — upgraded from talks."),
    ("status", "scheduled", "held", ev(status="held"), "Putin and Mori held a summit in Brunei on 15 Nov 2000."),
    ("status", "scheduled", "postponed", ev(status="postponed"),
     "The summit of Putin and Mori in Brunei on 15 Nov 2000 has been postponed."),
    ("status", "scheduled", "cancelled", ev(type="visit", status="cancelled", participants=("Sergei Lavrov",),
                                            location="Tokyo"),
     "Lavrov's visit to Tokyo on 15 Nov 2000 has been called off."),
    ("new", None, "proposed", ev(type="talks", status="proposed", date_value="2001", date_mod="START"),
     "Talks between Putin and Mori in Brunei in early 2001 have been proposed."),
    ("date", "2000-11", "2000-11-15", ev(type="meeting", participants=("Igor Ivanov", "Yohei Kono")),
     "Ivanov and Kono will meet in Brunei on 15 Nov 2000 — now dated more closely (was Nov 2000)."),
    ("date", "2000-11-10", "2000-11-15", ev(type="meeting", participants=("Igor Ivanov", "Yohei Kono")),
     "Ivanov and Kono will meet in Brunei on 15 Nov 2000 — moved from 10 Nov 2000."),
    ("location", "Tokyo", "Brunei", ev(), "Putin and Mori will hold a summit in Brunei on 15 Nov 2000 — moved from Tokyo."),
    ("new", None, "active", ev(type="deadline", status="active", participants=(), location=None, date_value="2000",
                               date_mod="END"), "A deadline has been set for late 2000."),
    ("status", "active", "missed", ev(type="deadline", status="missed", participants=(), location=None,
                                      date_value="2000"), "The deadline of 2000 has been missed."),
    ("new", None, "signed", ev(type="agreement", status="signed", location="Irkutsk", date_value="2001-03-25"),
     "Putin and Mori signed an agreement in Irkutsk on 25 Mar 2001."),
    ("new", None, "in_effect", ev(type="suspension", status="in_effect", participants=(), location=None,
                                  date_value="2022-03-21"), "Japan and Russia suspended the talks on 21 Mar 2022."),
])
def test_a_change_reads_as_one_sentence(kind: str, old: str | None, new: str, event: EventView, text: str) -> None:
    assert flash_of(kind, old, new, event) == text


def test_people_sharing_a_surname_keep_their_first_names() -> None:
    text = flash_of("new", None, "scheduled", ev(type="meeting", participants=("Igor Ivanov", "Sergei Ivanov")))
    assert text.startswith("Igor Ivanov and Sergei Ivanov will meet")


def test_nobody_named_and_one_party_is_said_without_a_subject() -> None:
    assert flash_of("new", None, "held", ev(type="meeting", participants=(), parties=("Japan",), location=None,
                                             date_value="2000-10-23/2000-10-24")) == \
        "A meeting was held from 23 Oct 2000 to 24 Oct 2000."
    assert flash_of("new", None, "held", ev(type="visit", participants=(), location="Tokyo")) == \
        "A visit to Tokyo took place on 15 Nov 2000."


def test_a_surname_too_short_to_stand_alone_keeps_the_whole_name() -> None:
    text = flash_of("status", "scheduled", "held", ev(type="visit", status="held", participants=("Liu He",),
                                                      location="Washington"))
    assert text.startswith("Liu He visited Washington"), text


def test_a_family_name_keeps_its_particles() -> None:
    text = flash_of("status", "scheduled", "held", ev(type="talks", status="held",
                                                      participants=("Humberto de la Calle", "Ivan Marquez"),
                                                      location="Havana"))
    assert text.startswith("De la Calle and Marquez held talks in Havana"), text


def test_a_deadline_moved_says_moved_to_and_from() -> None:
    text = flash_of("date", "2016-10-31", "2016-12-31", ev(type="deadline", status="active", date_value="2016-12-31",
                                                           participants=(), location=None))
    assert text == "The deadline has been moved to 31 Dec 2016, from 31 Oct 2016.", text


def _changes(event: EventView, *told: tuple[str, str | None, str | None]) -> list[ChangeView]:
    return [ChangeView(id=n, kind=kind, old=old, new=new, created_at=datetime(2012, 10, 19, tzinfo=UTC), alert=True,
                       tracker_id=1, event=event) for n, (kind, old, new) in enumerate(told, 1)]


@pytest.mark.parametrize(("told", "event", "text"), [
    ([("status", "scheduled", "held"), ("date", "2012-10-01/2012-10-15", "2012-10-18"), ("location", "Oslo", "Hurdal")],
     ev(type="talks", status="held", date_value="2012-10-18", location="Hurdal", participants=(),
        parties=("Colombia", "FARC")),
     "Colombia and FARC held talks in Hurdal on 18 Oct 2012 — moved from Oslo, 1 Oct 2012 - 15 Oct 2012."),
    ([("status", "proposed", "scheduled"), ("type", "meeting", "summit")], ev(),
     "Putin and Mori will hold a summit in Brunei on 15 Nov 2000 — upgraded from a meeting."),
    ([("date", "2000-11", "2000-11-15"), ("location", None, "Brunei")], ev(),
     "Putin and Mori will hold a summit in Brunei on 15 Nov 2000 — now dated more closely (was Nov 2000); "
     "place now set."),
    ([("location", "Tokyo", "Brunei")], ev(), "Putin and Mori will hold a summit in Brunei on 15 Nov 2000 — moved from Tokyo."),
])
def test_what_one_article_changed_about_an_event_reads_as_one_flash(
        told: list[tuple[str, str | None, str | None]], event: EventView, text: str) -> None:
    assert flash_all(_changes(event, *told)) == text


def test_talks_nobody_named_were_held() -> None:
    assert flash_of("new", None, "held", ev(type="talks", status="held", participants=(), parties=("Japan",),
                                             location="Moscow", date_value="2000-11-03")) == \
        "Talks were held in Moscow on 3 Nov 2000."
