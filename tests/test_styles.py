"""Readings found on articles written in the styles a dev split lacked (brief, timeline, column,
analysis, digest, feature; issue 9, session 7): each rule is general, each test uses its own text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.domain import ExtractedEvent

NEGOTIATIONS = Path(__file__).parent / "data" / "negotiations"


def _events(extractor: Any, text: str, published: str) -> list[ExtractedEvent]:
    return list(extractor.extract(text, date.fromisoformat(published)))


def _show(events: list[ExtractedEvent]) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.type, e.status, e.date.value if e.date else None, e.location) for e in events]


@pytest.fixture(scope="module")
def brexit():  # type: ignore[no-untyped-def]
    from bot.extract.events import Extractor
    from bot.extract.nlp import load_nlp
    from bot.tracker import load_tracker_file

    tracker = load_tracker_file(NEGOTIATIONS / "brexit" / "tracker.toml")
    return Extractor(load_nlp(tracker), tracker)


@pytest.mark.parametrize("text", [
    "Japan has put on hold the summit it had planned for December, officials in Tokyo said on Monday.",
    "Tokyo puts December summit with Moscow on hold.\n\nThe foreign ministry gave no reason.",
])
def test_a_meeting_put_on_hold_is_postponed(extractor, text: str) -> None:  # type: ignore[no-untyped-def]
    summits = [e for e in _events(extractor, text, "2000-10-02") if e.type == "summit"]
    assert [e.status for e in summits] == ["postponed"]


def test_the_trackers_subject_is_no_place(brexit) -> None:  # type: ignore[no-untyped-def]
    text = "European Union leaders will hold a special Brexit summit in November, Donald Tusk said on Thursday."
    summits = [e for e in _events(brexit, text, "2018-10-18") if e.type == "summit"]
    assert [(e.status, e.location) for e in summits] == [("scheduled", None)]
