"""Helpers for extraction tests: an article's events, a short view of them, and an extractor for one of
the other negotiations' tracker files (tests/data/negotiations/)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bot.domain import ExtractedEvent

NEGOTIATIONS = Path(__file__).parent / "data" / "negotiations"


def events_of(extractor: Any, text: str, published: str) -> list[ExtractedEvent]:
    return list(extractor.extract(text, date.fromisoformat(published)))


def meetings_of(extractor: Any, text: str, published: str) -> list[ExtractedEvent]:
    """The article's meetings, summits, talks and visits."""
    from bot.event_types import MEETING_TYPES

    return [e for e in events_of(extractor, text, published) if e.type in MEETING_TYPES]


def show(events: list[ExtractedEvent]) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.type, e.status, e.date.value if e.date else None, e.location) for e in events]


def negotiation_extractor(slug: str) -> Any:
    """An extractor for tests/data/negotiations/<slug>/tracker.toml (the model is loaded once per process)."""
    from bot.extract.events import Extractor
    from bot.extract.nlp import load_nlp
    from bot.tracker import load_tracker_file

    tracker = load_tracker_file(NEGOTIATIONS / slug / "tracker.toml")
    return Extractor(load_nlp(tracker), tracker)
