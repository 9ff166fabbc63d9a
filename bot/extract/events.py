"""From mentions to the article's events: coreference within the article, status after everything the
article says, inherited places and dates, summaries. Pure apart from the spaCy pipeline it is given."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc, Token

from bot import event_types as et
from bot.dates import relation
from bot.domain import DateValue, Evidence, ExtractedEvent
from bot.event_types import MEETING_TYPES
from bot.extract import status as st
from bot.extract.clauses import CLAUSE_DEPS, anchor_of
from bot.extract.layout import DATELINE, attributions, datelines, digest_items, has_headline, paragraphs_of
from bot.extract.mentions import (
    ENDING_VERBS,
    GOING_VERBS,
    Mention,
    find_mentions,
    in_sequence,
    in_what_was_said,
    linked,
    stretch_back,
    when,
)
from bot.extract.people import country_of
from bot.extract.places import SPEECH_NOUNS, dateline_place, landmark_city, place_named
from bot.extract.timex import Timex, find_dates, interval, normalize
from bot.extract.triggers import (
    ARRANGED,
    CEREMONY_SIGNS,
    CEREMONY_WORDS,
    SIGNING_WORDS,
    TriggerMatcher,
    trigger_matcher,
)
from bot.tracker import Tracker

log = logging.getLogger("ntrack.extract")


@dataclass(slots=True)
class Draft:
    """An event being assembled from the mentions that refer to it."""

    type: str
    timex: Timex | None
    location: str | None
    participants: list[str]
    parties: set[str]
    mentions: list[Mention] = field(default_factory=list)
    statuses: list[tuple[int, str]] = field(default_factory=list)  # (sentence index, status)
    coarse_place: bool = False  # the place came from the headline, which names places coarsely

    @property
    def span(self) -> tuple[date, date] | None:
        return interval(self.timex.value) if self.timex else None

    @property
    def told_span(self) -> tuple[date, date] | None:
        """The span its date's modifier narrows it to ('late August': the last third of the month), for
        deciding whether it can have happened yet."""
        span = self.span
        if self.timex is not None and self.timex.mod == "BEFORE" and self.type in MEETING_TYPES:
            return None  # "will reconvene before the end of the week": due by then, no day set
        if span is None or self.timex is None or self.timex.mod not in {"START", "MID", "END"}:
            return span
        third = ((span[1] - span[0]).days + 1) // 3
        first = {"START": span[0], "MID": span[0] + timedelta(days=third), "END": span[1] - timedelta(days=third)}
        start = first[self.timex.mod]
        return start, min(span[1], start + timedelta(days=third))


def _told_as_a_call(mentions: list[Mention]) -> bool | None:
    """Whether every mention of a meeting among these is of a call ('a phone call on September 5, in
    which Liu spoke with Lighthizer'); None when none is of a meeting."""
    meetings = [m for m in mentions if m.type in MEETING_TYPES]
    return all(m.remote for m in meetings) if meetings else None


def _a_call(d: Draft) -> bool:
    return d.type in MEETING_TYPES and bool(_told_as_a_call(d.mentions))


def _calls_apart(told: list[Mention], m: Mention) -> bool:
    """Whether `m` and the mentions told so far are a call and a meeting in person, which are never one
    event ('a day after the two leaders spoke by telephone', 'ready to meet Trump in Buenos Aires')."""
    call = _told_as_a_call(told)
    return m.type in MEETING_TYPES and call is not None and m.remote != call


def _compatible_types(a: str, b: str) -> bool:
    return et.types_compatible(a, b) or {a, b} == {"pledge", "deadline"}


def _places_compatible(a: str | None, b: str | None, tracker: Tracker) -> bool:
    if a is None or b is None or a == b:
        return True
    return tracker.places_nested(a, b)


def _dates_relation(a: tuple[date, date] | None, b: tuple[date, date] | None) -> str:
    """Within one article: 'same', 'nested' (either contains the other), 'open' or 'apart' (overlap too)."""
    rel = relation(a, b)
    return "nested" if rel in {"wider", "narrower"} else "apart" if rel == "overlap" else rel


def _narrower(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return bool(a and b and (a[1] - a[0]) < (b[1] - b[0]))


def _same_event(d: Draft, m: Mention, tracker: Tracker) -> bool:
    """Whether mention `m` (standing for a sentence's group of linked triggers) refers to draft `d`."""
    if not _compatible_types(d.type, m.type):
        return False
    if not _places_compatible(d.location, m.location, tracker):
        return False
    if et.ministers_not_summit(d.type, d.participants, m.type, m.participants, tracker.leaders()):
        return False  # "Raab will travel to Brussels to meet Barnier" ... "the European Council in Brussels"
    rel = _dates_relation(d.span, when(m))
    if rel == "apart" or (rel != "same" and _calls_apart(d.mentions, m)):
        return False  # a call and a meeting in person are one only when told of one day ('the June 15 meeting, by video')
    if d.timex is None and d.location is None and not d.participants:
        return False  # an empty mention ("the negotiations") names nothing to refer back to
    if m.fresh and rel != "same":
        return False  # "the next round" is not the round just told
    if m.arranged and m.timex is None:
        return False  # "agreed to continue their consultations in Beijing": one to come, not the one told
    if m.tense == "future" and m.timex is None and _said_ahead(m.trigger) and all(x.tense == "past" for x in d.mentions):
        return False  # "told reporters after hours of talks that the two sides would conduct the negotiations ..."
    if d.type == "agreement" and _final(m) and not any(_final(x) for x in d.mentions):
        return False  # "have agreed on how crimes will be judged ... the final agreement will be signed"
    if _another_agreement(m):
        return False
    if _apart_from_the_round(d, m, _high_level) or _apart_from_the_round(d, m, lambda x: _received(x, tracker)):
        # "the fourth round ... ended" is not "the high-level meeting ... expected later this month", nor is
        # "Xi received Lighthizer and Mnuchin" the round they came for
        return False
    shared = bool(set(d.participants) & set(m.participants))
    if d.type == m.type == "statement" and (d.participants or m.participants) and not shared:
        # "On Sunday ... Obama said ...; Rouhani called it ...": two speakers, two statements; a speaker
        # the tracker cannot name is someone else too
        return False
    if d.type == m.type == "agreement" and len(d.participants) > 1 and len(m.participants) > 1 and not shared:
        return False  # "Amano and Salehi signed a road map" is not the deal Mogherini and Zarif announced
    if d.type == m.type == "agreement" and _other_paper(d, m):
        return False  # "reach nuclear deal" ... "signed a road map for settling the agency's questions"
    if rel == "same":
        return True
    if rel == "nested":
        if _endorsed(m):
            return False  # "the Security Council endorsed the accord on July 20": not the July signing
        if m.location and d.location and m.location == d.location:
            return True
        if m.participants and d.participants and not shared:
            return False  # "Mori's trip" is not Kono's visit
        if d.type not in MEETING_TYPES:
            return True
        # "the October talks" refers back to "October 23-24"; a day inside a week-long visit is a
        # meeting of its own
        if m.location and d.location is None and m.type != d.type:
            return False  # "the prime minister's trip to Russia" brings a place the talks never had
        if m.definite and d.type == "summit" and d.location and m.location is None:
            return True  # "the summit in Santiago in mid-November" ... "the leaders' meeting is on November 16-17"
        if m.definite and m.type == d.type and m.location is None and not m.participants:
            return True  # "Three days of talks in Vienna ..." ... "The round opened on Tuesday": that round
        return m.definite and not _narrower(when(m), d.span)
    # one side has no date
    if m.location and d.location and m.location == d.location:
        # "Kono's Moscow visit" is not "Abe and Putin will meet in Moscow on January 22"
        return not (m.participants and d.participants and not shared)
    if m.timex is not None and all(x.headline for x in d.mentions) and m.type == d.type and not d.participants \
            and d.location and m.location and m.location != d.location:
        # "FARC rebels open peace talks in Norway" ... "opened peace talks on Thursday at a hotel in Hurdal":
        # the headline tells coarsely (no day, a wider place) what the lead tells exactly
        return True
    if m.timex is not None:
        # a dated mention is a specific event: it joins an undated draft only on shared people
        return shared and m.type == d.type
    if m.definite and (shared or not m.participants):
        return True  # "the visit", "his meeting with Kono": a reference back
    return bool(shared and m.type == d.type)


def _high_level(m: Mention) -> bool:
    """'The high-level meeting', "a leaders' meeting": a meeting above the negotiators'."""
    return any(c.lower_ in {"high-level", "leaders'", "ministerial"} or (c.lower_ == "level" and any(
        g.lower_ == "high" for g in c.children)) for c in m.trigger.subtree if c.i < m.trigger.i)


def _received(m: Mention, tracker: Tracker) -> bool:
    """'Xi received Lighthizer and Mnuchin at the Great Hall of the People': a leader receiving the negotiators."""
    return m.type == "meeting" and m.trigger.lemma_ in {"receive", "host"} and any(
        tracker.is_leader(p) for p in m.participants)


def _apart_from_the_round(d: Draft, m: Mention, kind: Callable[[Mention], bool]) -> bool:
    """Whether one of the two is a meeting of `kind` (high-level, a leader's reception) and the other the
    negotiators' round: two things, whatever their dates and places."""
    if kind(m):
        return d.type == "talks" and not any(map(kind, d.mentions))
    return m.type == "talks" and d.type != "talks" and any(map(kind, d.mentions))


SAYING = {"say", "tell", "announce", "add", "insist", "state", "stress", "declare"}


def _said_ahead(tok: Token) -> bool:
    """Whether a trigger lies in what someone said ('told reporters that the two sides would conduct the
    negotiations without ...'): talk of what lies ahead, not a reference to the talks just held."""
    return any(a.dep_ == "ccomp" and a.head.lemma_ in SAYING for a in [tok, *tok.ancestors])


FINAL = {"final", "comprehensive", "definitive"}


def _final(m: Mention) -> bool:
    """An agreement told final ('the final accord', 'a comprehensive deal'): the end of the process,
    not one of the partial accords or interim deals reached on the way."""
    return m.type == "agreement" and m.trigger.pos_ in {"NOUN", "PROPN"} and any(
        c.dep_ == "amod" and c.lower_ in FINAL for c in m.trigger.children)


ENDORSING = {"endorse", "approve", "ratify"}


def _endorsed(m: Mention) -> bool:
    """An agreement told endorsed, approved or ratified on a day: that day's act, not the making of it."""
    return m.type == "agreement" and m.timex is not None and m.timex.granularity == "day" \
        and anchor_of(m.trigger).lemma_ in ENDORSING


ANOTHER = {"also", "separately"}


def _another_agreement(m: Mention) -> bool:
    """'The two delegations also agreed that ...', 'separately signed a road map': one more document
    agreed or signed, not the one already told (unless it is 'it', the one just told: 'also signed it'; or
    a meeting they agreed on, which is that meeting's news)."""
    if m.type != "agreement" or m.trigger.lemma_ not in {"agree", "sign"} or m.trigger.pos_ != "VERB":
        return False
    verb = m.trigger
    if any(c.dep_ in {"xcomp", "ccomp"} and c.lemma_ in ARRANGED for c in verb.children):
        return False  # "also agreed that Putin would visit Japan": a visit arranged, told with the talks
    return any(c.dep_ == "advmod" and c.lower_ in ANOTHER for c in verb.children) and not any(
        c.dep_ in {"dobj", "nsubjpass"} and c.pos_ == "PRON" for c in verb.children)


# Kinds of paper a deal may be told as; a mention naming one kind is not a draft naming only another.
SIDE_PAPERS = {"map": "road map", "roadmap": "road map", "memorandum": "memorandum", "protocol": "protocol",
               "framework": "framework", "communique": "communique"}


def _paper(m: Mention) -> str | None:
    """The kind of paper an agreement mention names: its noun, or its verb's object ('signed a road map')."""
    tok = m.trigger
    if tok.pos_ == "VERB":
        tok = next((c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"}), tok)
    return SIDE_PAPERS.get(tok.lemma_.lower(), "deal") if tok.pos_ in {"NOUN", "PROPN"} else None


def _other_paper(d: Draft, m: Mention) -> bool:
    mine = _paper(m)
    theirs = {p for x in d.mentions if (p := _paper(x)) is not None}
    return mine is not None and bool(theirs) and mine not in theirs and (mine != "deal" or "deal" not in theirs)


def _merge(d: Draft, group: list[Mention]) -> None:
    """Add a sentence's group of mentions to a draft; an informative group may name the type
    ('the talks' restating an event does not make a summit 'talks')."""
    informative = any(m.timex is not None or m.location is not None or m.participants for m in group)
    told_here = {x.sent_index for x in d.mentions}
    for m in group:
        if m.location and d.location and m.sent_index in told_here and _inside(m.location, d.location):
            d.location = m.location  # one sentence, two places, one inside the other: the sharper one
        d.mentions.append(m)
        if informative and et.more_specific(m.type, d.type) and not _way_there(m, d) \
                and not (_going(m) and d.type in MEETING_TYPES):
            d.type = m.type
        mspan = when(m)
        stretch = any(x.days and x.timex == d.timex for x in d.mentions if x is not m)
        if m.timex and (d.timex is None or (d.span and mspan and (mspan[1] - mspan[0]) < (d.span[1] - d.span[0])
                                              and not stretch and not _a_part_of(m, d))
                        or (m.days and d.span and mspan and mspan[0] <= d.span[0] and d.span[1] <= mspan[1])):
            d.timex = m.timex  # the sharpest date, but days of talks over the one day they ended on
        if m.location and (d.location is None or (d.coarse_place and _inside(m.location, d.location))):
            d.location = m.location  # the body's "Moscow" over the headline's "Russia"
            d.coarse_place = False
        for p in m.participants:
            if p not in d.participants:
                d.participants.append(p)
        d.parties |= m.parties


SITTING_DAYS = 7  # a summit or a round told by its days, not a month or a season


def _going(m: Mention) -> bool:
    """A visit told only by a verb of going ('May flies to Dublin for dinner with Varadkar', 'Kerry
    travels to Vienna for the talks'): the way to the meeting it goes to, which names the event; a visit
    named as one ('an official visit', 'his trip') stays a visit."""
    verb = m.trigger.pos_ in {"VERB", "AUX"} or any(c.dep_ == "nsubj" for c in m.trigger.children)  # a verb tagged NN
    return m.type == "visit" and verb and m.trigger.lemma_ in GOING_VERBS


def _a_sitting(d: Draft) -> bool:
    """A summit or a round told by its days, a week at most (not a month or a season)."""
    return d.type in {"summit", "talks"} and d.span is not None and (d.span[1] - d.span[0]).days <= SITTING_DAYS


def _a_part_of(m: Mention, d: Draft) -> bool:
    """Whether a meeting mention is a part of a sitting told as a range of days ('their summit of December
    14 and 15' ... 'over dinner on Thursday'): its day does not narrow the sitting's."""
    return m.type == "meeting" and _a_sitting(d) and d.timex is not None and d.timex.granularity == "range"


def _way_there(m: Mention | Draft, d: Draft) -> bool:
    """A journey of nobody named on no day told in the past ('since arriving in Argentina', 'had come to
    Norway') of a meeting: the way to that meeting, not a visit."""
    told = m.mentions if isinstance(m, Draft) else [m]  # a draft's own tellings, not what it inherited
    return m.type == "visit" and d.type in MEETING_TYPES \
        and all(x.timex is None and not x.participants and x.tense == "past" for x in told)


# The tracker's place hierarchy for the article being read (a context variable: worker threads may
# read articles of different trackers at once).
_ANCESTORS: ContextVar[dict[str, tuple[str, ...]]] = ContextVar("ntrack_place_ancestors", default={})  # noqa: B039


def _inside(inner: str, outer: str) -> bool:
    return outer in _ANCESTORS.get().get(inner, ())


def _groups(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions of one sentence whose triggers are linked ('summit meeting', 'met ... during his stay')
    form one group: one event as that sentence tells it. A transcript's turn is a group of its own."""
    groups: list[list[Mention]] = []
    for m in mentions:
        home = None if m.turn else next(
            (g for g in groups if g[0].sent_index == m.sent_index and not g[0].turn
             and any(_compatible_types(x.type, m.type) and linked(x, m) for x in g) and not _calls_apart(g, m)
             and not _dated_apart(g, m) and not _placed_apart(g, m)),
            None,
        )
        if home is None:
            groups.append([m])
        else:
            home.append(m)
    return _tour_stops(groups)


def _tour_stops(groups: list[list[Mention]]) -> list[list[Mention]]:
    """'May visits three capitals in a day: breakfast with Rutte in The Hague, talks with Merkel in Berlin,
    ...': a journey told with no place of its own, whose sentence meets in several places, is told by
    its stops; it is not the first stop's visit."""
    placed: dict[int, set[str]] = {}
    for g in groups:
        for x in g:
            if x.type in MEETING_TYPES and x.location is not None and not x.turn:
                placed.setdefault(x.sent_index, set()).add(x.location)
    tours = [x for g in groups for x in g if x.type == "visit" and x.location is None and not x.turn
             and len(placed.get(x.sent_index, ())) > 1]
    for tour in tours:  # its day is the stops' ('visits two capitals on Monday: breakfast with ...')
        for x in (x for g in groups for x in g if x.sent_index == tour.sent_index and x is not tour):
            if x.type in MEETING_TYPES and x.timex is None:
                x.timex, x.tense = tour.timex, x.tense or tour.tense
    return [rest for g in groups if (rest := [x for x in g if all(x is not t for t in tours)])]


def _dated_apart(group: list[Mention], m: Mention) -> bool:
    """'earlier agreements, including the 1956 joint declaration and the 1993 Tokyo Declaration': documents
    of one sentence each dated by its own year are as many agreements."""
    if m.listed and m.timex is not None:  # "further rounds on May 11 and June 1": one sitting a listed day
        return any(x.timex is not None and x.timex.value != m.timex.value for x in group)
    return m.type == "agreement" and m.timex is not None and any(
        x.type == "agreement" and x.timex is not None and x.timex.value != m.timex.value for x in group)


def _placed_apart(group: list[Mention], m: Mention) -> bool:
    """'breakfast with Rutte in The Hague, talks with Merkel in Berlin': meetings of one sentence in two
    places neither holds are two meetings (a visit's stops), however the parse links them."""
    return m.type in MEETING_TYPES and m.location is not None and any(
        x.type in MEETING_TYPES and x.location is not None and x.location != m.location
        and not _inside(x.location, m.location) and not _inside(m.location, x.location) for x in group)


def _width(m: Mention) -> int:
    span = when(m)
    return (span[1] - span[0]).days if span else 10**6


def _sharpest(places: list[str]) -> str | None:
    for place in places:
        if not any(_inside(other, place) for other in places if other != place):
            return place
    return None


def _one_place(places: list[str]) -> str | None:
    """The sharpest of places that are one place told more or less sharply (Washington, the United
    States), else None: two cities are two places."""
    sharpest = _sharpest(places)
    return sharpest if sharpest and all(p == sharpest or _inside(sharpest, p) for p in places) else None


def _meetings_at(d: Draft, drafts: list[Draft], preps: set[str]) -> list[Draft]:
    """The meetings of the article a draft's verb was done at ('said at the summit', 'agreed over dinner'):
    those whose trigger is the object of one of `preps` on one of the draft's triggers."""
    at = {g.i for m in d.mentions for c in m.trigger.children if c.dep_ == "prep" and c.lower_ in preps
          for g in c.children if g.dep_ == "pobj"}
    return [o for o in drafts if o is not d and o.type in MEETING_TYPES and any(x.trigger.i in at for x in o.mentions)]


def _said_at(d: Draft, drafts: list[Draft]) -> None:
    """'Macron said at the summit that ...': a remark made at a dated meeting the article tells is of its
    day and place."""
    met = next((o for o in _meetings_at(d, drafts, {"at", "during"}) if o.timex is not None), None)
    if met is not None:
        d.timex = met.timex
        d.location = d.location or met.location


def _met_when(d: Draft, drafts: list[Draft]) -> Draft | None:
    """The meeting a 'when' clause on the draft's verb tells ('was agreed by Trump and Xi when they met in
    Osaka on June 29'), if the article has it."""
    when = {c.i for m in d.mentions for c in m.trigger.children if c.dep_ == "advcl"
            and any(g.lower_ == "when" and g.dep_ in {"advmod", "mark"} for g in c.children)}
    return next((o for o in drafts if o is not d and o.type in MEETING_TYPES
                 and any(x.trigger.i in when for x in o.mentions)), None)


def _agreed_at(d: Draft, drafts: list[Draft]) -> None:
    """'the truce Trump and Xi agreed over dinner in Buenos Aires on Dec. 1', 'signed at the summit': the
    meeting a deal was made at is of the deal's day and people, and the deal of the meeting's place (the
    place told with the deal, 'when they met on Saturday, in Osaka, they agreed', is the meeting's). A
    deal made 'when they met' on a day is of that day too."""
    when = _met_when(d, drafts)
    if when is not None and d.timex is None and when.timex is not None:
        d.timex = when.timex
        if not when.participants and d.participants:
            when.participants = list(d.participants)
        d.location = d.location or when.location
        when.location = when.location or d.location
        return
    met = next(iter(_meetings_at(d, drafts, {"at", "during", "over"})), None)
    if met is None or d.span is None or (met.span and (met.span[1] < d.span[0] or d.span[1] < met.span[0])):
        return  # "signed ... during the visit": a visit of another day, or a deal of no day yet, says nothing
    if met.timex is None and d.timex is not None:
        met.timex = d.timex
    if not met.participants and d.participants:
        met.participants = list(d.participants)
    d.location = d.location or met.location
    met.location = met.location or d.location


def _hoped_and_held(d: Draft, told: list[Mention]) -> bool:
    """'the third meeting between the two leaders this year' (held) and 'still hopes to arrange a trip
    by the prime minister to Russia before the end of the year' (to come): a meeting told only as held
    and one told only as still to come, of no sharper date than a season, are two meetings."""
    told = [m for m in told if m.type in MEETING_TYPES]
    if d.type not in MEETING_TYPES or not told:
        return False
    spans = [s for s in (d.span, *(when(m) for m in told)) if s is not None]
    if not spans or all((s[1] - s[0]).days < 90 for s in spans):
        return False
    return (_to_come(told) and _held(d.mentions)) or (_held(told) and _to_come(d.mentions))


def _to_come(told: list[Mention]) -> bool:
    return all(m.tense in {"present", "future"} and {"proposed", "scheduled"} & set(m.cues) for m in told)


def _held(told: list[Mention]) -> bool:
    return all(m.tense == "past" and not {"proposed", "scheduled", "postponed", "cancelled"} & set(m.cues) for m in told)


def _probe(group: list[Mention]) -> Mention:
    """One mention standing for a group when looking for the event it refers to."""
    best = min(group, key=lambda m: (_going(m) and any(x.type in MEETING_TYPES and not _going(x) for x in group),
                                     et.rank(m.type)))
    timed = sorted((m for m in group if m.timex is not None), key=_width)
    participants: list[str] = []
    for m in group:
        participants.extend(p for p in m.participants if p not in participants)
    return Mention(
        type=best.type,
        trigger=group[0].trigger,
        sent_index=group[0].sent_index,
        paragraph=group[0].paragraph,
        timex=timed[0].timex if timed else None,
        location=_sharpest([m.location for m in group if m.location]),
        participants=participants,
        parties=set().union(*(m.parties for m in group)),
        definite=any(m.definite for m in group),
        sentence=group[0].sentence,
        fresh=any(m.fresh for m in group),
        arranged=any(m.arranged for m in group),
        tense="future" if all(m.tense == "future" for m in group) else None,
        remote=_told_as_a_call(group) is not False,
    )


def _new(group: list[Mention]) -> Draft:
    probe = _probe(group)
    d = Draft(probe.type, None, None, [], set(), [])
    _merge(d, group)
    d.type = probe.type
    d.location = probe.location  # within one sentence the sharper place wins: Yamaguchi over Japan
    d.coarse_place = all(m.headline for m in group)
    return d


def _apply_denials(doc: Doc, drafts: list[Draft], published: date) -> None:
    """A report that is then denied does not change the status ('the reports were ultimately denied'):
    the sentence's status is decided again without its postponement or cancellation cue."""
    denial_words = set(st.cues()["denial"])
    for s_index, sent in enumerate(doc.sents):
        denials = [t for t in sent if t.lemma_ in denial_words]
        if not denials:
            continue
        for d in drafts:
            for k, (i, status) in enumerate(d.statuses):
                if status not in {"postponed", "cancelled"} or not s_index - 2 <= i <= s_index:
                    continue
                m = next(x for x in d.mentions if x.sent_index == i)
                if i < s_index or any(_denied_here(m.trigger, t) for t in denials):
                    cues = [c for c in m.cues if c not in {"postponed", "cancelled"}]
                    # "reports that the visit had been postponed were denied": still to come, not held
                    tense = None if d.type in MEETING_TYPES and m.tense == "past" else m.tense
                    d.statuses[k] = (i, st.decide_status(d.type, cues or ["scheduled"], tense, d.told_span, published,
                                                         m.trigger.lemma_))


def _denied_here(trigger: Token, denial: Token) -> bool:
    """Whether a denial in the trigger's own sentence denies what is told of it ('reports that Mori's
    visit had been postponed were denied'), not a deed beside the denial ('rejected the plan and
    postponed the visit')."""
    for tok in (trigger, *trigger.ancestors):
        if tok.i == denial.i:
            return tok.i != trigger.i
        if tok.dep_ == "conj" and tok.head.i == denial.i:
            return False
    # the parser does not always hang the report from the denial: one told after it, not joined to it
    return denial.i > trigger.i and denial.dep_ != "conj"


def _moved_from(d: Draft) -> str | None:
    """The date an event had before the article's move of it ('pushed back to November 19'), when a
    mention on the event's own date tells the move ("?" when one without a date of its own says it was
    moved: 'the visit has been pushed back by a day')."""
    return next((m.moved_from for m in d.mentions if m.moved_from and (
        m.timex is None and m.moved_from == "?" or m.timex and d.timex and m.timex.value == d.timex.value)), None)


def _told_agreed(d: Draft) -> bool:
    """An agreement the article tells agreed ('announced that they had agreed on ..., the third partial
    accord') and nowhere signed: its document is agreed, not a signed document of record."""
    if d.type != "agreement":
        return False
    return not any(map(_signing, d.mentions)) and any(
        (m.trigger.lemma_ == "agree" or "agreed" in m.cues) and m.tense != "future" for m in d.mentions
    )


def _status(d: Draft, published: date) -> None:
    """Each mention's status, in text order; `_final_status` then decides which one stands."""
    agreed = ["agreed"] if _told_agreed(d) else []
    guesses: list[tuple[int, str]] = []
    for m in d.mentions:
        if m.type == "statement" and d.type != "statement":
            continue
        lemma = m.trigger.lemma_.lower()
        if lemma in st.PUT_OUT and m.trigger.text.islower():
            lemma = ""  # "a joint statement" is put out, not signed: no document of record ("the Irkutsk Statement")
        status = st.decide_status(d.type, m.cues + agreed, m.tense, d.told_span, published, lemma)
        if status == "held" and (_held_by_date_alone(d, m, published)
                                 or ("held" not in m.cues and _perfect(m.trigger, "had"))):
            # "the talks had been in preparation since ...": background before the news, not a round held
            guesses.append((m.sent_index, status))
        else:
            d.statuses.append((m.sent_index, status))
    if not d.statuses:
        d.statuses = guesses


def _held_by_date_alone(d: Draft, m: Mention, published: date) -> bool:
    """'The trip follows two days of talks' of a trip this week: no cue and no past tense, only a date
    around the day of publication says held; a mention that says more ('will travel') is believed."""
    return (d.type in MEETING_TYPES and m.tense != "past" and "held" not in m.cues
            and d.span is not None and d.span[0] <= published <= d.span[1])


def _final_status(d: Draft, published: date) -> str:
    """The last status the article leaves in force, strong cues beating plain restatements."""
    if not d.statuses:
        return st.decide_status(d.type, [], None, d.told_span, published)
    strong = {"postponed", "cancelled", "held", "signed", "dropped", "missed", "met", "lifted"}
    last_strong = [s for _, s in d.statuses if s in strong]
    if d.type in MEETING_TYPES and d.span and d.span[1] < published:
        # a date in the past: it happened, unless the article says it was put off or called off
        return last_strong[-1] if last_strong and last_strong[-1] in {"postponed", "cancelled"} else "held"
    if last_strong:
        return last_strong[-1]
    if d.type == "agreement" and d.statuses[-1][1] == "proposed" and any(s == "agreed" for _, s in d.statuses):
        return "agreed"  # an agreement reached is not unmade by a later mention of it looking ahead
    counts: dict[str, int] = {}
    for _, s in d.statuses:
        counts[s] = counts.get(s, 0) + 1
    if d.type in MEETING_TYPES and "scheduled" in counts and "proposed" in counts:
        return "scheduled"
    return d.statuses[-1][1]


def _summary(d: Draft, status: str) -> str:
    who = " and ".join(p.split()[-1] for p in d.participants[:3]) or " and ".join(sorted(d.parties)) or "the sides"
    where = f" in {d.location}" if d.location else ""
    when_txt = f" ({d.timex.text})" if d.timex else ""
    verbs = {
        "held": "met" if d.type != "visit" else "visited",
        "scheduled": "to meet" if d.type != "visit" else "to visit",
        "proposed": "proposed meeting",
        "postponed": "meeting postponed",
        "cancelled": "meeting cancelled",
    }
    if d.type in MEETING_TYPES:
        return f"{d.type.capitalize()}: {who} {verbs.get(status, status)}{where}{when_txt}"
    if d.type == "deadline":
        return f"Deadline{when_txt}: {status}"
    if d.type == "statement":
        return f"Statement by {who}"
    return f"{d.type.capitalize()} ({status}): {who}{where}{when_txt}"


EARLIER = {"already", "previously", "earlier", "once", "before", "ago"}
SUBORDINATE = {"relcl", "acl", "advcl", "pcomp", "csubj", "pobj"}  # "whatever is agreed", "since they agreed"


def _told_done(verb: Token) -> bool:
    """'agreed', 'have agreed', 'had signed', 'was signed': a verb telling a thing done; not 'be agreed'
    nor 'is signed' (what happens once it is), nor 'signing'."""
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(
        c.dep_ in {"aux", "auxpass"} and c.lower_ in {"have", "has", "had", "was", "were"} for c in verb.children
    )


def _verb_of(m: Mention) -> Token | None:
    """The verb a mention is told by: the trigger when it is one ('agreed'), else its anchor verb."""
    return m.trigger if m.trigger.pos_ in {"VERB", "AUX"} else m.anchor


def _told_reached(m: Mention) -> bool:
    """A mention telling an agreement reached or signed, in the past tense and not looking back to an
    earlier one ('have already reached partial agreements')."""
    verb = _verb_of(m)
    if verb is not None and any(c.dep_ == "xcomp" and c.lemma_ in ARRANGED for c in verb.children):
        return False  # "agreed to meet": a meeting arranged
    return (m.trigger.lemma_ in {"agree", "sign"} or bool({"agreed", "signed"} & set(m.cues))) \
        and m.tense == "past" and not any(t.lower_ in EARLIER for t in st.context_tokens(m.trigger))


def _made_at(m: Mention, meeting: Mention) -> bool:
    """Whether agreement mention `m` tells it made at `meeting` ('which they adopted at their talks in
    the Kremlin', 'signed a package of documents during the visit'): the meeting's trigger hangs from
    the agreement's verb in that verb's own clause."""
    verb = _verb_of(m)
    if verb is None or meeting.sent_index != m.sent_index or (meeting.timex is None and meeting.location is None):
        return False  # a bare "the visit" may be any visit the article told
    if verb.dep_ == "relcl" and any(c.lower_ in {"where", "when"} for c in verb.children) \
            and verb.head in meeting.trigger.subtree:
        return True  # "the ceremony on Monday in Cartagena, where the two men signed the accord"
    tok = meeting.trigger
    while tok.i not in {verb.i, m.trigger.i} and tok.head.i != tok.i:
        own = tok.dep_ in {"relcl", "acl"} and tok.head.i == m.trigger.i  # "the plan, which they adopted at ..."
        if not own and (tok.dep_ in CLAUSE_DEPS | {"xcomp", "relcl", "acl"}
                        or (tok.dep_ == "conj" and tok.pos_ in {"VERB", "AUX"})):
            return False
        tok = tok.head
    return tok.i in {verb.i, m.trigger.i}


def _reached_here(m: Mention) -> bool:
    """`_told_reached` in a main clause ('the two men said they had agreed on the dates', 'reached a
    deal'): not in a subordinate clause ('since they agreed', 'once a treaty is signed')."""
    verb = _verb_of(m)
    if verb is None or verb.pos_ not in {"VERB", "AUX"} or verb.dep_ in SUBORDINATE:
        return False
    if m.headline and m.tense != "future" and (verb.tag_ in {"VBZ", "VBP"} or any(
        c.dep_ == "auxpass" and c.lower_ in {"is", "are"} for c in verb.children
    )):
        # a headline tells what happened in the present tense: "phase one is signed", "UK and EU agree deal"
        return bool({"agreed", "signed"} & set(m.cues)) or m.trigger.lemma_ in {"agree", "sign"}
    return _told_done(verb) and _told_reached(m)


def _date_reached(drafts: list[Draft], news: Timex | None, published: date) -> None:
    """An undated agreement told reached was reached at the meeting its sentence tells, and there ('adopted
    at their talks in the Kremlin last Friday'); told so in a main clause, on the day the article's lead
    tells of, else at the meeting of the last three days the article tells first ('have agreed on how
    crimes will be judged' ... 'the two men met on Wednesday')."""
    held = [
        d for d in drafts if d.type in MEETING_TYPES and d.timex is not None and d.span and d.span[1] <= published
    ]
    recent = [d for d in held if d.span and published - timedelta(days=3) <= d.span[0]]
    for d in drafts:
        if d.timex is not None or d.type != "agreement" or any(
            m.tense == "future" or "proposed" in m.cues for m in d.mentions
        ):
            continue
        told = [m for m in d.mentions if _told_reached(m)]
        same = next((h for h in held if any(_made_at(m, x) for m in told for x in h.mentions)), None)
        if same is not None:
            d.timex = same.timex
            d.location = d.location or same.location
        elif any(_reached_here(m) for m in d.mentions):
            d.timex = news or (recent[0].timex if recent else None)
            span = d.span
            host = next((h for h in held if span and h.span and h.span[0] <= span[0] and span[1] <= h.span[1]), None)
            if host is not None and not d.participants:
                d.participants = list(host.participants)  # "the two sides also signed ...": the meeting's people


def _inherit(drafts: list[Draft], published: date) -> None:
    """Meetings inside a visit take its place; agreements take the date of the meeting they came from."""
    for d in drafts:
        if d.type in MEETING_TYPES and d.location is None and d.span and not _a_call(d):
            for host in drafts:
                if host is d or host.location is None or host.span is None:
                    continue
                if host.span[0] <= d.span[0] and d.span[1] <= host.span[1] and set(host.participants) & set(d.participants) \
                        and not _hoped_and_held(d, host.mentions) and not _hoped_and_held(host, d.mentions):
                    d.location = host.location
                    break
        if d.type in MEETING_TYPES and d.timex is None and not any(m.tense == "future" or m.arranged for m in d.mentions):
            # "Putin said on Tuesday ... after talks with Abe": the talks are of that news day
            sents = {m.sent_index for m in d.mentions}
            for other in drafts:
                span = other.span
                if other is not d and other.timex and span and other.timex.text != "publication date" \
                        and not (other.type in MEETING_TYPES and _a_call(other) != _a_call(d)) \
                        and any(m.sent_index in sents for m in other.mentions) \
                        and not _what_they_said(d, other) \
                        and published - timedelta(days=3) <= span[0] and span[1] <= published:
                    d.timex = other.timex
                    break
        if d.type in MEETING_TYPES and not d.participants and d.timex is not None:
            # "Kremlin talks on Friday" in a story whose lead has the leaders agreeing on Friday
            twin = next((o for o in drafts if o is not d and o.participants and o.timex and _a_call(o) == _a_call(d)
                         and o.timex.value == d.timex.value and o.type in {"agreement", "summit", "meeting"}), None)
            if twin is not None:
                d.participants = list(twin.participants)
                d.location = d.location or twin.location  # and where they agreed, not where the report was filed
        if d.type in {"statement"} and d.timex is None:
            sents = {m.sent_index for m in d.mentions}
            for other in drafts:
                if other is not d and other.type in MEETING_TYPES and other.timex and any(
                    m.sent_index in sents for m in other.mentions
                ):
                    d.timex = other.timex
                    if d.location is None and d.type == "agreement":
                        d.location = other.location
                    break


# What an agreement on the talks themselves agrees to do: meet, go on, extend, pause ('agreed to break for
# the holidays and resume', 'agreed that the negotiations will open in Vienna', 'agreed to stay in contact')
ARRANGING = ARRANGED | {"extend", "delay", "postpone", "break", "pause", "stay", "keep", "open", "intensify",
                        "speed", "step", "accelerate", "talk", "negotiate", "consult",
                        # a readout's "agreed to strengthen cooperation", "to work to create conditions", "to take steps"
                        "strengthen", "cooperate", "work", "maintain", "enhance", "deepen", "promote", "take",
                        # "agreed to look for alternatives", "to study the proposal": a way to go on, not a deal
                        "look", "seek", "explore", "study", "consider", "examine"}


def _perfect(trigger: Token, *auxes: str) -> bool:
    """Whether the verb a trigger hangs from is in the present perfect ('has put the talks on hold'), or
    with `auxes` ("had") another perfect."""
    verb = anchor_of(trigger)
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head  # "has put the talks on hold": from "on" up to the verb
    return any(c.dep_ == "aux" and c.lower_ in (auxes or ("has", "have")) for c in verb.children)


# What the talks themselves are made of: an 'agree' whose clause is about them arranges the talks ('agreed
# to suspend their talks for a while', 'agreed on the next steps', 'to see each other regularly once the
# talks resumed', 'that they would start drafting the text')
TALK_MATTERS = {"talk", "talks", "negotiation", "round", "meeting", "process", "contact", "step", "discussion",
                "dialogue", "consultation", "channel", "session", "drafting", "draft", "timetable", "schedule"}
# ... unless its verb does what a deal does ('agreed to lift sanctions', 'to halt enrichment during the talks')
DEAL_VERBS = {"sign", "conclude", "adopt", "ratify", "approve", "implement", "lift", "curb", "cap", "limit", "reduce",
              "halt", "freeze", "buy", "purchase", "cut", "remove", "ease", "dismantle", "accept", "allow", "grant",
              "release", "free", "exchange", "withdraw", "establish", "set", "create", "settle"}


def _arranging(m: Mention) -> bool:
    """'agreed to meet again', 'agreed on Friday that the negotiations will open ...': an 'agree' whose
    clause is an arranging verb, or is about the talks themselves (`TALK_MATTERS`) without doing what a
    deal does."""
    v = m.trigger
    if not (m.type == "agreement" and v.lemma_ == "agree" and v.pos_ in {"VERB", "AUX"}):
        return False
    clauses = [c for c in v.children if c.dep_ in {"xcomp", "ccomp"}]
    if any(c.lemma_ in ARRANGING for c in clauses):
        return True
    ons = [g for c in v.children if c.dep_ == "prep" and c.lower_ in {"on", "upon"} for g in c.children if g.dep_ == "pobj"]
    # a clause of what is to be done: not 'agreed that the negotiations had made sufficient progress', a finding
    ahead = [c for c in clauses if c.dep_ == "xcomp" or any(a.tag_ == "MD" for a in c.children)]
    for on in ons:
        # "agreed on steps to scale down their war and speed up the talks": what the steps do decides
        acts = [x for c in on.children if c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB" for x in (c, *c.conjuncts)]
        if acts:
            return all(a.lemma_ in ARRANGING for a in acts)
    return any(c.lemma_ not in DEAL_VERBS and any(t.lemma_.lower() in TALK_MATTERS for t in c.subtree)
               for c in ahead + ons)


def _an_arrangement(d: Draft) -> bool:
    """Whether an agreement is only one on how the talks go on: every 'agree' of it arranges."""
    verbs = [m for m in d.mentions if m.trigger.lemma_ == "agree" and m.trigger.pos_ in {"VERB", "AUX"}]
    return d.type == "agreement" and bool(verbs) and all(map(_arranging, verbs))


def _what_they_said(d: Draft, remark: Draft) -> bool:
    """'Trump had written on Sunday that the talks were moving too slowly': talks told inside what a
    remark says are not of the remark's day."""
    verbs = [m.trigger for m in remark.mentions if m.type == "statement"]
    return bool(verbs) and all(any(in_what_was_said(v, m.trigger) for v in verbs if v.sent.start == m.trigger.sent.start)
                               for m in d.mentions)


def _said_there(drafts: list[Draft]) -> None:
    """'Zarif sat down with Kerry on Thursday ... Zarif told reporters ...': remarks of a day of a
    meeting or agreement at a known place ('two days of talks in Moscow ended on Tuesday'), by one of
    its people, were made there (a visit names the country as often as the city); so were remarks and
    agreements of the day of a meeting whose people the text does not name ('the two delegations met in
    Havana on Thursday'), when that day has one place."""
    for d in drafts:
        if d.type not in {"statement", "agreement"} or d.location is not None or d.span is None or d.span[0] != d.span[1]:
            continue
        day = d.span[0]
        held = [o for o in drafts if o is not d and o.location and o.span and o.span[0] <= day <= o.span[1]
                and o.type in (MEETING_TYPES - {"visit"}) | ({"agreement"} if d.type == "statement" else set())]
        d.location = _sharpest([o.location for o in held if o.location and set(o.participants) & set(d.participants)]) \
            or _one_place([o.location for o in held if o.location and not o.participants])


# Who sits in a parliament: a remark made to them was made in its house ('told MPs', 'tells the Commons')
ASSEMBLY_WORDS = {"mp", "mps", "lawmaker", "legislator", "parliamentarian", "parliament", "commons", "deputy"}


def _addressed(verb: Token) -> list[Token]:
    """Who a speech the verb's clause names was made to: 'in his first statement to the House of Commons,
    he called ... and said ...' (the speech hangs from the verb, or from the verb it is conjoined to)."""
    heads = [verb, verb.head] if verb.dep_ == "conj" else [verb]
    return [g for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ in {"in", "during"}
            for n in p.children if n.dep_ == "pobj" and n.lemma_ in SPEECH_NOUNS
            for c in n.children if c.dep_ == "prep" and c.lower_ in {"to", "before"}
            for g in c.children if g.dep_ == "pobj"]


def _said_to_an_assembly(drafts: list[Draft], tracker: Tracker, year: int) -> None:
    """'May tells the Commons that ...', 'told MPs on Monday': a remark to a parliament was made where it
    sits: the city a landmark names ('the Commons': London), else the speaker's country's capital."""
    for d in drafts:
        if d.type != "statement" or d.location is not None or not d.participants:
            continue
        for m in d.mentions:
            heard = [c for c in m.trigger.children if c.dep_ in {"dobj", "dative"}] + [
                g for c in m.trigger.children if c.dep_ == "prep" and c.lower_ in {"to", "before"}
                for g in c.children if g.dep_ == "pobj"] + _addressed(m.trigger)
            house = next((h for h in heard if h.lower_ in ASSEMBLY_WORDS or h.lemma_.lower() in ASSEMBLY_WORDS
                          or any(x.lower_ in ASSEMBLY_WORDS for x in h.subtree if x.dep_ == "pobj")), None)
            if house is None:
                continue
            party = country_of(tracker, d.participants[0], year)
            d.location = landmark_city(house.doc[house.left_edge.i:house.right_edge.i + 1], tracker) \
                or (tracker.capital_of(party) if party else None)
            break


def _consolidate(drafts: list[Draft], tracker: Tracker) -> list[Draft]:
    """Drafts that inherited the same day and place are one event told twice ('talks in the Kremlin
    on Tuesday' and 'the summit')."""
    kept: list[Draft] = []
    for d in drafts:
        sentences = {m.sent_index for m in d.mentions}
        twin = next(
            (k for k in kept if (d.timex is None or k.timex is None) and d.type in MEETING_TYPES
             and _compatible_types(k.type, d.type) and (d.location or k.location) and _a_call(k) == _a_call(d)
             and (not (d.location and k.location) or d.location == k.location
                  or _inside(d.location, k.location) or _inside(k.location, d.location))
             and (d.timex is None and k.timex is None
                  # one dated without a place, one placed without a date: two halves of one telling
                  or not (d.participants if d.timex is None else k.participants)
                  and not (k.location if d.timex is None else d.location))
             and sentences & {m.sent_index for m in k.mentions}
             and (d.timex is None and k.timex is None or _told_together(d, k))
             and not any(in_sequence(x, y) for x in d.mentions for y in k.mentions)),
            None,
        ) or next(
            (k for k in kept if d.timex and k.timex and k.timex.value == d.timex.value
             and _compatible_types(k.type, d.type) and _places_compatible(k.location, d.location, tracker)
             and (k.location or d.location or k.type not in MEETING_TYPES)
             and not (_strangers(k, d) and not _two_sides_of(k, d, tracker))
             and not _hoped_and_held(k, d.mentions) and not _hoped_and_held(d, k.mentions)
             and not _another_agreement(d.mentions[0])
             and not (k.type == d.type == "agreement" and any(_other_paper(k, m) for m in d.mentions))),
            None,
        )
        if twin is None:
            kept.append(d)
        else:
            # "invited Putin to visit Japan and hopes to hold the summit in Yamaguchi": one event,
            # at the sharper place
            sharper = d.location if d.location and twin.location and _inside(d.location, twin.location) else None
            if twin.timex is None and d.timex is not None:
                twin.timex = d.timex  # the dated telling of the two dates the event
            if twin.location is None:
                twin.location = d.location
            _merge(twin, d.mentions)
            if et.more_specific(d.type, twin.type) and not _way_there(d, twin):
                twin.type = d.type
            twin.location = sharper or twin.location
    return kept


def _round_told_twice(drafts: list[Draft], tracker: Tracker) -> list[Draft]:
    """'Talks ... were extended into Saturday' and 'the round had opened on Thursday' (so ran through
    Saturday): talks dated to a round's last day are that round, when nothing places them apart."""
    kept: list[Draft] = []
    for d in drafts:
        twin = next((k for k in kept if k.type == d.type == "talks" and k.span and d.span and k.span != d.span
                     and k.span[1] == d.span[1] and relation(k.span, d.span) in {"wider", "narrower"}
                     and _places_compatible(k.location, d.location, tracker) and not _strangers(k, d)), None)
        if twin is None:
            kept.append(d)
            continue
        timex = twin.timex if relation(twin.span, d.span) == "wider" else d.timex
        location = twin.location or d.location
        _merge(twin, d.mentions)
        twin.timex, twin.location = timex, location
    return kept


def _told_together(a: Draft, b: Draft) -> bool:
    """Whether the sentence that dates one half names the place of the other: two halves of one telling
    ("talks on Tuesday ... in Geneva" of one sentence), not a round and the next one a later sentence
    names ("agreed to continue their consultations in Beijing"), joined by a reference back."""
    dated, placed = (a, b) if a.timex is not None else (b, a)
    return bool({m.sent_index for m in dated.mentions if m.timex} & {m.sent_index for m in placed.mentions if m.location})


def _stretch(drafts: list[Draft], news: Timex | None, published: date) -> None:
    """'the deal was reached after four days of talks': talks that took days, told in the past without a
    date of their own, ran until the day a neighbouring event of their sentence took place (`_inherit`),
    else the day the article tells of. 'Intensive talks that began last Friday': talks told as opened on a
    day of the last three weeks, and not as ended, run until the day the article tells of, when it tells of
    one and that is the news of the day (an article looking back days later tells of talks that have ended)."""
    for d in drafts:
        _still_running(d, news, published)
        days = max((m.days for m in d.mentions if m.days), default=None)
        if d.type not in MEETING_TYPES or days is None:
            continue
        ahead = any(m.tense == "future" for m in d.mentions)
        if d.timex is None and not ahead:
            d.timex = news
        if d.timex is not None and d.timex.granularity == "day" and d.timex.value:
            # "will travel to Moscow on Wednesday for two days of talks": days to come run from the day
            d.timex = stretch_back(d.timex, days, forward=ahead)


def _still_running(d: Draft, news: Timex | None, published: date) -> None:
    span, end = d.span, interval(news.value) if news and news.value else None
    if d.type not in MEETING_TYPES or d.timex is None or d.timex.granularity != "day" or span is None or end is None:
        return
    opened = any(m.opened and m.timex == d.timex for m in d.mentions)
    ended = any(m.trigger.lemma_ in ENDING_VERBS or m.anchor is not None and m.anchor.lemma_ in ENDING_VERBS
                for m in d.mentions)
    if opened and not ended and not any(m.tense == "future" for m in d.mentions) \
            and 0 < (end[1] - span[0]).days <= 21 and (published - end[1]).days <= 1:
        d.timex = Timex(f"{span[0].isoformat()}/{end[1].isoformat()}", None, d.timex.text, "range")




def _parts_of_a_sitting(drafts: list[Draft], tracker: Tracker) -> list[Draft]:
    """'Their summit of December 14 and 15' ... 'May had spoken to them over dinner on Thursday': a meeting
    of nobody named (or only of the sitting's people), on a day inside a summit's or a round's days, at its
    place, is part of that sitting, not a meeting of its own. Calls stay apart."""
    kept: list[Draft] = []
    for d in drafts:
        host = next((o for o in drafts if o is not d and d.type == "meeting" and _a_sitting(o)
                     and d.span and o.span and o.span[0] <= d.span[0] and d.span[1] <= o.span[1] and o.span != d.span
                     and d.location is not None and o.location is not None
                     and _places_compatible(d.location, o.location, tracker)
                     and set(d.participants) <= set(o.participants) and not _a_call(d) and not _a_call(o)), None)
        if host is None:
            kept.append(d)
        else:
            timex, location = host.timex, host.location
            _merge(host, d.mentions)
            host.timex, host.location = timex, location  # the sitting keeps its days and place
    return kept


def _undated_at_a_dated_place(drafts: list[Draft], tracker: Tracker) -> list[Draft]:
    """'The talks opened on December 15 in Nagato' ... 'the Nagato meeting': an undated meeting at a place
    where the article dates one meeting only is that meeting."""
    kept = []
    for d in drafts:
        dated = [k for k in drafts if k.timex is not None and k.type in MEETING_TYPES and k.location == d.location]
        host = dated[0] if len(dated) == 1 else None
        if d.timex is None and d.type in MEETING_TYPES and d.location and host is not None \
                and _compatible_types(host.type, d.type) \
                and not _strangers(host, d) \
                and not et.ministers_not_summit(host.type, host.participants, d.type, d.participants, tracker.leaders()):
            _merge(host, d.mentions)
            if et.more_specific(d.type, host.type):
                host.type = d.type
        else:
            kept.append(d)
    return kept


def _signing(m: Mention) -> bool:
    """Whether an agreement mention tells the document signed ('signed the accord', 'the accord was
    signed'), not only agreed."""
    return m.type == "agreement" and (m.trigger.lemma_ in SIGNING_WORDS or "signed" in m.cues)


def _signed_on_a_day(d: Draft) -> bool:
    return d.type == "agreement" and d.timex is not None and d.timex.granularity == "day" \
        and any(map(_signing, d.mentions))


def _ceremony(d: Draft) -> bool:
    return d.type in MEETING_TYPES and any(m.trigger.lower_ in CEREMONY_WORDS for m in d.mentions)


def _ceremonies(drafts: list[Draft], tracker: Tracker, published: date) -> list[Draft]:
    """A signing is also a meeting of its signatories (a summit when they lead two countries): 'signed
    the texts at a ceremony at El Laguito', 'Thursday's ceremony had 800 guests', 'Santos and Londono
    signed the accord in Cartagena on Monday'. A ceremony told without its day or place takes them from
    the signing of its sentence or the one either side (or of its day); a signing on a day at a place by
    leaders of two sides, or told with a ceremony, is one when the article tells no meeting there then."""
    signed = [d for d in drafts if _signed_on_a_day(d)]
    for c in (d for d in drafts if _ceremony(d)):
        near = {m.sent_index + k for m in c.mentions for k in (-1, 0, 1)}
        source = next((a for a in signed if (c.timex is None and any(m.sent_index in near for m in a.mentions))
                       or (a.timex is not None and c.timex is not None and a.timex.value == c.timex.value)), None)
        if source is None or not _places_compatible(source.location, c.location, tracker):
            continue
        if c.timex is not None and c.location is not None and not (
                source.location and _inside(source.location, c.location)):
            continue  # told with its day and place already
        c.timex = c.timex or source.timex
        if c.location is None or (source.location and _inside(source.location, c.location)):
            c.location = source.location  # "at the Teatro Colon in Bogota": the signing's sharper place
        c.participants = c.participants or list(source.participants)
        c.parties |= source.parties
    made = []
    for a in signed:
        signers = [p for m in a.mentions if _signing(m) for p in m.participants]
        words = {t.lower_ for m in a.mentions if _signing(m) and m.sentence is not None for t in m.sentence}
        leaders = {_leader_country(tracker, p) for p in signers if tracker.is_leader(p)}
        if a.location is None or not (words & CEREMONY_WORDS or signers and (words & CEREMONY_SIGNS or len(leaders) >= 2)):
            continue  # negotiators signing the text they concluded are the round's end, not a meeting
        if any(o.type in MEETING_TYPES and _places_compatible(o.location, a.location, tracker)
               and _dates_relation(o.span, a.span) in {"same", "nested"} for o in drafts):
            continue
        made.append(Draft("meeting", a.timex, a.location, list(a.participants), set(a.parties),
                          [m for m in a.mentions if _signing(m)]))
    return drafts + made


def _here(m: Mention) -> bool:
    return any(c.lower_ == "here" and c.dep_ == "advmod" for t in {m.trigger, anchor_of(m.trigger)} for c in t.children)


def _dateline_place(text: str, drafts: list[Draft], published: date, tracker: Tracker, known_only: bool = False) -> None:
    """'IRKUTSK, Russia, March 25 (Wire) - ... signed a statement on Sunday': what happened in the
    last days without a place named happened where the dateline says. `known_only`: before the drafts
    are consolidated, only a place of the tracker's: a place it does not know ('UNITED NATIONS') places
    the day's events but does not make two meetings of that day one ('the two men met on the margins
    of a meeting')."""
    m = DATELINE.search(text)
    name = dateline_place(m["place"].strip(" -"), tracker) if m else None
    if name is None or (known_only and tracker.place_for(name) is None):
        return
    for d in drafts:
        if d.location is None and d.type in MEETING_TYPES and any(_here(m) for m in d.mentions):
            d.location = name  # "the sides will reconvene here in the week of September 18": where it was written
    for d in drafts:
        if d.location is None and d.span and d.type in MEETING_TYPES | {"agreement", "statement"}:
            if published - timedelta(days=3) <= d.span[0] and d.span[1] <= published:
                d.location = name


# How far back the headline's scene reaches: the days an article's news covers (a weekly's week)
SCENE_DAYS = 7


def _headline_scene(doc: Doc, text: str, drafts: list[Draft], published: date, tracker: Tracker) -> bool:
    """'Foreign ministers converge on Geneva', 'three days at Montreux': a headline that sets its news in
    one place (a place after a preposition: 'Washington and Tehran sent ...' names parties, not a scene)
    places the meetings of the week before publication that the text gives no place; whether it placed one."""
    if not has_headline(text):
        return False
    end = text.find("\n")
    head = doc.char_span(0, end if end > 0 else len(text), alignment_mode="contract")
    if head is None:
        return False
    scenes = {name for ent in head.ents if ent.label_ in {"GPE", "LOC", "FAC"} and ent.root.dep_ == "pobj"
              for name in [place_named(ent.text, tracker)] if name}
    if len(scenes) != 1:
        return False
    scene, placed = scenes.pop(), False
    for d in drafts:
        if d.location is None and d.type in MEETING_TYPES - {"visit"} and d.span and not _a_call(d) \
                and published - timedelta(days=SCENE_DAYS) <= d.span[0] and d.span[1] <= published:
            d.location, placed = scene, True
    return placed


def _attribution_date(d: Draft, para_attr: dict[int, list[str]], published: date) -> Timex | None:
    """The date of the report nearest the mention: its paragraph's attribution, else the previous
    paragraphs', else the next one's ('(TASS, March 21)')."""
    first = d.mentions[0].paragraph
    for p in (first, first - 1, first - 2, first + 1):
        found = _attribution_in(para_attr.get(p, []), published)
        if found:
            return found
    return None


def _attribution_in(attrs: list[str], published: date) -> Timex | None:
    for attr in attrs:
        for _, _, timex in find_dates(attr, anchor=published)[:1]:
            span = interval(timex.value)
            if span and span[1] <= published:
                return timex
    return None


def _news_day(doc: Doc, text: str, published: date, body: list[tuple[int, int]] | None = None) -> Timex | None:
    """The day the article's lead tells of ('met in Geneva on Thursday'): the first day its first three
    body paragraphs name (a lead may tell what happened and the next paragraph when), when it is one of
    the three days before publication or that day. `body`: the paragraphs to read (a digest item's)."""
    if body is None:
        paras = paragraphs_of(text)
        body = paras[1:] if has_headline(text) and len(paras) > 1 else paras
    if not body:
        return None
    lead = doc.char_span(body[0][0], body[min(2, len(body) - 1)][1], alignment_mode="expand")
    masked = datelines(text)
    for ent in lead.ents if lead is not None else []:
        if ent.label_ != "DATE" or any(a <= ent.start_char < b for a, b in masked):
            continue
        timex = normalize(ent.text, anchor=published, tense="past")
        span = interval(timex.value) if timex and timex.granularity == "day" and timex.value else None
        if timex and span and published - timedelta(days=3) <= span[0] <= published:
            return timex
    return None


def _delegations_meet(m: Mention, who: str = "delegations") -> bool:
    """Whether the ones who meet are delegations, not named people ('the negotiators met', 'the two
    sides will meet'): cues.json "delegations" (or `who`: "leaders"), the subject of the trigger verb."""
    verb = m.trigger if m.trigger.pos_ in {"VERB", "AUX"} else m.trigger.head
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    v = verb
    for _ in range(3):
        if subjects or v.dep_ not in {"xcomp", "acomp"}:
            break
        # "the leaders are to meet", "negotiators want to meet", "EU leaders are due to meet": the subject
        # is the governing verb's
        v = v.head
        subjects = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}]
    # "negotiated by Barnier and Frost and their teams": the agent and its conjuncts
    agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    subjects += [c for a in agents for c in (a, *a.conjuncts)]
    return any(st.cue_word(_they(s), who) for s in subjects)


def _they(tok: Token) -> Token:
    """'It is for the leaders to judge when they meet': 'they' is the last plural noun before it in its
    sentence, when there is one; any other word is itself."""
    if tok.lower_ != "they":
        return tok
    return next((t for t in reversed(tok.doc[tok.sent.start:tok.i]) if t.tag_ in {"NNS", "NNPS"}), tok)


def _a_round(m: Mention) -> bool:
    """'will meet in Vienna for the next round': a meeting told as a round of the negotiation is talks,
    whoever leads the delegations."""
    return m.type == "talks" and m.trigger.lemma_.lower() == "round"


def _officials_meeting(d: Draft, tracker: Tracker, year: int) -> bool:
    """Whether talks with named people are named officials meeting, not a round between delegations: not
    when they ran over days, are told as a round, are between delegations, or one side's negotiators
    have "talks with the FARC's delegation"."""
    return bool(d.participants) and not _days_long(d) and not any(map(_a_round, d.mentions)) \
        and not any(_delegations_meet(m) for m in d.mentions if m.type == "talks") \
        and not (len(_sides(tracker, d.participants, year)) == 1 and any(map(_with_delegation, d.mentions)))


def _days_long(d: Draft) -> bool:
    """Whether talks ran over days ('two days of talks', 'talks on Thursday and Friday'): a round, even
    when the article names who led it."""
    span = d.span
    return bool(span and d.timex and d.timex.granularity in {"day", "range"} and span[1] > span[0])


def _home_trip(d: Draft, tracker: Tracker, year: int) -> bool:
    """A visit of people of one party to that party's own capital ('Zarif flew to Tehran for
    consultations', 'Abe returned to Tokyo'): going home, not a visit to the other side."""
    if d.type != "visit" or d.location is None or not d.participants:
        return False
    home = {country_of(tracker, p, year) for p in d.participants}
    return len(home) == 1 and None not in home and tracker.capital_of(home.pop() or "") == d.location


def _keep(d: Draft, tracker: Tracker, published: date) -> bool:
    year = published.year
    if _home_trip(d, tracker, year):
        return False
    if d.type == "summit" and all(_another_bodys(m.trigger, tracker) for m in d.mentions) \
            and len(_sides(tracker, d.participants, year)) == 1:
        # "Trump closed the Group of Seven summit": a summit of a body neither side is, one side there ("the
        # plan to sign it at the APEC summit": nobody named, the signing's summit)
        return False
    if d.type in MEETING_TYPES:
        # a date or a place says which meeting; with neither, a meeting still to come of named people of
        # two sides ("Trump said he expected to meet Xi in the near future")
        if d.location is None and not d.participants and d.timex is not None and d.span \
                and d.timex.granularity not in {"day", "range", "week"} and d.span[1] < published:
            return False  # "the sides met in July": a meeting of nobody named, nowhere, some month past
        return d.timex is not None or d.location is not None or (
            d.type != "visit" and all(m.tense == "future" or _invited_to(m) for m in d.mentions)
            and len(_sides(tracker, d.participants, year)) >= 2)
    if d.type == "statement":
        return bool(d.participants)
    return d.timex is not None


def _another_bodys(trigger: Token, tracker: Tracker) -> bool:
    """Whether a summit is named for an organisation that is not one of the tracker's parties ('the Group
    of Seven summit', 'the G20 summit'; not 'a summit of the European Council' when the EU is a party)."""
    named = [c for c in trigger.children if c.dep_ in {"compound", "nmod", "amod"}] + [
        g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    bodies = [t.doc[t.left_edge.i:t.right_edge.i + 1] for t in named if t.ent_type_ == "ORG"]
    return bool(bodies) and all(tracker.party_for(b.text) is None and tracker.party_for(b.root.text) is None
                                for b in bodies)


def _told_better(d: Draft, drafts: list[Draft]) -> bool:
    """An undated, unplaced meeting whose people meet at a dated or placed meeting of the article is
    that meeting told vaguely ('previews Abe-Putin summit' ... 'will meet in Moscow on January 22')."""
    if d.type not in MEETING_TYPES or d.timex is not None or d.location is not None:
        return False
    return any(o is not d and o.type in MEETING_TYPES and (o.timex or o.location)
               and len(set(o.participants) & set(d.participants)) >= 2 for o in drafts)


def _speaker_met(d: Draft, mentions: list[Mention]) -> Mention | None:
    """'Kerry, who spent Saturday in Vienna with Zarif, said the world was safer': the dated meeting a
    relative clause on the speaker tells is where and when the remark was made."""
    said = d.mentions[0]
    return next((m for m in mentions if m.type in MEETING_TYPES and m.timex is not None
                 and m.sent_index == said.sent_index and m.trigger.dep_ == "relcl"
                 and m.trigger.head.dep_ == "nsubj" and m.trigger.head.head.i == said.trigger.i), None)


def _strangers(a: Draft, b: Draft) -> bool:
    """Whether both drafts name people and share none ('Mori's trip' is not Kono's visit)."""
    return bool(a.participants and b.participants and not set(a.participants) & set(b.participants))


def _two_sides_of(a: Draft, b: Draft, tracker: Tracker) -> bool:
    """Agreements of one day told by one side's people and by the other's: the two sides of one deal."""
    if a.type != "agreement" or b.type != "agreement":
        return False
    year = a.span[0].year if a.span else 0
    sides_a, sides_b = _sides(tracker, a.participants, year), _sides(tracker, b.participants, year)
    return bool(sides_a and sides_b and not sides_a & sides_b)


def _with_delegation(m: Mention) -> bool:
    """'talks with the FARC's delegation', 'talks with Chinese negotiators': the other side unnamed."""
    return any(c.dep_ == "prep" and c.lower_ == "with" and any(
        g.dep_ == "pobj" and st.cue_word(g, "delegations") for g in c.children) for c in m.trigger.children)


def _invited_to(m: Mention) -> bool:
    """'Mnuchin has invited Liu He to a new round of trade talks': a meeting offered, still to come."""
    return any(a.lemma_ == "invite" for a in m.trigger.ancestors)


def _sides(tracker: Tracker, people: list[str], year: int) -> set[str]:
    """The parties the people speak for (those the tracker gives one)."""
    return {c for p in people if (c := country_of(tracker, p, year))}


def _leader_country(tracker: Tracker, leader: str) -> str | None:
    person = tracker.person_for(leader)
    assert person is not None  # a leader is one of the tracker's people
    return person.country


def _on_topic(text: str, mentions: list[Mention], tracker: Tracker) -> list[Mention]:
    """A digest's items about other news ('3. Putin wins a fourth term', 'MEXICO: Three leaders, one card')
    tell none of the negotiation's events: an item whose heading names nothing of the tracker, and whose
    text says none of its keywords, is left out."""
    items = digest_items(text, paragraphs_of(text))
    off = [(a, end) for a, b, end in items if not tracker.names_any(text[a:b]) and not tracker.keyword_hits(text[a:end].lower())]
    if not off:
        return mentions
    return [m for m in mentions if not any(a <= m.trigger.idx < end for a, end in off)]


def events_from_doc(doc: Doc, *, published: date, tracker: Tracker, matcher: TriggerMatcher) -> list[ExtractedEvent]:
    """The article's events with the status in force at `published`."""
    mentions = _on_topic(doc.text, find_mentions(doc, published=published, tracker=tracker, matcher=matcher), tracker)
    _ANCESTORS.set(tracker.place_ancestors())
    drafts: list[Draft] = []
    for group in _groups(mentions):
        probe = _probe(group)
        candidates = [d for d in reversed(drafts) if _same_event(d, probe, tracker) and not _hoped_and_held(d, group)]
        target = candidates[0] if candidates else None
        if len(candidates) > 1 and probe.timex is None and probe.location is None and not probe.participants:
            # a bare "the visit" is the last visit named, and in the past tense one that happened
            tense = group[0].tense
            if any(c in m.cues for m in group for c in ("postponed", "cancelled", "scheduled", "proposed")):
                tense = "future"  # "had chosen to postpone the visit": a visit still to come
            same = [d for d in candidates if d.type == probe.type] or candidates
            dated = [
                d for d in same if d.span is not None
                and ((tense == "past" and d.span[1] < published) or (tense == "future" and d.span[1] >= published))
            ]
            fitting = dated or [d for d in same if d.span is None] or same
            target = fitting[0] if tense in {"past", "future"} else same[0]
        if target is None:
            drafts.append(_new(group))
        else:
            _merge(target, group)
    text = doc.text  # built once: Doc.text joins every token each time it is read
    paras = paragraphs_of(text)
    para_attr = {i: attributions(text[a:b]) for i, (a, b) in enumerate(paras)}
    news = _news_day(doc, text, published)
    # a digest's items each tell their own news ("1. Britain and the EU settle the terms ... on Monday")
    item_news = [(a, end, _news_day(doc, text, published, [p for p in paras if b <= p[0] < end]))
                 for a, b, end in digest_items(text, paras)]
    for d in drafts:
        if d.type == "suspension" and d.timex is None:
            d.timex = _attribution_date(d, para_attr, published)
        if d.type == "suspension" and d.timex is None and any(
                (m.tense == "present" or _perfect(m.trigger)) and not m.headline for m in d.mentions):
            # "the talks are on hold", "has put the talks on hold": in force as the article is written,
            # since a day it does not give
            d.timex = Timex(published.isoformat(), None, "publication date", "day")
        if d.type == "statement" and d.timex is None:
            _said_at(d, drafts)
        if d.type == "statement" and d.span is not None and d.span[0] > published:
            d.timex = None  # "announced a flextension until January 31, 2020": what was said; a remark is made by now
        if d.type == "statement" and d.timex is None:
            # undated remarks: the report's date (the attribution), else the day the lead tells of when
            # told in the past tense ("Ivanov told reporters"), else the day of publication
            lead_news = next((n for a, end, n in item_news if a <= d.mentions[0].trigger.idx < end), news)
            told_past = lead_news if d.mentions[0].tense == "past" else None
            met = _speaker_met(d, mentions)
            if met is not None and d.location is None:
                d.location = met.location
            d.timex = (met.timex if met else None) or _attribution_date(d, para_attr, published) or told_past or Timex(
                published.isoformat(), None, "publication date", "day"
            )
        if d.type == "pledge":
            # "the year-2000 target" is a date to meet; "the 1997 pledge" one made in 1997
            made_then = (
                d.timex is not None and "year" not in (d.timex.text or "").lower()
                and bool(d.span and d.span[1].year < published.year)
                and not any(m.type == "deadline" for m in d.mentions)  # "target ... by 2000" is due then
            )
            d.type = "agreement" if made_then else "deadline"

    for d in drafts:
        if d.type == "agreement":
            _agreed_at(d, drafts)
    _inherit(drafts, published)
    _date_reached(drafts, news, published)
    _said_there(drafts)
    _dateline_place(text, drafts, published, tracker, known_only=True)
    # remarks by someone the tracker cannot name are not kept, nor told again by a named speaker
    drafts = _consolidate([d for d in drafts if d.type != "statement" or d.participants], tracker)
    drafts = _undated_at_a_dated_place(drafts, tracker)
    # after the undated tellings have found their dated event: talks that took days, dated last
    _stretch(drafts, news, published)
    drafts = _round_told_twice(drafts, tracker)
    _said_to_an_assembly(drafts, tracker, published.year)
    _said_there(drafts)  # again: a round's span is whole only now ('opened in Vienna last Tuesday' ... 'by Monday')
    _dateline_place(text, drafts, published, tracker)
    if _headline_scene(doc, text, drafts, published, tracker):
        _said_there(drafts)  # the remarks of a meeting that has its place only now
    drafts = _ceremonies(drafts, tracker, published)
    drafts = _parts_of_a_sitting(drafts, tracker)
    for d in drafts:
        if _a_call(d):
            d.location = None  # "spoke by telephone": held nowhere, whatever the dateline or the sentence names
            continue  # and a call between two leaders is no summit
        if d.type == "talks" and _officials_meeting(d, tracker, published.year):
            d.type = "meeting"
        elif d.type == "meeting" and not d.participants and any(_delegations_meet(m) for m in d.mentions):
            d.type = "talks"  # "negotiators will meet in Geneva": a round between delegations
        elif d.type == "meeting" and not d.participants and any(_delegations_meet(m, "leaders") for m in d.mentions):
            d.type = "summit"  # "the leaders of the 27 meet in Brussels": leaders meeting is a summit
        if d.type in {"meeting", "talks"} and sum(tracker.is_leader(p) for p in d.participants) >= 2:
            countries = {_leader_country(tracker, p) for p in d.participants if tracker.is_leader(p)}
            if len(countries) >= 2:
                d.type = "summit"  # leaders of two countries meeting is a summit
    for d in drafts:
        _status(d, published)
    _apply_denials(doc, drafts, published)

    events = []
    for d in drafts:
        if not _keep(d, tracker, published) or _told_better(d, drafts):
            continue
        status = _final_status(d, published)
        attribution: list[str] = []
        for m in d.mentions:
            for a in para_attr.get(m.paragraph, []):
                if a not in attribution:
                    attribution.append(a)
        evidence, seen = [], set()
        for m in d.mentions:
            sent = m.sentence
            if sent is not None and sent.start_char not in seen:
                seen.add(sent.start_char)
                evidence.append(Evidence(sent.text, sent.start_char, sent.end_char))
        filled = sum(x is not None for x in (d.timex, d.location)) + bool(d.participants)
        events.append(
            ExtractedEvent(
                type=d.type,
                status=status,
                date=DateValue(d.timex.value, d.timex.mod, d.timex.text) if d.timex else None,
                location=d.location,
                participants=d.participants,
                parties=sorted(d.parties),
                summary=_summary(d, status),
                evidence=evidence,
                attribution=attribution,
                confidence=min(0.95, 0.4 + 0.15 * filled + 0.05 * min(len(d.mentions), 3)),
                moved_from=_moved_from(d),
                arrangement=_an_arrangement(d),
                remote=_a_call(d),
            )
        )
    return events


# Long articles (NTRACK_MAX_ARTICLE_CHARS, NTRACK_ARTICLE_SECONDS): extraction reads the first
# MAX_ARTICLE_CHARS characters of an article, cut at the last paragraph break before them (a long
# news article has 10,000-30,000); a text longer than CHUNK_CHARS is parsed by spaCy in pieces of
# paragraphs (memory stays that of one piece) joined into one Doc, and no piece is started once the
# article has used ARTICLE_SECONDS (the events are those of the text read by then). 0 turns each off.
MAX_ARTICLE_CHARS = 100_000
ARTICLE_SECONDS = 30.0
CHUNK_CHARS = 10_000


def _cut_point(text: str, limit: int) -> int:
    """Where to end a piece of `text` no longer than `limit`: after the last paragraph break, else
    line break, else sentence end, else space in its second half; else at `limit`."""
    head = text[:limit]
    for sep in ("\n\n", "\n", ". ", " "):
        at = head.rfind(sep, limit // 2)
        if at > 0:
            return at + len(sep)
    return limit


def cap_text(text: str, max_chars: int = MAX_ARTICLE_CHARS) -> str:
    """The first `max_chars` characters of `text`, ending at a paragraph break when there is one
    in their second half (0: the whole text). A prefix, so evidence offsets hold for the whole text."""
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    return text[: _cut_point(text, max_chars)].rstrip()


def pieces(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """`text` in consecutive pieces of about `size` characters ending at paragraph breaks where it
    can; ''.join(pieces) == text."""
    out, start = [], 0
    while len(text) - start > size:
        end = start + _cut_point(text[start:start + size], size)
        out.append(text[start:end])
        start = end
    if start < len(text):
        out.append(text[start:])
    return out


class Extractor:
    """Extraction for one tracker: holds the pipeline and the matcher, runs articles in batches.

    `max_chars`, `seconds` and `chunk_chars` bound what one article may cost (see MAX_ARTICLE_CHARS)."""

    def __init__(
        self, nlp: Language, tracker: Tracker, *, max_chars: int = MAX_ARTICLE_CHARS,
        seconds: float = ARTICLE_SECONDS, chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        self.nlp, self.tracker = nlp, tracker
        self.matcher = trigger_matcher(nlp, tracker)
        self.max_chars, self.seconds, self.chunk_chars = max_chars, seconds, chunk_chars

    def extract(self, text: str, published: date) -> list[ExtractedEvent]:
        return next(self.extract_many([(text, published)]))

    def extract_many(
        self, items: Iterable[tuple[str, date]], batch_size: int = 16
    ) -> Iterator[list[ExtractedEvent]]:
        """Events per article, in input order; texts go through nlp.pipe in batches, long ones
        (capped) in pieces."""
        pairs = []
        for text, published in items:
            capped = cap_text(text, self.max_chars)
            if len(capped) < len(text):
                log.info("article of %d characters: extraction reads the first %d (the limit is %d)",
                         len(text), len(capped), self.max_chars)
            pairs.append((capped, published))
        for (_text, published), doc in zip(pairs, self._docs([t for t, _ in pairs], batch_size), strict=True):
            yield events_from_doc(doc, published=published, tracker=self.tracker, matcher=self.matcher)

    def _docs(self, texts: list[str], batch_size: int) -> Iterator[Doc]:
        """One Doc per text, in order: short ones batched, long ones pieced together."""
        batch: list[str] = []
        for text in texts:
            if self.chunk_chars <= 0 or len(text) <= self.chunk_chars:
                batch.append(text)
                continue
            yield from self.nlp.pipe(batch, batch_size=batch_size)
            batch = []
            yield self._long_doc(text)
        yield from self.nlp.pipe(batch, batch_size=batch_size)

    def _long_doc(self, text: str) -> Doc:
        """A long text parsed piece by piece (paragraph breaks end sentences anyway) into one Doc,
        its text a prefix of `text`: no piece is started after the article's time budget."""
        started = time.monotonic()
        parts = pieces(text, self.chunk_chars)
        docs: list[Doc] = []
        for doc in self.nlp.pipe(parts, batch_size=1):
            docs.append(doc)
            if self.seconds > 0 and time.monotonic() - started > self.seconds and len(docs) < len(parts):
                read = sum(len(d.text) for d in docs)
                log.info("article of %d characters: time budget of %.0f s spent, events from the first %d",
                         len(text), self.seconds, read)
                break
        return Doc.from_docs(docs, ensure_whitespace=False)
