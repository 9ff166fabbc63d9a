"""The event-type registry: what each kind of event is, in one place.

Its statuses, whether it is a meeting (summits, meetings, talks and visits are one family: one
happening may be told as any of them), whether a `subscribe major` channel hears of it, how specific
its name is, how it reads, and how its changes move the weekly trend. Every module that needs one of
these facts reads it here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MEETING_STATUSES = ("proposed", "scheduled", "held", "postponed", "cancelled")
# A meeting in one of these has not happened yet: it is upcoming, and its date can still move.
OPEN_STATUSES = ("scheduled", "proposed", "postponed")
# Statuses an event does not return from: once held, a later "planned" is a stale restatement.
FINAL: dict[str, frozenset[str]] = {
    "held": frozenset({"scheduled", "proposed"}), "signed": frozenset({"agreed", "proposed"}),
    "agreed": frozenset({"proposed"}), "missed": frozenset({"active", "dropped"}),
    "dropped": frozenset({"active", "missed"}), "met": frozenset({"active"}),
    # once set, a meeting told later as only planned ("Mori still hopes to visit Russia") is told vaguely
    "scheduled": frozenset({"proposed"}),
    # a meeting put off and later told as only hoped for ("the team would go back to Havana") is still put off
    "postponed": frozenset({"proposed"}),
}
# How a change moves the negotiation, as CrisisWatch marks a month: +1 better, -1 worse.
# Keyed by (change kind, new value); an event type may weigh its own "new" differently.
TREND_WEIGHTS: dict[tuple[str, str], int] = {
    ("status", "held"): 1, ("status", "signed"): 1, ("status", "agreed"): 1, ("status", "lifted"): 1,
    ("status", "met"): 1, ("new", "agreed"): 1, ("new", "signed"): 1, ("new", "scheduled"): 1,
    ("status", "postponed"): -1, ("status", "cancelled"): -1, ("status", "dropped"): -1, ("status", "missed"): -1,
    ("type", "summit"): 1, ("new", "in_effect"): -1, ("status", "in_effect"): -1, ("new", "postponed"): -1, ("new", "cancelled"): -1,
}
STATUS_WORDS: dict[str, str] = {"in_effect": "in effect"}
UNRANKED = 9


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    label: str
    statuses: tuple[str, ...]
    meeting: bool = False
    major: bool = False
    # Within the meeting family, lower is more specific: mentions of one event told as a "meeting"
    # and as a "summit" make a summit.
    rank: int = UNRANKED
    # The trend weight of a new event of this type, when it is not the usual one for its status.
    new_weight: int | None = None
    # Whether its changes are alerted to channels. Statements are not: nearly every article has one, and
    # "Putin said something" is not news; they are kept for `who`, the timeline and the weekly summary.
    alerts: bool = True
    # Types an event of this type is an upgrade from: a meeting that becomes a summit is news (a change
    # of kind "type"); a visit told later as the summit it was for is the same news, not a change.
    upgrade_from: tuple[str, ...] = ()


TYPES: dict[str, EventType] = {t.name: t for t in (
    EventType("summit", "Summit", MEETING_STATUSES, meeting=True, major=True, rank=0,
              upgrade_from=("meeting", "talks")),
    EventType("meeting", "Meeting", MEETING_STATUSES, meeting=True, rank=3),
    EventType("talks", "Talks", MEETING_STATUSES, meeting=True, rank=2),
    EventType("visit", "Visit", MEETING_STATUSES, meeting=True, rank=1),
    EventType("deadline", "Deadline", ("active", "met", "missed", "dropped"), major=True),
    EventType("agreement", "Agreement", ("proposed", "agreed", "signed"), major=True),
    EventType("statement", "Statement", ("made",), alerts=False),
    EventType("suspension", "Suspension", ("in_effect", "lifted"), major=True, new_weight=-2),
)}

EVENT_TYPES: tuple[str, ...] = tuple(TYPES)
MEETING_TYPES: frozenset[str] = frozenset(t.name for t in TYPES.values() if t.meeting)
MAJOR_TYPES: frozenset[str] = frozenset(t.name for t in TYPES.values() if t.major)
STATUSES: dict[str, tuple[str, ...]] = {t.name: t.statuses for t in TYPES.values()}


def is_meeting(event_type: str) -> bool:
    return event_type in MEETING_TYPES


def family(event_type: str) -> str:
    """'meeting' for every meeting type, else the type itself."""
    return "meeting" if event_type in MEETING_TYPES else event_type


def rank(event_type: str) -> int:
    t = TYPES.get(event_type)
    return t.rank if t else UNRANKED


def more_specific(a: str, b: str) -> bool:
    """Whether type `a` names an event more specifically than `b` ("summit" over "meeting")."""
    return rank(a) < rank(b)


def types_compatible(a: str, b: str) -> bool:
    """Whether mentions of types `a` and `b` can be one event."""
    return a == b or (a in MEETING_TYPES and b in MEETING_TYPES)


def ministers_not_summit(a: str, a_people: Iterable[str], b: str, b_people: Iterable[str],
                         leaders: frozenset[str]) -> bool:
    """Whether one of two tellings is a summit and the other a meeting of people none of whom is a leader
    (`leaders`: the tracker's heads of state and government; with none known, nothing can be told): the
    leaders' European Council is not the Brexit secretary's meeting with Barnier, whatever place they share."""
    if not leaders or (a == "summit") == (b == "summit"):
        return False
    people = set(b_people if a == "summit" else a_people)
    return bool(people) and not people & leaders


def is_open(event_type: str, status: str) -> bool:
    """A meeting not yet held: upcoming, and its date can move."""
    return event_type in MEETING_TYPES and status in OPEN_STATUSES


def is_upgrade(old: str | None, new: str | None) -> bool:
    """Whether an event told as `old` and now as `new` was upgraded ("meeting" -> "summit"): a change."""
    t = TYPES.get(new or "")
    return t is not None and old in t.upgrade_from


def alerts(event_type: str) -> bool:
    """Whether a change of an event of this type is alerted to subscribed channels."""
    t = TYPES.get(event_type)
    return t.alerts if t else True


def label(event_type: str) -> str:
    t = TYPES.get(event_type)
    return t.label if t else event_type.capitalize()


def status_word(status: str | None) -> str:
    return STATUS_WORDS.get(status or "", status or "")


def trend_weight(event_type: str, kind: str, new: str | None) -> int:
    t = TYPES.get(event_type)
    if kind == "new" and t is not None and t.new_weight is not None:
        return t.new_weight
    return TREND_WEIGHTS.get((kind, new or ""), 0)
