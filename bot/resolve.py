"""Across articles: which stored event a new mention is, and what it changes. Pure functions.

Mentions merge into one canonical event when type, parties, place and date are compatible (as ACLED
does: same day, place, actors and type is one event). Restating a known fact is not a change; an older
article arriving late does not overwrite what a newer one said.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from bot import event_types as et
from bot.dates import cached_interval as _span
from bot.dates import relation
from bot.domain import ExtractedEvent, KnownEvent, Update
from bot.tracker import phrase_pattern

# An event that ended this long before the article reporting it is history, not news.
HISTORY = timedelta(days=45)
# A happening over this long before the newest news the tracker had read is background when first told.
READ_SLACK = timedelta(days=1)
CUES = Path(__file__).parent / "extract" / "patterns" / "cues.json"


@lru_cache(maxsize=4)
def _cue_words(key: str) -> re.Pattern[str]:
    """cues.json's words under `key` ("extended": a deadline moved, not set anew; "resumed": talks
    started again) as one pattern."""
    pattern = phrase_pattern(json.loads(CUES.read_text(encoding="utf-8"))[key], ignore_case=True)
    assert pattern is not None, key
    return pattern


def _parties_meet(a: set[str] | Sequence[str], b: set[str] | Sequence[str]) -> bool:
    return not a or not b or bool(set(a) & set(b))


def fold_deadline_moves(events: list[ExtractedEvent], published: datetime | None = None) -> list[ExtractedEvent]:
    """One article's deadlines, a move told as a move: "the July 20 deadline was extended to November
    24" is the July 20 deadline now on November 24 (a change of date), not a deadline missed and a
    new one set. An active deadline whose sentence says it was moved (extended, pushed back ...) takes
    the latest passed or dropped deadline of the same parties before it in the article as its old date,
    which is then not told apart; without one it still names a move ("?": from the deadline the
    tracker knows). The word of moving must be in a sentence that gives the date. A deadline given up
    ('will no longer leave on March 29') with later ones in force is moved to the nearest of them. A
    date passed long before `published` ('after talks ran past an earlier target of March 31', told in
    July) is history, not the date just moved."""
    out = list(events)
    gone = [e for e in events if e.type == "deadline" and e.status in {"missed", "dropped"} and e.date and e.date.value
            and not _long_past(e.date.value, published)]
    for new in events:
        if new.type != "deadline" or new.status != "active" or not new.date or not new.date.value:
            continue
        told = [ev.sentence for ev in new.evidence if not new.date.text or new.date.text in ev.sentence]
        if new.moved_from or not any(_move_told(sentence, new.date.text) for sentence in told):
            continue  # moved_from: the article's own sentence of the move told the old date; the move is
            # told where the date is ("aims to give his assessment by December 15" moves nothing)
        span = _span(new.date.value)
        earlier = [(s, g) for g in gone if g in out and (s := _span(g.date.value if g.date else None))
                   and span and s[1] < span[0] and _parties_meet(g.parties, new.parties)]
        if earlier:
            _, old = max(earlier, key=lambda pair: pair[0][1])
            new.moved_from = old.date.value if old.date else "?"
            out.remove(old)
        else:
            new.moved_from = "?"
    for old in [g for g in gone if g in out and g.status == "dropped"]:
        # "Britain will no longer leave on March 29 ... it will leave on April 12": a date given up
        # and a later one in force is the deadline moved, to the nearest later date the article gives
        s = _span(old.date.value if old.date else None)
        later = [(ns, n) for n in out if n.type == "deadline" and n.status == "active" and not n.moved_from
                 and n.date and (ns := _span(n.date.value)) and s and s[1] < ns[0]
                 and _parties_meet(old.parties, n.parties)]
        if later:
            _, new = min(later, key=lambda pair: pair[0][0])
            new.moved_from = old.date.value if old.date else "?"
            out.remove(old)
    return out


# Where one clause of a sentence ends and the next begins, in plain text ("ends on December 31, and
# ministers repeat ..."; "...; the extension ...")
_CLAUSE_BREAK = re.compile(r";|:|\s[-\u2013\u2014]\s|,\s+(?:and|but|while|though|although|whereas)\s", re.IGNORECASE)
# A move denied or only thought of, in the words just before the word of moving ("will not ask for the
# extension", "if both sides agree to an extension", "could be extended")
_NOT_DONE = re.compile(r"\b(?:not|no|never|n't|cannot|if|unless|whether|would|could|might|may|ask(?:s|ed)? for|"
                       r"seek(?:s|ing)?|request(?:s|ed)?|rule[sd]? out)\b", re.IGNORECASE)


def _move_told(sentence: str, date_text: str | None) -> bool:
    """Whether the sentence tells the deadline moved: a word of moving in the clause that gives the date,
    not denied or only wished for ("The transition period ends on December 31, and ministers will not ask
    for the extension" moves nothing; "the deadline was pushed back to July 7" does)."""
    at = sentence.find(date_text) if date_text else -1
    for m in _cue_words("extended").finditer(sentence):
        if at >= 0 and _CLAUSE_BREAK.search(sentence, min(at, m.start()), max(at, m.start())):
            continue
        start = max((b.end() for b in _CLAUSE_BREAK.finditer(sentence, 0, m.start())), default=0)
        if not _NOT_DONE.search(sentence, max(start, m.start() - 40), m.start()):
            return True
    return False


def _long_past(value: str | None, published: datetime | None) -> bool:
    """Whether a date ended longer than HISTORY before `published` (history, not news)."""
    span = _span(value)
    return bool(published and span and span[1] < published.date() - HISTORY)


def _read_past_it(new: ExtractedEvent, read_until: datetime | None) -> bool:
    """Whether `new` is a thing done (held, agreed, missed ...) that was over more than a day before the
    newest news the tracker had read: the articles since said nothing of it, so it is background told
    now ("the third round, which ended on August 31, ..."), recorded but not news."""
    span = _span(new.date.value if new.date else None)
    return bool(read_until and span and new.status not in et.OPEN_STATUSES
                and span[1] < read_until.date() - READ_SLACK)


def _unheard_and_missed(new: ExtractedEvent) -> bool:
    """'Johnson's deadline of October 15 has come and gone': a deadline the tracker first hears of when it
    has already passed is history, recorded but no news (nobody following was waiting on it)."""
    return new.type == "deadline" and new.status == "missed"


def implied_resumptions(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """'Talks resumed in Brussels on Sunday': talks held again end the suspension the tracker knows.
    Each talks or meeting told with a word of resuming adds an implied suspension lifted, of the same
    parties and day. When the article tells the suspension itself ('ten days after a positive test
    brought the talks to a halt'), the resumption after the day it began lifts that one instead."""
    resumed = [e for e in events if e.type in {"talks", "meeting"} and e.status == "held"
               and any(_told_resumed(ev.sentence) for ev in e.evidence)]
    if any(e.type == "suspension" for e in events):
        return [replace(e, status="lifted") if e.type == "suspension" and e.status == "in_effect"
                and any(_resumed_after(r, e) for r in resumed) else e for e in events]
    implied = [
        ExtractedEvent(type="suspension", status="lifted", date=e.date, participants=list(e.participants),
                       parties=list(e.parties), summary=e.summary, evidence=list(e.evidence),
                       attribution=list(e.attribution), implied=True)
        for e in resumed
    ]
    return events + implied[:1]


def _resumed_after(talks: ExtractedEvent, suspension: ExtractedEvent) -> bool:
    """Whether talks told resumed began after the day a suspension began."""
    ts, ss = _span(talks.date.value if talks.date else None), _span(suspension.date.value if suspension.date else None)
    return bool(ts and ss and ts[0] > ss[1])


AHEAD_WORDS = {"will", "to", "would", "shall", "could", "may", "might", "should"}


def _told_resumed(sentence: str) -> bool:
    """Whether a sentence tells talks resumed, not to resume ('talks will resume in Brussels in mid-August')."""
    for m in _cue_words("resumed").finditer(sentence):
        before = sentence[:m.start()].split()
        if not before or before[-1].lower() not in AHEAD_WORDS:
            return True
    return False


def _moved_deadline(known: KnownEvent, new: ExtractedEvent) -> float:
    """How well `known` is the deadline `new` says was moved (0: it is not)."""
    if known.type != "deadline" or known.status != "active" or not _parties_meet(known.parties, new.parties):
        return 0.0
    ks, ns = _span(known.date_value), _span(new.date.value if new.date else None)
    if not ks or not ns or not ks[1] < ns[0]:
        return 0.0
    if new.moved_from != "?" and relation(_span(new.moved_from), ks) == "apart":
        return 0.0
    return 4.0 + (1.0 if new.moved_from != "?" else 0.0) + ks[1].toordinal() / 1e7  # the latest one first


def _moved_meeting(known: KnownEvent, new: ExtractedEvent, within: dict[str, tuple[str, ...]]) -> float:
    """How well `known` is the meeting `new` says was moved to another day (0: it is not): one still
    to come, of the same parties, not elsewhere, on the day the move came from (when told); an untold
    old day needs the same place or the same people."""
    if not et.is_open(known.type, known.status) or not _parties_meet(known.parties, new.parties):
        return 0.0
    place = _place_relation(known.location, new.location, within)
    if place == "apart":
        return 0.0
    people = bool(known.participants & set(new.participants))
    if new.moved_from == "?":
        return 2.0 if place == "same" or people else 0.0
    if relation(_span(new.moved_from), _span(known.date_value)) in {"apart", "open"}:
        return 0.0
    return 4.0 + (0.5 if place == "same" else 0.0) + (0.5 if people else 0.0)


SLIP_DAYS = 10


def _country(place: str | None, within: dict[str, tuple[str, ...]]) -> str | None:
    return (within.get(place) or (place,))[-1] if place else None


def _slipped(known: KnownEvent, new: ExtractedEvent, within: dict[str, tuple[str, ...]]) -> bool:
    """A meeting set for some days and never told held, and one of the same kind and parties held in
    those days or just after them, elsewhere in the same country: the first, moved ("to open in Oslo in
    the first half of October" ... "formally opened at Hurdal, north of Oslo, on October 18")."""
    if known.status not in {"scheduled", "proposed"} or new.status != "held" or known.type != new.type:
        return False
    sides = set(new.parties)
    if known.parties and sides and not (sides <= known.parties or known.parties <= sides):
        return False  # the same sides: Johnson meeting Tusk in Biarritz is not his lunch with Macron moved
    if known.participants and new.participants and not known.participants & set(new.participants):
        return False
    ks, ns = _span(known.date_value), _span(new.date.value if new.date else None)
    if not ks or not ns or not (ks[0] <= ns[0] and (ns[0] - ks[1]).days <= SLIP_DAYS):
        return False  # held within the days it was set for, or just after them
    return known.location is not None and new.location is not None \
        and _country(known.location, within) == _country(new.location, within)


def _place_relation(a: str | None, b: str | None, within: dict[str, tuple[str, ...]]) -> str:
    if a is None or b is None:
        return "open"
    if a.lower() == b.lower():
        return "same"
    if b in within.get(a, ()) or a in within.get(b, ()):
        return "nested"
    return "apart"


def _days_range(value: str | None) -> bool:
    """'2019-03-21/2019-03-22': dated to the day already, over several days."""
    return value is not None and "/" in value and all(len(part) == 10 for part in value.split("/"))


def _date_relation(a: str | None, b: str | None) -> str:
    return relation(_span(a), _span(b))


def _put_off_then_met(known: KnownEvent, new: ExtractedEvent) -> bool:
    """A meeting known as put off, and one like it told on a later date: it is the put-off meeting, held
    or set at last ('the talks suspended in November resumed in Havana on December 10')."""
    ks, ns = _span(known.date_value), _span(new.date.value if new.date else None)
    return known.status == "postponed" and et.is_meeting(new.type) and ks is not None and ns is not None \
        and ns[0] > ks[1]


def _after_it_was_held(known: KnownEvent, new: ExtractedEvent) -> bool:
    """A meeting known as held when an article was written cannot be one that begins after that day:
    "the leaders met in Moscow" (undated, last year) is not "Kono will be in Moscow next month"."""
    if known.status != "held" or known.as_of is None or new.status not in et.OPEN_STATUSES:
        return False
    span = _span(new.date.value if new.date else None)
    return bool(span and span[0] > known.as_of.date())


# How long after a meeting was held an undated one still to come may yet be told of it (a report of the
# days after: "the talks, which the two sides had planned to hold this week")
TOLD_AGAIN_DAYS = 7


def _held_before_told(known: KnownEvent, new: ExtractedEvent, published: datetime) -> bool:
    """"Mnuchin has invited Liu He to talks in the coming weeks" (no day) told in September is not the
    round the two held in May: a meeting still to come is not one held more than a week before the report."""
    if known.status != "held" or new.status not in et.OPEN_STATUSES or (new.date and new.date.value):
        return False
    span = _span(known.date_value)
    return bool(span and span[1] < published.date() - timedelta(days=TOLD_AGAIN_DAYS))


# How far apart the dates of one summit still to come may be told: summits are rare, a week is one summit
SUMMIT_DAYS_APART = 7


def _summit_days_apart(known: KnownEvent, new: ExtractedEvent) -> bool:
    """A summit still to come at a place, and one still to come there told a few days off: the same summit,
    its date told better ('next week' ... 'on October 17 and 18')."""
    if not (known.type == new.type == "summit" and et.is_open(known.type, known.status)
            and new.status in et.OPEN_STATUSES):
        return False
    ks, ns = _span(known.date_value), _span(new.date.value if new.date else None)
    if not ks or not ns:
        return False
    gap = (ns[0] - ks[1]).days if ns[0] > ks[1] else (ks[0] - ns[1]).days
    return 0 < gap <= SUMMIT_DAYS_APART


def _held_before_it_was_to_come(known: KnownEvent, new: ExtractedEvent) -> bool:
    """A meeting known as still to come when an article was written is not one held and over days before
    that article: "the round of May 9 and 10" is not the trip to Beijing Mnuchin spoke of on May 15."""
    if known.status not in {"proposed", "scheduled"} or known.as_of is None or new.status != "held":
        return False
    span = _span(new.date.value if new.date else None)
    return bool(span and span[1] < known.as_of.date() - READ_SLACK)


def match_score(known: KnownEvent, new: ExtractedEvent, within: dict[str, tuple[str, ...]]) -> float:
    """How well `new` fits `known`; 0 when they cannot be the same event."""
    if not et.types_compatible(known.type, new.type):
        return 0.0
    if new.type == "suspension" and new.status == "lifted":
        # a suspension is dated by its start; it is lifted later, whatever date the lifting has
        if known.status != "in_effect" or not _parties_meet(known.parties, new.parties):
            return 0.0
        ks, ns = _span(known.date_value), _span(new.date.value if new.date else None)
        return 0.0 if ks and ns and ns[1] < ks[0] else 3.0
    if new.moved_from and new.type == "deadline":
        moved = _moved_deadline(known, new)
        if moved:
            return moved
    if new.moved_from and et.is_meeting(new.type):
        moved = _moved_meeting(known, new, within)
        if moved:
            return moved
    if known.date_value and new.date and new.date.value and not et.is_meeting(known.type):
        ks, ns = _span(known.date_value), _span(new.date.value)
        if ks and ns and (ks[1] < ns[0] or ns[1] < ks[0]):
            return 0.0  # the cheap common case first: an agreement or deadline of another date
    if new.remote and known.location is not None and et.is_meeting(known.type):
        return 0.0  # "Liu spoke to Mnuchin by telephone on Saturday" is not his visit to Washington
    if len(known.parties) > 1 and len(new.parties) > 1 and not (known.parties & set(new.parties)):
        return 0.0  # two different pairs of parties; one party named by each side says little ("China's")
    place = _place_relation(known.location, new.location, within)
    dates = _date_relation(known.date_value, new.date.value if new.date else None)
    people = len(known.participants & set(new.participants))
    if place == "apart" and _slipped(known, new, within):
        return 0.8  # the weakest match: any other candidate told more surely wins
    if place == "apart":
        return 0.0
    if dates == "apart":
        if place == "same" and _slipped(known, new, within):
            return 1.5  # "to open in Vienna on March 17" ... "opened in Vienna on Tuesday, March 18": held a day late
        if place == "same" and _summit_days_apart(known, new):
            return 1.0  # "a summit in Brussels next week" ... "EU leaders meet in Brussels on October 17 and 18"
        # a date moved: same kind of event, same place, same people, and it had not happened yet
        movable = et.is_open(known.type, known.status)
        if movable and place in {"same", "open"} and people and new.status in et.OPEN_STATUSES:
            return 1.0 + people
        if _put_off_then_met(known, new) and place in {"same", "nested"} and (people or _parties_meet(known.parties, new.parties)):
            return 1.0 + people  # the round put off in November resumed in Havana on December 10
        return 0.0
    if dates == "wider" and place == "open" and known.type == new.type == "summit" \
            and et.is_open(known.type, known.status) and _parties_meet(known.parties, new.parties):
        return 1.0  # "the special summit in November", put on hold ... "a special summit on November 25": summits are rare
    if dates == "wider" and _anonymous_and_open(known) and known.type == new.type and new.status in et.OPEN_STATUSES:
        # "negotiations on that agreement are expected to open in February" ... "will open in Vienna on
        # Feb. 18": a round to come told by nobody and nowhere says nothing that could tell it apart
        return 0.9
    if dates == "narrower" and _anonymous_and_open(known) and known.type == new.type and _opens_on(known, new):
        # "talks on April 20" ... "the round of April 20-24": a round known by its first day alone, told
        # running from that day, is that round (held, moved or refined)
        return 0.9
    if dates != "same" and place == "open" and not people:
        return 0.0  # a vaguer or sharper date alone is not enough: same place or same people too
    if dates != "same" and place != "same" and known.participants and new.participants and not people:
        # other people, and only a place inside the other's (Krasnoyarsk, Russia) on no date or a date
        # only inside the other's (Mori's trip to Russia this year is not Kono's to Moscow next week)
        return 0.0
    if dates == "open" and place == "nested" and known.participants and not new.participants and new.date is None:
        # "after meeting student leaders in Bogota": no day, nobody named, a place around the known
        # meeting's (Casa de Narino) is not enough to be it
        return 0.0
    if _after_it_was_held(known, new) or _held_before_it_was_to_come(known, new):
        return 0.0
    if {known.type, new.type} == {"summit", "talks"} and dates == "open" and not people:
        # the negotiators' talks of a weekend in Brussels are not the leaders' summit the tracker knows
        # there without a date: a summit and a round are told apart by their day or their people
        return 0.0
    if not et.is_meeting(known.type) and dates == "open":
        return 0.0
    score = {"same": 3.0, "wider": 2.0, "narrower": 1.5, "overlap": 1.0, "open": 0.5}[dates]
    score += {"same": 2.0, "nested": 1.0, "open": 0.0}[place]
    return score + 0.5 * people + (0.5 if known.type == new.type else 0.0)


def _opens_on(known: KnownEvent, new: ExtractedEvent) -> bool:
    """Whether `new` runs over days from the very day `known` is dated to."""
    ks, ns = _span(known.date_value), _span(new.date.value if new.date else None)
    return bool(ks and ns and ks[0] == ks[1] == ns[0] and ns[1] > ns[0])


def _anonymous_and_open(known: KnownEvent) -> bool:
    """A meeting still to come that the tracker knows by a vague date alone: no place, nobody named."""
    return et.is_meeting(known.type) and known.status in {"proposed", "scheduled"} and known.location is None \
        and not known.participants  # a round put off is told apart by its people (tests/test_moves.py)


def best_match(
    known: list[KnownEvent], new: ExtractedEvent, within: dict[str, tuple[str, ...]]
) -> KnownEvent | None:
    scored = [(match_score(k, new, within), -_width(k), -k.id, k) for k in known]
    scored = [s for s in scored if s[0] > 0]
    # equal fits: the known event dated most tightly around the new one (the deputies' round of the week of
    # September 16, not the ministers' round of some day in September), then the oldest
    return max(scored, key=lambda s: (s[0], s[1], s[2]))[3] if scored else None


def _width(known: KnownEvent) -> int:
    span = _span(known.date_value)
    return (span[1] - span[0]).days if span else 100_000


def resolve(
    new: ExtractedEvent,
    known: list[KnownEvent],
    *,
    published: datetime,
    within: dict[str, tuple[str, ...]],
    read_until: datetime | None = None,
    leaders: frozenset[str] = frozenset(),
) -> Update:
    """What storing `new` (from an article published at `published`) does to the tracker's events.
    `read_until`: when the newest article the tracker had read before this poll came out; a happening
    that was over a day before that and that no article told of is background now, not news."""
    new_date = new.date.value if new.date else None
    target = best_match([k for k in known if not et.ministers_not_summit(
        k.type, k.participants, new.type, new.participants, leaders) and not _held_before_told(k, new, published)],
        new, within)
    if target is None and new.implied:
        return Update(None, (), skip=True)  # implied by a known event that is not there: nothing
    if target is None and et.is_meeting(new.type) and new_date is None and not new.participants:
        # "after meeting student leaders in Bogota": no day and nobody named may tell more of a meeting
        # the tracker knows, but is no meeting to track of its own
        return Update(None, (), skip=True)
    if target is None:
        history = _long_past(new_date, published) or _read_past_it(new, read_until) or _unheard_and_missed(new)
        return Update(None, () if history else (("new", None, new.status),), status=new.status,
                      date_value=new_date, location=new.location, type=new.type, history=history)

    stale = target.as_of is not None and published < target.as_of
    if _long_past(new_date or target.date_value, published):
        stale = True  # history being retold: details may be kept, but nothing here is news
    changes: list[tuple[str, str | None, str | None]] = []
    status = target.status
    if new.status != target.status and not stale and new.status not in et.FINAL.get(target.status, frozenset()):
        if not (new.type == "statement"):
            changes.append(("status", target.status, new.status))
            status = new.status
    date_value = target.date_value
    rel = _date_relation(target.date_value, new_date)
    if new.type == "suspension" and target.type == "suspension":
        rel = "same"  # its date is when it began: the lifting's day does not move it
    if rel == "wider" and _days_range(target.date_value):
        rel = "same"  # "the summit on Thursday" of a known two-day summit: already dated to the day
    if rel == "narrower" and _days_range(new_date) and target.date_value and len(target.date_value.split("/")[0]) == 10:
        rel = "overlap"  # a round known to the day that ran longer ("talks were extended into Saturday")
    if new_date and not stale and (rel in {"wider", "apart", "overlap"} or target.date_value is None):
        changes.append(("date", target.date_value, new_date))
        date_value = new_date
    location = target.location
    prel = _place_relation(target.location, new.location, within)
    if new.location and not stale:
        if prel == "apart":
            changes.append(("location", target.location, new.location))
            location = new.location
        elif target.location is None and et.is_meeting(target.type) and et.is_open(target.type, status):
            changes.append(("location", None, new.location))  # a summit to come now has a place: news
            location = new.location
        elif target.location is None or (prel == "nested" and target.location in within.get(new.location, ())):
            location = new.location  # a refinement (Russia -> Moscow) is not news
    # a trip told later as the talks or meeting it was for is that meeting ("Twelve victims met the
    # negotiators in Havana on Saturday" after "will travel to Havana"): across articles the meeting names
    # it better, as a summit does; within one article a visit stays more specific than the talks in it
    trip_was_for = target.type == "visit" and new.type in {"talks", "meeting"}
    trip_for_it = new.type == "visit" and target.type in {"talks", "meeting"}  # and not back again
    event_type = new.type if (et.more_specific(new.type, target.type) and not trip_for_it) or trip_was_for \
        else target.type
    if event_type != target.type and not stale and et.is_upgrade(target.type, event_type) \
            and et.is_open(target.type, status):
        # "the Brunei meeting will be a full summit" is news; a summit held (now or before) called so is not:
        # its status line already says what it was
        changes.append(("type", target.type, event_type))
    return Update(target.id, tuple(changes), status=status, date_value=date_value, location=location,
                  type=event_type)


class KnownIndex:
    """The stored events a new one could be, found without comparing it with every event there is.

    Events are bucketed by type family and by the years their date covers. Undated events, events
    over more than a few years, meetings not yet held and active deadlines (their date can still
    move) are always candidates of their family; the rest only when their years meet the new event's.
    """

    WIDE_YEARS = 3

    def __init__(self, events: list[KnownEvent] | None = None) -> None:
        self._by_id: dict[int, KnownEvent] = {}
        self._places: dict[int, list[tuple[str, int | None]]] = {}
        self._always: dict[str, dict[int, KnownEvent]] = {}
        self._years: dict[tuple[str, int], dict[int, KnownEvent]] = {}
        for event in events or []:
            self.add(event)

    def __len__(self) -> int:
        return len(self._by_id)

    def _slots(self, event: KnownEvent) -> list[tuple[str, int | None]]:
        family = et.family(event.type)
        span = _span(event.date_value)
        # an upcoming meeting's date can move, and so can an active deadline's (fold_deadline_moves)
        movable = et.is_open(event.type, event.status) or (event.type, event.status) in {
            ("deadline", "active"), ("suspension", "in_effect")}  # a deadline may move, a suspension end
        if span is None or movable or span[1].year - span[0].year > self.WIDE_YEARS:
            return [(family, None)]
        return [(family, year) for year in range(span[0].year, span[1].year + 1)]

    def add(self, event: KnownEvent) -> None:
        self._by_id[event.id] = event
        slots = self._slots(event)
        self._places[event.id] = slots
        for family, year in slots:
            bucket = self._always.setdefault(family, {}) if year is None else self._years.setdefault((family, year), {})
            bucket[event.id] = event

    def refresh(self, event: KnownEvent) -> None:
        """Re-file an event whose type, status or date changed."""
        for family, year in self._places.pop(event.id, []):
            bucket = self._always.get(family, {}) if year is None else self._years.get((family, year), {})
            bucket.pop(event.id, None)
        self.add(event)

    def get(self, event_id: int) -> KnownEvent | None:
        return self._by_id.get(event_id)

    def candidates(self, new: ExtractedEvent) -> list[KnownEvent]:
        families = {et.family(new.type)}
        span = _span(new.date.value if new.date else None)
        out: dict[int, KnownEvent] = {}
        for family in families:
            out.update(self._always.get(family, {}))
            if span is None:
                for (fam, _year), bucket in self._years.items():
                    if fam == family:
                        out.update(bucket)
            else:
                for year in range(span[0].year, span[1].year + 1):
                    out.update(self._years.get((family, year), {}))
        return list(out.values())
