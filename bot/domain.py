"""The dataclasses that flow between stages: articles in, extracted events, status changes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date in the TIMEX-style format of FORMAT.md."""

    value: str | None
    mod: str | None = None
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "text": self.text, "mod": self.mod}


@dataclass(frozen=True, slots=True)
class Evidence:
    sentence: str
    start: int
    end: int


@dataclass(slots=True)
class ExtractedEvent:
    """One event as one article tells it, with the status in force at publication."""

    type: str
    status: str
    date: DateValue | None = None
    location: str | None = None
    participants: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    summary: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    attribution: list[str] = field(default_factory=list)
    confidence: float = 0.5
    # An event this article says was moved here: the date it had ("?" when the article does not
    # say). Extraction sets it when the sentence of the move tells it ('pushed back from November 15
    # to November 19'); the resolver's article pass (bot/resolve.py fold_deadline_moves) for the
    # deadlines of an article that tells the old date elsewhere.
    moved_from: str | None = None
    # Told by implication ("talks resumed": a suspension lifted): it changes an event the tracker
    # knows, and is dropped when there is none (bot/resolve.py implied_resumptions).
    implied: bool = False
    # An agreement only on how the talks go on ('agreed to meet again in January', 'agreed to extend the
    # talks', 'agreed to stay in close contact'): recorded, but the meeting or deadline it arranges carries
    # the news, so it alerts nothing by itself (bot/ingest.py).
    arrangement: bool = False
    # Told as a call ('spoke by telephone on Saturday'): a meeting held nowhere, never one the tracker knows
    # at a place (bot/resolve.py match_score)
    remote: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "status": self.status,
            "date": self.date.to_json() if self.date else {"value": None, "text": None, "mod": None},
            "location": self.location,
            "participants": list(self.participants),
            "parties": list(self.parties),
            "summary": self.summary,
            "evidence": [{"sentence": e.sentence, "start": e.start, "end": e.end} for e in self.evidence],
            "attribution": list(self.attribution),
            "confidence": round(self.confidence, 2),
        }


@dataclass(frozen=True, slots=True)
class ArticleIn:
    """An article as a source delivered it, before storage."""

    title: str | None
    text: str
    published: datetime | None
    url: str | None = None
    guid: str | None = None
    # The feed gave only a summary: the linked page may have the full text (bot/pages.py).
    summary_only: bool = False

    @property
    def published_day(self) -> date | None:
        return self.published.date() if self.published else None


@dataclass(frozen=True, slots=True)
class Change:
    """What an article changed about the tracker's picture of the negotiation."""

    kind: str  # "new" | "status" | "date" | "location" | "type"
    event_id: int
    old: str | None
    new: str | None


@dataclass(slots=True)
class KnownEvent:
    """What the database knows of a canonical event, as the resolver needs it."""

    id: int
    type: str
    status: str
    date_value: str | None
    location: str | None
    participants: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    as_of: datetime | None = None


@dataclass(frozen=True, slots=True)
class Update:
    """The resolver's outcome for one extracted event: the stored event it is (None: new) and its changes."""

    event_id: int | None
    changes: tuple[tuple[str, str | None, str | None], ...]  # (kind, old, new)
    status: str | None = None
    date_value: str | None = None
    location: str | None = None
    type: str | None = None
    history: bool = False
    skip: bool = False  # nothing to store: an implied event of an event the tracker does not know


# ------------------------------------------------------------- what commands and summaries read

@dataclass(frozen=True, slots=True)
class SourceLink:
    """An article as a source line shows it."""

    title: str | None
    url: str | None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class EventView:
    """A stored event with everything a line about it shows: its people and its newest source."""

    id: int
    type: str
    status: str
    date_value: str | None
    date_mod: str | None
    date_text: str | None
    location: str | None
    summary: str
    mentions: int
    participants: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    source: SourceLink | None = None  # the newest article that told it
    sentence: str | None = None  # what that article said


@dataclass(frozen=True, slots=True)
class ChangeView:
    """A status change with its event and the article that made it."""

    id: int
    kind: str  # new | status | date | location | type
    old: str | None
    new: str | None
    created_at: datetime
    alert: bool
    tracker_id: int
    event: EventView
    article: SourceLink | None = None
    article_id: int | None = None


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """One sentence of one article about an event."""

    event_id: int
    article_id: int
    sentence: str
    start: int
    end: int
    attribution: tuple[str, ...] = ()
