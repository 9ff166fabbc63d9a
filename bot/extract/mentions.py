"""Event mentions in one parsed article: triggers found by data patterns, and the dates, places and
people the dependency parse attaches to each. Pure: a Doc and a publication date in, mentions out.

`find_mentions` runs named passes over each sentence; what they lean on lives beside this module:
`triggers` (which matches are events), `people` (who a name is), `places` (which entities are used as
places), `layout` (paragraphs, datelines, headline, citations) and `clauses` (which clause a word
belongs to)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from bot.event_types import MEETING_TYPES
from bot.extract import status as st
from bot.extract.clauses import (
    CANCELLING,
    CLAUSE_DEPS,
    PUT_FORWARD_VERBS,
    anchor_of,
    calls_off,
    date_tense,
    same_clause,
    since,
    since_clause,
    span_of,
    through_clause,
    verb_above,
)
from bot.extract.layout import Layout, in_attribution
from bot.extract.people import (
    PersonResolver,
    country_of,
    the_two_leaders,
    title_before_name,
    title_beside_name,
)
from bot.extract.places import SPEECH_NOUNS, capital_phrase, locative, place_named
from bot.extract.timex import Tense, Timex, interval, normalize, number
from bot.extract.triggers import (
    END_VERBS,
    SPEAKING_VERBS,
    TriggerMatcher,
    asked_for,
    by_sentence,
    described_as,
    drop_suspended,
    is_definite,
    keep_trigger,
    proposals_sent,
    remote,
    sentence_lemmas,
    statement_subjects,
    trigger_tokens,
    what_is_extended,
)
from bot.tracker import Tracker

YEAR_IN_TOKEN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# Verbs whose subject and object are two events: "the visit follows the talks", "precedes the summit".
SEQUENCE_VERBS = {"be", "follow", "precede", "replace", "succeed"}
FRESH = {"next", "another", "further", "new", "second", "third", "fourth", "following"}


@dataclass(slots=True)
class Mention:
    """One trigger and what the sentence says about it."""

    type: str
    trigger: Token
    sent_index: int
    paragraph: int
    timex: Timex | None = None
    location: str | None = None
    participants: list[str] = field(default_factory=list)
    parties: set[str] = field(default_factory=set)
    cues: list[str] = field(default_factory=list)
    tense: Tense | None = None
    definite: bool = False
    sentence: Span | None = None
    anchor: Token | None = None
    headline: bool = False
    fresh: bool = False  # "the next round", "another meeting": a new event, never a reference back
    days: int | None = None  # "two days of talks": how long the event took, ending on its date
    opened: bool = False  # "talks that began last Friday": its date is the day it opened
    moved_from: str | None = None  # "set for May 3, has been postponed to June 10": the date it had ("?": untold)
    turn: bool = False  # a transcript's turn ('DAVIS: ...'): the statement its speaker made there
    arranged: bool = False  # "agreed to continue their consultations in Beijing": a meeting still to come
    remote: bool = False  # "a phone call on September 5", "spoke by telephone": a meeting held nowhere
    listed: bool = False  # "rounds on May 11 and June 1": a copy for a listed day other than the mention's own


def linked(a: Mention, b: Mention) -> bool:
    """Whether two triggers of one sentence describe one event: 'summit meeting', 'talks ... during
    a visit', 'Kono met with Putin during his stay'; not two events a copula compares."""
    ta, tb = a.trigger, b.trigger
    if a.timex and b.timex and a.timex.value != b.timex.value and not (_days_hold(a, b) or _days_hold(b, a)) \
            and not _told_closer(a, b):
        return False  # "agreed in Singapore ... on the basis of the 1956 declaration": two dates, two events
    if a.type == "suspension" or b.type == "suspension":
        # "pulling out of talks ... and ending visa-free trips": two suspensions
        return (tb.head.i == ta.i or ta.head.i == tb.i) and "conj" not in {ta.dep_, tb.dep_}
    if tb.head.i == ta.i or ta.head.i == tb.i:
        return True
    if ta.head.i == tb.head.i and {ta.dep_, tb.dep_} in ({"nsubj", "xcomp"}, {"nsubjpass", "xcomp"}):
        return True  # "the summit is to be held in Nagato"
    for x, y in ((a, b), (b, a)):
        anchor = x.anchor if x.anchor is not None else x.trigger
        if anchor.lemma_ in SEQUENCE_VERBS:
            continue  # "the visit follows working-level talks in Beijing": one event after another
        t, steps = y.trigger, 0
        while t.i != anchor.i and t.head.i != t.i and steps < 4:
            if t.dep_ in CLAUSE_DEPS or (t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"}):
                break  # "agreed ... when the leaders met", "..., and hopes to arrange a trip": another event
            t, steps = t.head, steps + 1
        if t.i == anchor.i:
            return True
    return False


def _told_closer(a: Mention, b: Mention) -> bool:
    """'the first Almaty meeting, held on Feb. 26 and 27' (in an article dated by 'In February'): a
    participle on the event's noun dating it inside the noun's own date tells it more closely."""
    ta, tb = a.trigger, b.trigger
    if not (tb.head.i == ta.i and tb.dep_ == "acl" or ta.head.i == tb.i and ta.dep_ == "acl"):
        return False
    sa, sb = when(a), when(b)
    return bool(sa and sb and (sa[0] <= sb[0] and sb[1] <= sa[1] or sb[0] <= sa[0] and sa[1] <= sb[1]))


def _days_hold(a: Mention, b: Mention) -> bool:
    """Whether `a` tells days of talks ('four days of talks that began on Monday') holding the day `b`
    is dated ('the round wrapped up on Thursday'): one sitting, told by its days and by its last one."""
    span, other = when(a), when(b)
    return bool(a.days and span and other and span[0] <= other[0] and other[1] <= span[1])


def in_sequence(a: Mention, b: Mention) -> bool:
    """'The visit follows working-level talks in Beijing': the subject and the object of a verb of
    sequence are two events, whatever else the sentence lets them share."""
    for x, y in ((a, b), (b, a)):
        verb = x.trigger.head
        if x.trigger.dep_ in {"nsubj", "nsubjpass"} and verb.lemma_ in SEQUENCE_VERBS - {"be"} and any(
                c.dep_ == "dobj" and c.left_edge.i <= y.trigger.i <= c.right_edge.i for c in verb.children):
            return True
    return False


def when(m: Mention) -> tuple[date, date] | None:
    return interval(m.timex.value) if m.timex else None


@dataclass(slots=True)
class _Article:
    """What every pass reads about the whole article."""

    doc: Doc
    published: date
    tracker: Tracker
    layout: Layout
    resolve: PersonResolver  # remembers the article's full names, so passes must resolve in text order


@dataclass(slots=True)
class _Memory:
    """What a sentence leaves to the sentences after it."""

    last_person: list[str] = field(default_factory=list)  # the topic: who "he" is next
    leaders_seen: list[str] = field(default_factory=list)  # for "the two leaders"
    recent_day: list[tuple[int, Timex]] = field(default_factory=list)  # (paragraph, the day it last named)
    recent_span: list[tuple[int, date]] = field(default_factory=list)  # (paragraph, first day of the last day or span named)
    scene: list[tuple[int, str]] = field(default_factory=list)  # (paragraph, the place 'In Berlin, ...' opened)
    turns_told: set[int] = field(default_factory=set)  # the transcript turns (paragraphs) already read
    turn_place: list[str] = field(default_factory=list)  # where the turns were spoken ('news conference in Tehran')
    last_place: list[str] = field(default_factory=list)  # the last place the sentence before named: 'there'
    placed: dict[str, tuple[int, str]] = field(default_factory=dict)  # person -> (paragraph, where the last sentence put them)


@dataclass(slots=True)
class _Sentence:
    """One sentence as the passes fill it in: its entities and triggers, then its mentions."""

    sent: Span
    index: int
    ents: list[Span]
    triggers: list[tuple[Token, str]]
    persons: list[tuple[Token, str]] = field(default_factory=list)
    dates: list[tuple[Span, Token]] = field(default_factory=list)
    places: list[tuple[Token, str]] = field(default_factory=list)
    own: dict[int, tuple[int, int]] = field(default_factory=dict)  # trigger -> its phrase's token span
    ext: dict[int, tuple[int, int]] = field(default_factory=dict)  # trigger -> its anchor's clause span
    by_label: dict[int, str] = field(default_factory=dict)
    pronoun_person: list[str] = field(default_factory=list)
    made: dict[int, Mention] = field(default_factory=dict)
    unassigned: list[Span] = field(default_factory=list)  # dates no trigger's phrase holds
    weekdays: dict[int, Timex] = field(default_factory=dict)  # "the Friday" (entity start) -> its day in the span told

    def assign(self, i: int) -> int | None:
        """The trigger whose phrase (or the clause it is an argument of) most closely holds token i."""
        inside = [(b - a, 0, t) for t, (a, b) in self.own.items() if a <= i <= b]
        inside += [(b - a, 1, t) for t, (a, b) in self.ext.items() if a <= i <= b]
        return min(inside)[2] if inside else None


def find_mentions(doc: Doc, *, published: date, tracker: Tracker, matcher: TriggerMatcher) -> list[Mention]:
    """Every event mention of the article, in text order, with attached date, place and people."""
    layout = Layout(doc.text, frozenset(st.cues()["questioners"]))
    art = _Article(doc, published, tracker, layout, PersonResolver(tracker, published.year))
    memory = _Memory()
    mentions: list[Mention] = []
    for s in _sentences(art, matcher):
        _note_scene(art, memory, s)
        mentions.extend(_turns(art, memory, s))
        if not s.triggers:
            _note_topic(art, memory, s)
            # "The week began in Berlin on Wednesday.": no event, but the day of the sentences after it
            s.dates = _joined_dates(art, [(e, e.root) for e in s.ents if _named_here(art, e) and _a_date(art, e)])
            _date_after_the_last_day(art, memory, s)  # "The next day Johnson went further.": counted on
            _weekday_of_the_span(art, memory, s)
            _remember_day(art, memory, s)
            _remember_place(art, memory, s)
            continue
        _read_entities(art, s)
        _add_the_two_leaders(art, memory, s)
        _settle_triggers(s)
        _resolve_pronoun(memory, s)
        _make_mentions(art, s)
        _weekday_of_the_span(art, memory, s)
        _date_from_entities(art, s)
        _date_after_the_last_day(art, memory, s)
        _date_from_move(art, s)
        _date_from_year_in_phrase(art, s)
        _date_from_duration(art, s)
        _date_from_stretch(art, s)
        _date_from_extension(art, s)
        _sittings_of_a_round(s)
        _date_statements(art, memory, s)
        _date_from_entry(art, s)
        _remember_day(art, memory, s)
        _attach_places(s)
        _place_from_entry(art, s)
        _remarks_at_the_scene(art, memory, s)
        _attach_people(art, s)
        _meeting_before_the_act(s)
        _one_meeting_each(art, s)
        _attach_parties(art, s)
        _meeting_where_they_went(art, s)
        _meeting_they_went_for(art, s)
        _calls_held_nowhere(s)
        _there(memory, s)
        _he_said_there(memory, s)
        _remember_place(art, memory, s)
        mentions.extend(s.made.values())
        mentions.extend(_each_listed_sitting(art, s))
    return mentions


# Plurals of sittings: "three negotiating weeks ... the weeks beginning April 20, May 11 and June 1"
PLURAL_SITTINGS = {"rounds", "weeks", "sessions", "meetings"}
LIST_WORDS = {",", "and", "or"}


def _sittings_word(tok: Token) -> bool:
    """'rounds', 'sessions', 'meetings', 'negotiating weeks'; not 'two weeks after his capture'."""
    return tok.lower_ in PLURAL_SITTINGS - {"weeks"} or (
        tok.lower_ == "weeks" and any(c.lower_ in {"negotiating", "negotiation"} for c in tok.children))


def _listed_day(art: _Article, ent: Span, m: Mention) -> Timex | None:
    """The day a listed date names ('April 20,'), read with the mention's tense; None for no day."""
    t = normalize(ent.text.rstrip(", "), anchor=art.published, tense=m.tense or "future")
    return t if t is not None and t.granularity == "day" and t.value else None


def _each_listed_sitting(art: _Article, s: _Sentence) -> list[Mention]:
    """Pass: "further rounds on May 11 and June 1", "three negotiating weeks: the weeks beginning April 20,
    May 11 and June 1": sittings told in the plural with a list of days more than a week apart are one
    sitting a day. The mention keeps the first day it took; each other day of its list is a mention of its
    own (a copy)."""
    if len(s.dates) < 2 or not any(_sittings_word(t) for t in s.sent):
        return []  # (the cheap test first: most sentences name fewer than two dates)
    ents = sorted((e for e, _ in s.dates), key=lambda e: e.start)
    runs: list[list[Span]] = []
    for e in ents:
        if runs and all(t.text.lower() in LIST_WORDS for t in art.doc[runs[-1][-1].end:e.start]):
            runs[-1].append(e)
        else:
            runs.append([e])
    out: list[Mention] = []
    for m in s.made.values():
        if m.type not in {"talks", "meeting"}:
            continue
        if m.timex is None:
            # "all to be held by video conference: the weeks beginning April 20, May 11 and June 1": a list of
            # days no trigger's phrase holds dates the sittings, the first this mention
            free = {e.start for e in s.unassigned}
            run = next((r for r in runs if len(r) > 1 and all(e.start in free and _listed_day(art, e, m) for e in r)), None)
            if run is None:
                continue
            m.timex = _listed_day(art, run[0], m)
        if m.timex is None or m.timex.granularity != "day" or not m.timex.value:
            continue
        run = next((r for r in runs if len(r) > 1 and any(e.text.rstrip(", ") == m.timex.text.rstrip(", ") for e in r)), None)
        if run is None:
            continue
        # "rounds ... held", "negotiating weeks ... held": sittings of the negotiation are talks
        if any(_sittings_word(t) and t.lower_ != "meetings" for t in s.sent):
            m.type = "talks"
        days = {date.fromisoformat(m.timex.value)}
        for e in run:
            t = _listed_day(art, e, m)
            if t is not None and t.value and all(abs((date.fromisoformat(t.value) - d).days) > 7 for d in days):
                days.add(date.fromisoformat(t.value))
                out.append(replace(m, timex=t, listed=True))
    return out


def _there(memory: _Memory, s: _Sentence) -> None:
    """Pass: 'Fabius flew to Tehran on Wednesday. Mogherini is due there on Tuesday for talks with Zarif':
    a meeting told 'there' is at the last place named before it: in its own sentence ('Zarif would travel
    to Vienna, and Kerry would go there too, to meet him'), else the sentence before."""
    for m in s.made.values():
        chain = {a.i for a in [m.trigger, *m.trigger.ancestors][:4]}
        there = next((t for t in s.sent if t.lower_ == "there" and t.dep_ == "advmod" and (t.head.i in chain or (
            t.head.dep_ in {"acomp", "xcomp"} and t.head.head.i in chain))), None)  # "is due there ... for talks"
        if there is None or m.location is not None or m.type not in MEETING_TYPES or not (m.timex or m.participants):
            continue
        before = [name for tok, name in sorted(s.places, key=lambda p: p[0].i) if tok.i < there.i]
        if before or memory.last_place:
            m.location = before[-1] if before else memory.last_place[0]


def _he_said_there(memory: _Memory, s: _Sentence) -> None:
    """Pass: 'Khamenei gave his end-of-Ramadan sermon in Tehran on Saturday. Whatever happened, he said,
    ...': a remark whose speaker is a pronoun for someone the sentence before placed was made there."""
    if s.places:
        return
    for tok, label in s.triggers:
        m = s.made[tok.i]
        if label != "statement" or m.location is not None or len(m.participants) != 1:
            continue
        if not any(x.lower_ in {"he", "she"} for x in statement_subjects(tok)):
            continue
        para, place = memory.placed.get(m.participants[0], (-1, ""))
        if para == m.paragraph:
            m.location = place


def _remember_place(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass: the last place the sentence names, for a 'there' in the next one; and where its events put
    their people, for a 'he said' in the next one."""
    places = [name for _, name in sorted(s.places, key=lambda p: p[0].i)] if s.places else [
        loc for ent in s.ents if ent.label_ in {"GPE", "LOC", "FAC"} and _named_here(art, ent)
        and (loc := locative(ent, art.tracker))]
    memory.last_place[:] = places[-1:]
    memory.placed.clear()
    for m in s.made.values():
        for who in m.participants:
            if m.location:
                memory.placed[who] = (m.paragraph, m.location)
    if not s.triggers and len(places) == 1:
        # "Khamenei gave his end-of-Ramadan sermon in Tehran on Saturday.": no event, but where he was
        para = art.layout.para_of(s.sent.start_char)
        for ent in s.ents:
            if ent.label_ == "PERSON" and ent.root.dep_ == "nsubj" and _named_here(art, ent) \
                    and (name := art.resolve(ent.text)):
                memory.placed[name] = (para, places[0])


def _calls_held_nowhere(s: _Sentence) -> None:
    """Pass: a call ('spoke by telephone', 'a phone call') has no place, whatever place the sentence names
    ('resumed their talks in Brussels on Sunday, a day after the two leaders spoke by telephone')."""
    for m in s.made.values():
        if m.remote:
            m.location = None


def _sentences(art: _Article, matcher: TriggerMatcher) -> Iterator[_Sentence]:
    """Pass: each sentence with its entities and the triggers kept in it (`triggers.keep_trigger`).
    Entities and triggers are found once for the document: `Span.ents` rebuilds the document's
    entity list on every read, which made a long article quadratic."""
    doc = art.doc
    sentences = list(doc.sents)
    starts = [s.start for s in sentences]
    ents_of: list[list[Span]] = [[] for _ in sentences]
    for ent in doc.ents:
        k = bisect_right(starts, ent.start) - 1
        if k >= 0 and ent.end <= sentences[k].end:  # as Span.ents: wholly inside the sentence
            ents_of[k].append(ent)
    triggers_of = by_sentence(trigger_tokens(doc, matcher), starts)
    for s_index, sent in enumerate(sentences):
        lemmas = sentence_lemmas(sent) if triggers_of[s_index] else frozenset()
        triggers = [(doc[i], label) for i, label in triggers_of[s_index] if keep_trigger(label, doc[i], sent, lemmas)]
        yield _Sentence(sent, s_index, ents_of[s_index], triggers)


def _turns(art: _Article, memory: _Memory, s: _Sentence) -> list[Mention]:
    """Pass: a transcript's turn ('BARNIER: Good afternoon. This week our teams ...') is a statement by its
    speaker, told in the sentence its label opens; the speaker is the person the label names
    (`PersonResolver.speaker`: the one named in full earlier in the article first). Undated, it is
    dated in `events` as remarks told in the past are: the day the article tells of, else publication."""
    if not art.layout.speakers:
        return []  # most articles are no transcript
    _note_presser(art, memory, s)
    out = []
    for para, label in art.layout.speakers.items():
        start = art.layout.paras[para][0]
        if para in memory.turns_told or start >= s.sent.end_char:
            continue
        if not art.layout.text[start:s.sent.end_char].partition(":")[2].strip():
            continue  # the parser made a sentence of the label alone: the turn is told in the next one
        memory.turns_told.add(para)
        name = art.resolve.speaker(label)
        if name is None:
            continue
        person = art.tracker.person_for(name, art.published.year)
        first = next(t for t in s.sent if t.idx + len(t) > start)  # the label, or the turn's first word
        out.append(Mention(type="statement", trigger=first, sent_index=s.index, paragraph=para,
                           participants=[name], parties={person.country} if person and person.country else set(),
                           tense="past", sentence=s.sent, anchor=first, turn=True,
                           location=memory.turn_place[0] if memory.turn_place else None))
    return out


def _note_presser(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """A transcript's introduction telling the occasion ('an excerpt of their joint news conference in
    Tehran', cues.json "pressers"): the place it names after those words is where the turns were spoken."""
    if memory.turn_place or memory.turns_told:
        return
    text = s.sent.text.lower()
    at = min((i for w in st.cues()["pressers"] if (i := text.find(w)) >= 0), default=-1)
    if at < 0:
        return
    start = s.sent.start_char + at
    place = next((loc for ent in s.ents if ent.label_ in {"GPE", "LOC", "FAC"} and ent.start_char > start
                  and _named_here(art, ent) and (loc := locative(ent, art.tracker))), None)
    if place:
        memory.turn_place.append(place)


def _named_here(art: _Article, ent: Span) -> bool:
    """Whether an entity speaks of this sentence, not the dateline or a title before a name."""
    return not art.layout.in_dateline(ent) and not title_before_name(ent) and not (
        ent.label_ == "PERSON" and art.tracker.office_holder(ent.text, art.published.year) and title_beside_name(ent))


def _note_topic(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass for a sentence without triggers: its people still resolve (so surnames learn full names),
    and the first one named becomes the topic."""
    resolved = [art.resolve(e.text) for e in s.ents if e.label_ == "PERSON" and _named_here(art, e)]
    named = [n for n in resolved if n]
    if named:
        memory.last_person[:] = [named[0]]  # the sentence's topic is usually named first


def _of_the_period(ent: Span) -> bool:
    """'the last summit of the year', 'the first round of the month': a bare period after 'of'."""
    return ent.text.lower() in {"the year", "the month", "the week"} and ent.start > 0 \
        and ent.doc[ent.start - 1].lower_ == "of"


def _a_date(art: _Article, ent: Span) -> bool:
    """Whether an entity dates the sentence's events: a DATE (not 'since ...', not 'of the year'), or a
    time of a named day ('signed a road map this morning')."""
    if ent.label_ == "DATE" and (since(ent) or _of_the_period(ent) or _an_ordinal(ent)):
        return False
    return ent.label_ == "DATE" or _names_its_day(art, ent)


_BARE_ORDINAL = re.compile(r"(?:the )?\d{1,2}(?:st|nd|rd|th)", re.IGNORECASE)
_DAY_PREPS = {"on", "by", "until", "till", "from", "before", "after", "through", "to", "since", "for"}


def _an_ordinal(ent: Span) -> bool:
    """'The round, the 13th at this level, ...': a bare ordinal is a day of the month only after a
    preposition of time ('could resume on the 20th', 'from the 9th to the 12th')."""
    if not _BARE_ORDINAL.fullmatch(ent.text.strip()):
        return False
    return not (ent.root.dep_ == "pobj" and ent.root.head.lower_ in _DAY_PREPS)


def _read_entities(art: _Article, s: _Sentence) -> None:
    """Pass: the sentence's people (resolved in text order, so surnames learn full names first), its
    dates (not 'since ...') and the places it uses as places."""
    s.places = capital_phrase(s.sent, art.tracker)
    for ent in s.ents:
        if not _named_here(art, ent):
            continue
        if ent.label_ == "PERSON":
            name = art.resolve(ent.text)
            if name:
                s.persons.append((ent.root, name))
        elif _a_date(art, ent):
            s.dates.append((ent, ent.root))
        elif ent.label_ == "DATE":
            continue  # "since ...", "their last summit of the year": no day of the sentence's events
        elif ent.label_ in {"GPE", "LOC", "FAC", "ORG"}:  # an ORG: a party's seat ('at the Kremlin')
            loc = locative(ent, art.tracker)
            if loc:
                s.places.append((ent.root, loc))
    s.dates = _joined_dates(art, s.dates)


def _day_time(art: _Article, ent: Span) -> bool:
    """A time of a named day ('Sunday night', 'Friday morning'): the model tags it TIME, but it dates."""
    if ent.label_ != "TIME" or (ent.start > 0 and art.doc[ent.start - 1].ent_type_ == "DATE"):
        return False  # "the Thursday evening" as DATE and TIME: the day is the DATE's
    timex = normalize(ent.text, anchor=art.published, tense="past")
    return bool(timex and timex.value and timex.granularity == "day")


YEAR_TOLD = re.compile(r"\b(?:next|last|this) year\b|(?<!\d)(?:19|20)\d\d(?!\d)", re.IGNORECASE)
DATE_JOINERS = {",", "or", "and", "to", "of"}


def _joined_dates(art: _Article, dates: list[tuple[Span, Token]]) -> list[tuple[Span, Token]]:
    """'exit day, March 29 next year', 'October or November of next year': a day or month and the year
    told right after it, which the model makes two entities, are one date."""
    out: list[tuple[Span, Token]] = []
    for ent, root in (_with_last_day(art, ent, root) for ent, root in dates):
        if out:
            prev, prev_root = out[-1]
            gap = art.doc[prev.end:ent.start]
            if len(gap) <= 2 and all(t.lower_ in DATE_JOINERS for t in gap) and YEAR_TOLD.search(ent.text) \
                    and not YEAR_TOLD.search(prev.text):
                joined = art.doc[prev.start:ent.end]
                core = joined.text.rpartition(",")[2] if "," in prev.text else joined.text  # "exit day, March 29"
                timex = normalize(core, anchor=art.published)
                if timex and timex.value:
                    out[-1] = (joined, prev_root)
                    continue
            if _days_of_one_sitting(art, prev, gap, ent):
                out[-1] = (art.doc[prev.start:ent.end], prev_root)
                continue
        out.append((ent, root))
    return out


RANGE_JOINERS = {"and", "to", "through", "-", "\u2013"}


def _with_last_day(art: _Article, ent: Span, root: Token) -> tuple[Span, Token]:
    """'on October 17 and 18': the model leaves the last day a bare number outside the date; the two
    days of one sitting are one date."""
    doc = art.doc
    if ent.end + 1 < len(doc) and doc[ent.end].lower_ in RANGE_JOINERS and doc[ent.end + 1].like_num \
            and not doc[ent.end + 1].ent_type_ == "DATE" and re.search(r"\d$", ent.text) \
            and (ent.end + 2 >= len(doc) or not doc[ent.end + 2].like_num):
        joined = doc[ent.start:ent.end + 2]
        if _one_sitting(art, joined.text, doc[ent.end].lower_):
            return joined, root
    return ent, root


_WEEKDAY_WORD = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_WEEKDAY_NAME = re.compile(rf"\b{_WEEKDAY_WORD}\b,?\s*", re.IGNORECASE)


def _one_sitting(art: _Article, text: str, joiner: str) -> bool:
    """Whether a date's text is a range of days of one sitting: two days in a row when joined by 'and', a
    fortnight at most when 'to' or 'through' ('October 17 and 18', 'May 15 to May 19')."""
    timex = normalize(text, anchor=art.published)
    span = interval(timex.value) if timex and timex.value and timex.granularity == "range" else None
    return span is not None and (span[1] - span[0]).days <= (1 if joiner == "and" else 14)


def _days_of_one_sitting(art: _Article, prev: Span, gap: Span, ent: Span) -> bool:
    """'on October 15 and 16', 'from Tuesday, May 15, to Saturday, May 19': two days the model makes two
    entities, told as the first and last of one sitting (two days in a row, or a week or two apart at most)."""
    words = [t.lower_ for t in gap if t.lower_ != ","]
    if not words and len(prev) > 1 and prev[-1].lower_ in RANGE_JOINERS:
        words, prev = [prev[-1].lower_], prev[:-1]  # "October 17 and" + "18": the model kept the joiner
    if len(gap) > 3 or len(words) != 1 or words[0] not in RANGE_JOINERS:
        return False
    return _one_sitting(art, _WEEKDAY_NAME.sub("", f"{prev.text} {words[0]} {ent.text}").replace(",", ""), words[0])


BARE_DAY_PARTS = {"morning", "afternoon", "evening", "night"}


def _names_its_day(art: _Article, ent: Span) -> bool:
    """A time of a day that names the day ('this morning', 'Sunday night', 'in the early hours'); not
    a part of a day told before ('that evening', 'in the morning')."""
    before = art.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    after = art.doc[ent.end].lower_ if ent.end < len(art.doc) else ""
    return _day_time(art, ent) and ent.text.lower() not in BARE_DAY_PARTS and before not in {"that", "the", "same"} \
        and after != "of"  # "in the early hours of Sunday": the day named next


def _add_the_two_leaders(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass: 'the two leaders', 'both leaders' join the sentence's people as the last two leaders of
    different countries named so far; its own leaders are remembered for the sentences after."""
    s.persons.extend(the_two_leaders(s.sent, s.persons, memory.leaders_seen, art.tracker, art.published.year))
    memory.leaders_seen.extend(name for _, name in s.persons if art.tracker.is_leader(name))


def _settle_triggers(s: _Sentence) -> None:
    """Pass: drop talks that a suspension suspends, and note each trigger's phrase and clause span."""
    s.triggers = drop_suspended(s.triggers)
    s.own = {tok.i: span_of(tok) for tok, _ in s.triggers}
    s.ext = {tok.i: span_of(_be_to(anchor_of(tok))) for tok, _ in s.triggers}
    s.by_label = {tok.i: label for tok, label in s.triggers}


def _be_to(verb: Token) -> Token:
    """'by the end of June the two sides are to take stock at a meeting': the clause of 'be to' holds
    what is planned, its date included."""
    if verb.dep_ == "xcomp" and verb.head.lemma_ == "be" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return verb.head
    return verb


def _resolve_pronoun(memory: _Memory, s: _Sentence) -> None:
    """Pass: who "he" is in this sentence: the last person named before it (this sentence, else
    earlier); the sentence's first person becomes the topic for the sentences after it."""
    first_pronoun = next((t.i for t in s.sent if t.lower_ in {"he", "she"}), s.sent.end)
    before = [name for r, name in s.persons if r.i < first_pronoun]
    if before:
        memory.last_person[:] = [before[-1]]
    s.pronoun_person = list(memory.last_person)
    if s.persons:
        memory.last_person[:] = [s.persons[0][1]]  # for the sentences after this one: its topic


def _make_mentions(art: _Article, s: _Sentence) -> None:
    """Pass: a Mention per trigger, with what its own words say: status cues, tense, definiteness,
    anchor verb, paragraph, headline, and 'the next round' (fresh)."""
    for tok, label in s.triggers:
        arranged = _arranged(tok)
        ctx = st.context_tokens(tok)
        if label == "agreement":
            ctx = _without_content(tok, ctx)
        s.made[tok.i] = Mention(
            type=label,
            trigger=tok,
            sent_index=s.index,
            paragraph=art.layout.para_of(tok.idx),
            cues=(["cancelled"] if label in MEETING_TYPES and _did_not_take_place(tok) else [])
            + _put_forward(tok) + st.cue_statuses(ctx, art.tracker.cues)
            + (["proposed"] if arranged or _spoken_of(tok, label) else []),
            tense=st.tense_of(ctx),
            arranged=label in MEETING_TYPES and arranged,
            remote=label in MEETING_TYPES and remote(tok),
            definite=is_definite(tok),
            sentence=s.sent,
            anchor=anchor_of(tok),
            headline=s.index == 0 and art.layout.headline,
            fresh=any(c.lower_ in FRESH for c in tok.children) or (
                tok.lower_ == "round" and any(c.lower_ in FRESH for c in tok.children)),
        )


ARRANGING_VERBS = {"agree", "decide", "plan", "promise", "pledge", "intend"}
HAPPENING_VERBS = {"happen", "occur", "materialise", "materialize"}


def _did_not_take_place(tok: Token) -> bool:
    """'an informal encounter ... did not take place', 'the meeting never happened': a meeting that was
    not held; its subject is the trigger, so the trigger's own words carry no negation."""
    verb = tok.head
    happening = verb.lemma_ in HAPPENING_VERBS or (verb.lemma_ == "take" and any(c.lower_ == "place" for c in verb.children)) \
        or (verb.lemma_ == "go" and any(c.lower_ == "ahead" for c in verb.children))
    return tok.dep_ in {"nsubj", "nsubjpass"} and happening and any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children)


def _arranged(tok: Token) -> bool:
    """A meeting the sentence arranges ('the two sides had agreed to continue their consultations in
    Beijing', 'decided to hold talks'): one still to come, whatever tense the arranging has."""
    verb = tok.head if tok.dep_ in {"dobj", "nsubjpass"} else tok
    return verb.dep_ == "xcomp" and verb.pos_ == "VERB" and verb.head.lemma_ in ARRANGING_VERBS


def _spoken_of(tok: Token, label: str) -> bool:
    """'Trump's post spoke of meeting Xi at Mar-a-Lago', 'talked about visiting Tokyo': a meeting spoken
    of, not one held."""
    return label in MEETING_TYPES and tok.tag_ == "VBG" and tok.dep_ == "pcomp" and tok.head.lower_ in {"of", "about"} \
        and tok.head.head.lemma_ in {"speak", "talk", "think", "write", "dream"}


def _put_forward(tok: Token) -> list[str]:
    """'Johnson sent his plan to Juncker on Oct 2', 'will present a draft mandate': a document put to the
    other side is proposed, whatever the sentence says of it besides."""
    anchor = anchor_of(tok)
    return ["proposed"] if proposals_sent(tok) or (anchor.i != tok.i and anchor.lemma_ in PUT_FORWARD_VERBS
                                                   and not described_as(anchor)) else []


def _without_content(tok: Token, ctx: list[Token]) -> list[Token]:
    """'reached an agreement on Tuesday to restrict the program': an agreement's infinitive says what it
    provides for, not when it is made, so it is no cue to its status or tense."""
    return [t for t in ctx if not (t.head.i == tok.i and t.dep_ == "acl" and t.tag_ == "VB")]


def _other_clause(tok: Token) -> bool:
    """Whether `tok` heads a clause of its own below an agreement trigger: an infinitive of what is
    agreed, a conjoined or adverbial clause, or a that-clause with its own subject (a that-clause
    without one is the parser hanging the trigger's own words elsewhere)."""
    if tok.dep_ == "ccomp":
        return any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)
    return tok.dep_ in CLAUSE_DEPS | {"xcomp"} or (tok.dep_ == "conj" and tok.pos_ in {"VERB", "AUX"})


def _made_then(trigger: Token, root: Token) -> bool:
    """Whether a date in an agreement trigger's phrase or clause tells when it was made, not what was
    agreed ('agreed to delay the departure beyond March 29'), another clause's time ('announced the
    deal and urged MPs to pass it when they sit on Saturday') or when it takes effect ('the accord
    takes effect in mid-February')."""
    anchor = anchor_of(trigger)
    if anchor.i != trigger.i and any(c.lemma_ == "effect" and c.dep_ == "dobj" for c in anchor.children):
        return False
    if anchor.i != trigger.i and anchor.lemma_ in END_VERBS | {"last"}:
        return False  # "the Joint Plan of Action expires on July 20", "lasts until July 20": its end
    return _in_own_clause(trigger, root)


def _in_own_clause(trigger: Token, tok: Token) -> bool:
    """Whether `tok` reaches an agreement trigger (or the verb it is an argument of) without passing
    through a clause of its own (`_other_clause`)."""
    anchor = anchor_of(trigger)
    while tok.i not in {trigger.i, anchor.i} and tok.head.i != tok.i:
        if _other_clause(tok):
            return False
        tok = tok.head
    return True


CALLING_VERBS = {"call", "announce", "confirm", "propose", "fix"}


def _day_it_was_called(root: Token, trigger: Token) -> bool:
    """Whether a date tells when a meeting was called or announced ('had been called on November 15',
    'Tusk announced the summit on Thursday'), not when it meets: 'on <day>' on a verb of calling whose
    object is the meeting (not 'called off')."""
    prep = root.head
    verb = prep.head
    return root.dep_ == "pobj" and prep.lower_ == "on" and verb.lemma_ in CALLING_VERBS \
        and not any(c.dep_ == "prt" for c in verb.children) \
        and any(c.i == trigger.i and c.dep_ in {"nsubjpass", "dobj"} for c in verb.children)


def _day_it_was_called_off(ent: Span, root: Token, trigger: Token) -> bool:
    """Whether 'on <weekday>' on a verb of calling off whose object is the meeting tells when it was called
    off ('Pinera called the summit off on Wednesday'), not when it was to meet; a date of its own ('the
    March 3 talks') stays the meeting's."""
    prep = root.head
    verb = prep.head
    return root.dep_ == "pobj" and prep.lower_ == "on" and _THE_WEEKDAY.fullmatch(ent.text.strip()) is not None \
        and calls_off(verb, CANCELLING) and verb.tag_ in {"VBD", "VBN", "VBZ"} \
        and any(c.i == trigger.i and c.dep_ in {"nsubjpass", "dobj"} for c in verb.children)


# Things told on a day of their own between a date and the meeting it hangs near
TOLD_ON_A_DAY = {"call", "conversation", "interview", "letter", "speech", "message", "videoconference"}


def _day_of_a_call(root: Token, trigger: Token) -> bool:
    """Whether a date hangs from a call, letter or interview on the way up to a meeting trigger."""
    tok = root.head
    while tok.i != trigger.i and tok.head.i != tok.i:
        if tok.pos_ == "NOUN" and tok.lemma_ in TOLD_ON_A_DAY:
            return True
        tok = tok.head
    return False


def _behind_since(root: Token, trigger: Token) -> bool:
    """Whether a date lies in a 'since ...' phrase that does not hold the trigger ('the first full round
    since Almaty in April', 'on hold since Iran's election in June'): a starting point, in the past."""
    tok = root
    while tok.head.i != tok.i and tok.i != trigger.i:
        if tok.lower_ == "since" and tok.dep_ in {"prep", "mark"}:
            return not (tok.left_edge.i <= trigger.i <= tok.right_edge.i)
        tok = tok.head
    prep = root.head
    # the parse hangs "in April" beside "since Almaty", from the round: still the since-phrase's
    return root.dep_ == "pobj" and prep.dep_ == "prep" and any(
        c.lower_ == "since" and c.dep_ == "prep" and c.right_edge.i == prep.i - 1 for c in prep.head.children)


def _date_trigger(art: _Article, s: _Sentence, ent: Span, root: Token) -> int | None:
    """The trigger a DATE entity dates, if any: the one whose phrase or clause most closely holds it,
    unless it dates a relative clause of a deadline or a 'since ...' clause; else a trigger whose
    phrase ends just before it."""
    t = s.assign(root.i)
    if root.dep_ == "pobj" and root.head.lower_ in UNTIL_PREPS and not asked_for(root.head.head) and (
            t is None or s.by_label[t] not in {"deadline", "pledge", *MEETING_TYPES}):
        # "pushed back the cut-off, extending the arrangement agreed in 2013 until July 7": a limit
        # is the deadline's, wherever the parse hangs it
        deadline = next((i for i in s.own if s.by_label[i] == "deadline"), None)
        if deadline is not None:
            return deadline
    if t is not None and s.by_label[t] == "statement" and (_not_when_said(art.doc[t], root) or _what_one_said(s, root)):
        # "Tusk said that until April 12 all options would remain open": what, not when, he said; so too
        # "welcomed the offer and said he wanted it settled by June"
        t = None
    limit = next((c.i for c in root.children if c.dep_ == "appos" and s.by_label.get(c.i) in {"deadline", "pledge"}), None)
    if limit is not None:
        return limit  # "expires on July 20, the target date for a final deal": the day the deadline is
    if root.dep_ == "attr" and root.head.lemma_ == "be":
        limit = next((c.i for c in root.head.children if c.dep_ == "nsubj" and s.by_label.get(c.i) == "deadline"), None)
        if limit is not None:
            return limit  # "The exit date is still October 31; EU leaders meet on October 17-18": the deadline's day
    if (t is None or s.by_label[t] == "statement") and root.dep_ == "nsubj" and root.head.lemma_ == "be":
        limit = next((c.i for c in root.head.children if c.dep_ == "attr" and s.by_label.get(c.i) == "deadline"), None)
        if limit is not None:
            return limit  # "March 1 was a hard deadline": the day the deadline is
    if t is not None and s.by_label[t] in MEETING_TYPES and art.doc[t].pos_ in {"VERB", "AUX"} \
            and _in_conjoined_clause(root, art.doc[t]) and _own_subject(root, art.doc[t]):
        s.unassigned.append(ent)
        return None  # "the teams will meet again, and a decision will be taken by Sunday": the decision's day
    if root.head.lemma_ == "time" and any(c.ent_type_ == "ORDINAL" or c.lower_ in {"last", "first"}
                                          for c in root.head.children):
        return None  # "for the third time this year": how often, not when
    if t is not None and s.by_label[t] in MEETING_TYPES and _day_of_a_call(root, art.doc[t]):
        s.unassigned.append(ent)
        return None  # "agreed to meet in Argentina during a telephone call on November 1": the call's day
    if t is not None and s.by_label[t] in MEETING_TYPES and _day_it_was_called_off(ent, root, art.doc[t]):
        s.unassigned.append(ent)
        return None  # "Pinera called the summit off on Wednesday": the day of the calling off
    if t is not None and s.by_label[t] in MEETING_TYPES and _day_it_was_called(root, art.doc[t]):
        s.unassigned.append(ent)
        return None  # "the summit had been called on November 15 by Tusk": when it was called, not held
    if t is not None and s.by_label[t] in {"deadline", "pledge"} and through_clause(root, art.doc[t]):
        t = None  # "the deadline that Yeltsin set in 1997": when it was set, not when it falls
    if t is not None and s.by_label[t] == "agreement" and not _made_then(art.doc[t], root):
        s.unassigned.append(ent)
        return None
    if t is not None and s.by_label[t] in MEETING_TYPES and _in_relative_clause_of_other(root, art.doc[t],
                                                                                       of_person=True):
        t = None  # "talks with Liu, who took charge of the file in March": March is when he took charge
    clause = since_clause(ent)
    if t is not None and clause is not None and not (clause.left_edge.i <= t <= clause.right_edge.i):
        t = None  # "the first summit since Abe returned in 2012": 2012 dates the return only
    if t is not None and s.by_label[t] != "suspension" and _behind_since(root, art.doc[t]):
        return None  # "the first full round since Almaty in April", "restart ... on hold since the election in June"
    if t is None and root.dep_ == "pobj" and root.head.lower_ in UNTIL_PREPS | {"into"} \
            and root.head.head.lemma_ in {"extend", "prolong", "run", "continue", "drag", "stretch", "spill"}:
        # "talks ... were extended into Saturday", "the round ran into Sunday": the day the talks went on to
        t = next((c.i for c in root.head.head.children if c.dep_ in {"nsubj", "nsubjpass"}
                  and s.by_label.get(c.i) in MEETING_TYPES), None)
        if t is not None:
            return t
    verb = verb_above(root) if t is None and clause is None and root.dep_ == "pobj" else None
    if verb is not None:
        # "ended his first week on Sunday with a meeting with Tusk": the day of what the verb was done with
        t = next((g.i for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for g in c.children
                  if g.dep_ == "pobj" and s.by_label.get(g.i) in MEETING_TYPES and s.made[g.i].timex is None), None)
    if t is None and clause is None:
        # "the meeting ... in Brunei on November 15", the parser hanging the date elsewhere:
        # a date right after a trigger's phrase is that trigger's
        t = next((i for i, (a, b) in s.own.items() if 0 <= root.i - b <= 3 and s.by_label[i] != "statement"
                  and s.made[i].timex is None), None)
    if t is None:
        s.unassigned.append(ent)
    return t


def _in_relative_clause_of_other(tok: Token, trigger: Token, *, of_person: bool = False) -> bool:
    """Whether `tok` lies in a relative clause or apposition that describes a word other than the
    trigger ('the truce that Trump and Xi agreed', 'Liu, Xi's top aide'), told about that word, not the
    event; `of_person`: only one describing a person ('Liu, who took charge in March': the parse may
    hang 'which took place on October 23-24' on a place). A name in apposition to a title ('its director
    general, Yukiya Amano') is who the title is, not a word told about."""
    above = {trigger.i, *(a.i for a in trigger.ancestors)}
    while tok.i not in above and tok.head.i != tok.i:
        # "its director general, Yukiya Amano", "U.S. President Donald Trump" (the parse may hang the
        # name on the title): the name is who the title is
        names_its_head = tok.dep_ == "appos" and tok.ent_type_ == "PERSON"
        if tok.dep_ in {"relcl", "appos"} and tok.head.i != trigger.i and (not of_person or _a_person(tok)) \
                and not names_its_head and not any(c.lower_ in {"where", "when"} for c in tok.children):
            return True  # "in Havana, where Castro brought their hands together" tells of the meeting
        tok = tok.head
    return False


def _a_person(clause: Token) -> bool:
    """Whether a relative clause or apposition describes a person ('Liu, who ...', 'Liu, Xi's aide')."""
    return clause.head.ent_type_ == "PERSON" or any(c.lower_ in {"who", "whom", "whose"} for c in clause.children)


LIMIT_PREPS = {"until", "till", "through", "to", "by", "than"}
UNTIL_PREPS = {"until", "till", "through"}


def _date_rank(art: _Article, s: _Sentence, ent: Span, t: int | None) -> int:
    """How surely a date is a deadline trigger's own: one holding the trigger ('exit day, March 29'),
    the object of 'until', 'to', 'by', then a date after a verb trigger ('run out at the start of
    March'), then the rest ('Counted from Saturday, the 90 days run out ...'; 'extended on October 13
    to December 31'). A meeting verb's own clause's dates before another clause's; 0 for other triggers'
    dates."""
    if t is not None and s.by_label[t] in MEETING_TYPES and art.doc[t].pos_ == "VERB":
        # "It was the latest of a run of encounters this year: the two met in Munich in early February"
        return 0 if _in_own_clause(art.doc[t], ent.root) else 1
    if t is None or s.by_label[t] != "deadline":
        return 0
    root = ent.root
    if ent.start <= t < ent.end:
        return -1
    if root.dep_ == "pobj" and root.head.lower_ in LIMIT_PREPS:
        return 0
    trigger = art.doc[t]
    return 1 if trigger.pos_ in {"VERB", "AUX"} and root.i > t else 2


def _deadline_timex(art: _Article, ent: Span, t: int, tense: Tense | None) -> Timex | None:
    """A deadline's date: a range's end ('extended from October 13 to December 31' is due on December
    31, 'moving the deadline from October 31 to January 31' on January 31), the date words of an entity
    holding the trigger ('exit day, March 29')."""
    trigger = art.doc[t]
    timex = normalize(ent.text, anchor=art.published, tense=tense)
    if not (timex and timex.value) and ent.start <= t < ent.end - 1:
        timex = normalize(art.doc[t + 1:ent.end].text.strip(" ,;:"), anchor=art.published, tense=tense)
    moved = ent.start > 0 and art.doc[ent.start - 1].lower_ == "from"  # "moving the deadline from X to Y"
    if timex and timex.value and "/" in timex.value and (trigger.pos_ in {"VERB", "AUX"} or moved):
        end = timex.value.split("/")[1]
        return Timex(end, timex.mod, timex.text, "day" if len(end) == 10 else timex.granularity)
    return timex


MOVING_VERBS = {"postpone", "delay", "push", "move", "extend", "defer", "put"}


def _time_given(root: Token) -> bool:
    """Whether a date is the end of time given ('gave their negotiators until Sunday', 'granted Britain
    until January 31'): it lies ahead of the giving."""
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ in {"until", "till"} and prep.head.lemma_ in {"give", "grant", "allow"}


def _moved_to(root: Token) -> bool:
    """Whether a date is where something has just been moved to ('has been postponed ... to October
    31', 'will be delayed to'); a move told in the simple past ('extended it to July 7, then to July
    10') may lie behind the report."""
    prep = root.head
    verb = prep.head
    return root.dep_ == "pobj" and prep.lower_ in {"to", "until"} and verb.lemma_ in MOVING_VERBS and any(
        c.dep_ in {"aux", "auxpass"} and (c.lower_ in {"has", "have", "will", "shall"} or c.tag_ == "MD")
        for c in verb.children)


def _date_from_entities(art: _Article, s: _Sentence) -> None:
    """Pass: each DATE entity (not a citation's) dates the trigger it belongs to, normalised with the
    tense of the verb it hangs from; dates no trigger holds are kept as `unassigned`. A deadline takes
    its surest date first (`_date_rank`)."""
    found = [(ent, root, _date_trigger(art, s, ent, root)) for ent, root in s.dates
             if not in_attribution(ent, art.layout.text)]
    found.sort(key=lambda x: _date_rank(art, s, x[0], x[2]))  # stable: text order otherwise
    for ent, root, t in found:
        if t is not None and s.made[t].timex is not None and s.by_label[t] in MEETING_TYPES:
            _widen_by_conjoined_day(art, s.made[t], root)
        if t is not None and s.made[t].timex is not None and s.by_label[t] == "deadline":
            s.unassigned.append(ent)  # a date the deadline passed over for a surer one is free to date a remark
        if t is None or s.made[t].timex is not None:
            continue
        if s.by_label[t] == "suspension" and _until(root, art.doc[t]):
            continue  # "on hold until the new government takes office in August": when it may end, not begin
        tense = "past" if _behind_since(root, art.doc[t]) else date_tense(root) or s.made[t].tense
        if tense == "past" and _backshifted(root):
            tense = "any"  # "told the Commons that two goals were within reach for the summit on March 22"
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.i == t \
                and s.by_label[t] in MEETING_TYPES | {"agreement"}:
            # "the European Council of April 10", "the land accord of May 26": the one that day names, the nearest
            tense = "any"
        if s.by_label[t] == "deadline" and (_moved_to(root) or _time_given(root)):
            # "postponed for a second time, to October 31": a move is to a later date; "gave their
            # negotiators until Sunday": time given runs on from the giving
            tense = "future"
        elif tense == "past" and s.by_label[t] == "deadline":
            # "the March 1 deadline still applied" (said in February), "agreed to extend the talks until
            # November 24": a past tense is the setting or the report of a deadline, which lies ahead of
            # it; the nearest such date is the deadline (a missed one is the nearest too)
            tense = "any"
        elif tense == "future" and s.by_label[t] == "deadline" and _future_in_past(root):
            tense = "any"  # "the ceasefire, which Santos said would expire on October 31": the nearest one
        elif tense == "present" and s.by_label[t] == "deadline":
            tense = "future"  # "the transition runs until December 31", "has until April 12": ahead
        tense_ = None if tense == "any" else tense
        if s.by_label[t] == "deadline":
            timex = _deadline_timex(art, ent, t, tense_)
        else:
            timex = s.weekdays.get(ent.start) or normalize(ent.text, anchor=art.published, tense=tense_)
        if timex and timex.value and s.by_label[t] in MEETING_TYPES and root.dep_ == "pobj" \
                and root.head.lower_ == "before":
            # "the two sides would reconvene before the end of the week": a limit, not the meeting's day ("by
            # the end of May the two sides are to take stock at a meeting" sets the meeting for then)
            timex = Timex(timex.value, "BEFORE", timex.text, timex.granularity)
        if timex and timex.value:
            s.made[t].timex = timex
            s.made[t].opened = s.by_label[t] in MEETING_TYPES and _opening_day(root, art.doc[t])


def _backshifted(tok: Token) -> bool:
    """Whether a date hangs from a past 'was'/'were' clause reported by a verb of saying ('Davis told the
    Commons that two goals were within reach for the European Council on March 22'): the report's past is
    the speaker's present, so it says nothing of which side of the report the day is."""
    verb = next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    return verb is not None and verb.lemma_ == "be" and verb.tag_ == "VBD" and verb.dep_ == "ccomp" \
        and verb.head.lemma_ in st.REPORTING


def _until(tok: Token, top: Token) -> bool:
    """Whether `tok` lies in an 'until' phrase or clause on the way up to `top`."""
    while tok.i != top.i and tok.head.i != tok.i:
        if tok.lower_ in {"until", "till"} or any(c.dep_ == "mark" and c.lower_ in {"until", "till"} for c in tok.children):
            return True
        tok = tok.head
    return False


# Verbs that move an event to another day, and the prepositions naming where to and where from.
MOVE_VERBS = MOVING_VERBS | {"reschedule", "bring", "shift", "stretch"}
MOVE_TO = {"to", "until", "till"}


def _moving_verb(trigger: Token) -> Token | None:
    """The verb moving the event a trigger names ('the visit ... has been postponed', 'put off the
    meeting', 'the start of the talks has been pushed back'), None when nothing moves it."""
    tok = trigger
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.dep_ in {"nsubjpass", "nsubj", "dobj"}:
        tok = tok.head.head  # "the start of the negotiations": what moves is the start
    verb = tok.head
    if tok.dep_ in {"nsubjpass", "nsubj", "dobj"} and verb.pos_ == "VERB" and verb.lemma_ in MOVE_VERBS:
        return verb
    return None


def _with_particle(verb: Token) -> list[Token]:
    """A verb and its particle or adverb ('pushed back'): where its prepositions may hang."""
    return [verb, *(c for c in verb.children if c.dep_ in {"prt", "advmod"})]


def _move_ends(art: _Article, s: _Sentence, verb: Token) -> tuple[Span | None, Span | None]:
    """The date entities a moving verb names as where from and where to: 'from March 10 to March 25'
    (one entity or two), 'pushed back to Monday', 'postponed until next Tuesday'."""
    preps = {c.i: c.lower_ for h in _with_particle(verb) for c in h.children if c.dep_ == "prep"}
    origin = target = None
    for ent, _root in s.dates:
        before = art.doc[ent.start - 1] if ent.start > 0 else None
        attached = [tok.head for tok in ent if not ent.start <= tok.head.i < ent.end]
        if before is not None and before.lower_ == "from" and before.i in preps:
            origin = ent
            if " to " in ent.text:
                target = ent  # "from March 10 to March 25": one entity names both ends
            continue
        prep = next((preps[a.i] for a in attached if a.i in preps), None)
        if prep in MOVE_TO:
            target = ent
    return origin, target


SHIFT_UNITS = {"day", "week", "month", "hour"}


def _moved_by(verb: Token) -> bool:
    """'pushed back by a day', 'delayed by two weeks': moved by a stretch of time, still to happen."""
    return any(c.lower_ == "by" and any(g.lemma_ in SHIFT_UNITS for g in c.children)
               for h in _with_particle(verb) for c in h.children if c.dep_ in {"prep", "agent"})


def _date_from_move(art: _Article, s: _Sentence) -> None:
    """Pass: an event moved to another day ('the talks, set for November 15, have been pushed back to
    November 19', 'the summit has been moved from March 10 to March 25') is on the day it was moved
    to, still to come, and remembers the day it had (the resolver moves the known event's date). A
    deadline moved 'from July 7' in its own sentence has that day as its old one."""
    for t, m in s.made.items():
        verb = _moving_verb(art.doc[t]) if m.type in MEETING_TYPES else None
        if m.type == "deadline":  # a verb of the sentence that names where the deadline moved from
            moves = (_move_ends(art, s, v) for v in s.sent if v.lemma_ in MOVE_VERBS and v.pos_ == "VERB")
            ends = next((e for e in moves if e[0] is not None), None)
        else:
            ends = _move_ends(art, s, verb) if verb is not None else None
        if ends is None:
            continue
        origin, target = ends
        old_text = origin.text if origin is not None else None
        new_text = target.text if target is not None else None
        if origin is not None and origin is target and " to " in origin.text:
            old_text, new_text = origin.text.split(" to ", 1)  # "from July 7 to Friday, July 10"
        if m.type == "deadline":
            old = normalize(old_text, anchor=art.published, tense=None) if old_text else None
            if old and old.value and m.timex and m.timex.value and old.value != m.timex.value:
                m.moved_from = old.value
            continue
        new = normalize(new_text, anchor=art.published, tense="future") if new_text else None
        if not (new and new.value):
            if verb is not None and _moved_by(verb):  # "the visit has been pushed back by a day": moved, to a day told elsewhere
                m.moved_from = "?"
                m.cues = [c for c in m.cues if c != "postponed"] + ["scheduled"]
            continue
        old = normalize(old_text, anchor=art.published, tense="future") if old_text else None
        if old is None and m.timex is not None and m.timex.text != new_text:
            old = m.timex  # "set for Thursday, November 15, has been pushed back to ...": the date it had
        m.timex = new
        m.moved_from = old.value if old is not None and old.value else "?"
        m.cues = [c for c in m.cues if c != "postponed"] + ["scheduled"]


# "the next day", "two days later", "a day earlier": a day counted from the last day the text named
_COUNTED_DAY = re.compile(r"(?:the )?(?:(?P<next>next|following) day|(?P<n>an?|one|two|three|four|five|six|\d) "
                          r"(?P<unit>days?|weeks?) (?P<dir>later|earlier))"
                          # "that night", "the same day", "hours later": the very day told before
                          r"|(?P<same>(?:later )?that (?:same )?(?:day|night|evening|morning|afternoon|weekend)"
                          r"|the same day|(?:shortly|hours|minutes|moments) (?:later|afterwards?))", re.IGNORECASE)
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _date_after_the_last_day(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass: 'The next day Mnuchin said ...', 'Two days later, Trump said ...': a day counted from the
    last day the text named (this paragraph or the one before) dates the events of the clause it opens."""
    here = art.layout.para_of(s.sent.start_char)
    for ent, root in s.dates:
        m = _COUNTED_DAY.fullmatch(ent.text.strip())
        if m is None:
            continue
        # the day named last before it: earlier in its sentence, else in the sentences before
        before = [said for e, _ in s.dates if e.end <= ent.start
                  and (said := normalize(e.text, anchor=art.published, tense="past")) and said.granularity == "day"]
        last = before[-1] if before else memory.recent_day[0][1] if memory.recent_day \
            and here - memory.recent_day[0][0] <= 1 else None
        span = interval(last.value) if last is not None and last.value else None
        if span is None:
            continue
        n = 0 if m["same"] else 1 if m["next"] else \
            (_SMALL.get(m["n"].lower()) or int(m["n"])) * (7 if m["unit"].startswith("week") else 1)
        day = span[0] + timedelta(days=-n if m["dir"] and m["dir"].lower() == "earlier" else n)
        verb = verb_above(root)
        told = [t for t in s.made if s.made[t].timex is None and s.by_label[t] != "deadline"
                and s.made[t].tense == "past"  # "will vote the next day": counted from a day still to come
                and (not m["same"] or s.by_label[t] == "statement")  # "said that night": a remark's day
                and (verb is None or t == verb.i or verb.is_ancestor(art.doc[t])
                     # "Frost said that night he was disappointed": the parse may hang it in what was said
                     or (s.by_label[t] == "statement" and ent.start == t + 1))]
        for t in told:
            s.made[t].timex = Timex(day.isoformat(), None, ent.text, "day")
        memory.recent_day[:] = [(here, Timex(day.isoformat(), None, ent.text, "day"))]


def _date_from_entry(art: _Article, s: _Sentence) -> None:
    """Pass: in a chronology's entry ('August 26, 2012 - The two sides sign in Havana ...'), what the
    sentence left undated happened on the entry's date (a deadline keeps to its own date)."""
    if not art.layout.entries:
        return  # most articles are no chronology: no paragraph to look up
    entry = art.layout.entries.get(art.layout.para_of(s.sent.start_char))
    if entry is None:
        return
    dated = [o for o in s.made.values() if o.timex is not None and o.type in MEETING_TYPES]  # by their own words
    for t, m in s.made.items():
        if m.timex is None and s.by_label[t] == "agreement" and not {"agreed", "signed", "proposed"} & set(m.cues) \
                and verb_above(s.sent.doc[t]) is not None:
            continue  # "MPs reject the deal", "the agreement will not be reopened": no deal made that day
        if m.tense == "future" and any(tok.tag_ == "MD" for tok in st.context_tokens(art.doc[t])):
            continue  # "he would hold a summit with Xi once a deal was done": not on the entry's day
        if m.type in MEETING_TYPES and any(not _behind_since(o.trigger, m.trigger) for o in dated if o is not m):
            continue  # "Liu He would visit Washington on Jan. 30 and 31 for the next round of consultations"
        if m.timex is None and s.by_label[t] != "deadline":
            # an entry's day is the nearest such day: a chronology's entries carry their years; a weekly
            # monitor's are of the days just past
            timex = normalize(entry, anchor=art.published, tense=None)
            if timex and timex.value:
                m.timex = timex


def _place_from_entry(art: _Article, s: _Sentence) -> None:
    """Pass: under a monitor's heading that names a place ('Wednesday-Friday, April 3-5: Washington'),
    meetings and remarks the sentence does not place happened there."""
    if not art.layout.entry_places:
        return
    words = art.layout.entry_places.get(art.layout.para_of(s.sent.start_char))
    place = place_named(words, art.tracker) if words else None
    if place is None:
        return
    for t, m in s.made.items():
        if m.location is None and s.by_label[t] in MEETING_TYPES | {"statement"}:
            m.location = place


OPEN_VERBS = {"begin", "start", "open", "resume", "arrive"}  # "arrived on Wednesday for three days of talks"


def _future_in_past(root: Token) -> bool:
    """Whether a date hangs from a verb with 'would' ('said it would expire on October 31'): what lay
    ahead when it was said, which may have passed since."""
    verb = verb_above(root)
    return verb is not None and any(c.dep_ == "aux" and c.lower_ == "would" for c in verb.children)


def _opening_day(root: Token, trigger: Token) -> bool:
    """Whether a date tells when talks began ('talks that began last Friday', 'the round opened in Vienna
    on Tuesday'): it hangs from an opening verb that is the trigger's own or its relative clause."""
    verb = verb_above(root)
    return verb is not None and verb.lemma_ in OPEN_VERBS and (
        verb.i == anchor_of(trigger).i or (verb.dep_ == "relcl" and verb.head.i == trigger.i))


def _widen_by_conjoined_day(art: _Article, m: Mention, root: Token) -> None:
    """'talks on Thursday and Friday', the parser making two dates of them: a meeting on a day and a
    day conjoined to it (within a week) ran over both."""
    if root.dep_ != "conj" or root.head.ent_type_ != "DATE" or m.timex is None or m.timex.granularity != "day":
        return
    first = interval(m.timex.value) if m.timex.value else None
    other = normalize(root.text, anchor=first[0], tense="future") if first else None
    span = interval(other.value) if other and other.value and other.granularity == "day" else None
    if first and span and 0 < (span[0] - first[0]).days <= 7:
        m.timex = Timex(f"{first[0].isoformat()}/{span[1].isoformat()}", m.timex.mod,
                        f"{m.timex.text} and {root.text}", "range")


def _date_from_extension(art: _Article, s: _Sentence) -> None:
    """Pass: 'a round that began on Thursday and was extended through Sunday': a sitting extended ran
    from the day it opened to the day it was extended to; one that opened on a day and ended on another
    ran between them."""
    for verb in s.sent:
        if verb.lemma_ not in {"extend", "prolong"} or verb.pos_ != "VERB":
            continue
        sitting = what_is_extended(verb)
        m = s.made.get(sitting.i) if sitting is not None else None
        opening = verb.head if verb.dep_ == "conj" and verb.head.lemma_ in OPEN_VERBS else None
        if m is None or opening is None:
            continue
        _ran_between(art, s, m, opening, verb, LIMIT_PREPS)
    for verb in s.sent:
        # "The second round, which opened in Vienna on Tuesday, March 18 and ended on Wednesday, March 19":
        # a sitting told opened on one day and ended on another ran between them
        if verb.lemma_ not in ENDING_VERBS or verb.dep_ != "conj" or verb.head.lemma_ not in OPEN_VERBS:
            continue
        opening = verb.head
        subject = next((c for c in opening.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.tag_ in {"WDT", "WP"} and opening.dep_ == "relcl":
            subject = opening.head
        m = s.made.get(subject.i) if subject is not None else s.made.get(opening.i)
        if m is not None:
            _ran_between(art, s, m, opening, verb, {"on"})


def _ran_between(art: _Article, s: _Sentence, m: Mention, opening: Token, closing: Token, preps: set[str]) -> None:
    """A sitting dated from the day its opening verb names to the day its closing verb names under
    `preps` (within three weeks)."""
    start = _day_under(art, opening, {"on"}, art.published, "past")
    end = _day_under(art, closing, preps, start, "future") if start else None
    if start and end and 0 < (end - start).days <= 21:
        texts = [ent.text for ent, root in s.dates if root.head.head.i in {opening.i, closing.i}]
        m.timex = Timex(f"{start.isoformat()}/{end.isoformat()}", None, " to ".join(texts), "range")


ENDING_VERBS = {"end", "conclude", "close", "finish", "wrap"}


def _sittings_of_a_round(s: _Sentence) -> None:
    """Pass: 'the round wrapped up on Friday, after a working dinner on Thursday and a morning session':
    the sittings a round ended after, in the days just before, are that round, which ran from the first
    of them to its end."""
    for t, m in list(s.made.items()):
        verb = m.anchor if m.anchor is not None else m.trigger
        span = when(m)
        if m.type not in MEETING_TYPES or verb.lemma_ not in ENDING_VERBS or span is None:
            continue
        after = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "after"), None)
        if after is None:
            continue
        inside = range(after.left_edge.i, after.right_edge.i + 1)
        parts = [(i, p) for i, p in s.made.items() if i != t and i in inside and p.type in MEETING_TYPES]
        days = [d for _, p in parts if (d := when(p)) and 0 < (span[0] - d[0]).days <= 3]
        if not days:
            continue
        start = min(d[0] for d in days)
        m.timex = Timex(f"{start.isoformat()}/{span[1].isoformat()}", None, m.timex.text if m.timex else "", "range")
        for i, p in parts:
            m.participants.extend(x for x in p.participants if x not in m.participants)
            del s.made[i]
        gone = {i for i, _ in parts}
        s.triggers = [(tok, label) for tok, label in s.triggers if tok.i not in gone]


def _day_under(art: _Article, verb: Token, preps: set[str], anchor: date, tense: Tense) -> date | None:
    """The day a date in a prepositional phrase of `verb` names ('began on Thursday': Thursday)."""
    for prep in verb.children:
        for obj in prep.children if prep.dep_ == "prep" and prep.lower_ in preps else ():
            timex = normalize(art.doc[obj.left_edge.i:obj.right_edge.i + 1].text, anchor=anchor, tense=tense)
            if obj.ent_type_ == "DATE" and timex and timex.value and timex.granularity == "day":
                return date.fromisoformat(timex.value)
    return None


def _date_from_year_in_phrase(art: _Article, s: _Sentence) -> None:
    """Pass: 'the year-2000 target', 'the 2000 deadline': a year written into an undated deadline's or
    pledge's phrase is its date; not one of a clause telling more of it ('the arrangement agreed in
    2013')."""
    for tok, label in s.triggers:
        if label in {"deadline", "pledge"} and s.made[tok.i].timex is None:
            told = {t.i for c in tok.children if c.dep_ in {"acl", "relcl"} for t in c.subtree}
            year = next((hit.group(0) for t in tok.subtree
                         if t.i not in told and (hit := YEAR_IN_TOKEN.search(t.text))), None)
            if year is not None:
                s.made[tok.i].timex = normalize(year, anchor=art.published)


DURATION_UNITS = {"day", "week", "month"}


def _duration_in(tok: Token) -> str | None:
    """Time given in a trigger's phrase, as 'in 90 days': 'a 90-day deadline', '90 days to reach a deal',
    'eleven months to negotiate'; not 'ten months later', 'to run for six months'."""
    doc = tok.doc
    if tok.lower_ in {"within", "in"} and tok.i + 2 < len(doc) and tok.nbor(1).like_num \
            and tok.nbor(2).lemma_.lower() in DURATION_UNITS:
        return f"in {tok.nbor(1).lower_} {tok.nbor(2).lemma_.lower()}s"  # "would decide within four months"
    for t in tok.subtree:
        if not t.like_num or t.i + 3 >= len(doc):
            continue
        hyphen = t.nbor(1).text == "-"
        unit = t.nbor(2) if hyphen else t.nbor(1)
        if unit.lemma_.lower() in DURATION_UNITS and (
            hyphen or (unit.nbor(1).lower_ == "to" and unit.nbor(2).pos_ in {"VERB", "AUX"})
        ):
            return f"in {t.lower_} {unit.lemma_.lower()}s"
    return None


def _date_from_duration(art: _Article, s: _Sentence) -> None:
    """Pass: 'giving themselves 90 days to reach a deal' (on Saturday), 'set a 90-day deadline',
    'that leaves eleven months to negotiate': an undated deadline whose phrase holds a span of time
    falls that long after the day its sentence names, else after publication when told in the present."""
    for tok, label in s.triggers:
        m = s.made[tok.i]
        if label != "deadline" or m.timex is not None:
            continue
        span = _duration_in(tok)
        if span is None:
            continue
        start = next((t for ent, _ in s.dates if (t := normalize(ent.text, anchor=art.published, tense="past"))
                      and t.granularity == "day" and t.value), None)
        if start is not None and start.value is not None:
            anchor = date.fromisoformat(start.value)
        elif m.tense != "past":
            anchor = art.published
        else:
            continue
        timex = normalize(span, anchor=anchor)
        if timex and timex.value:
            m.timex = timex


STRETCH_DAYS = {"day": 1, "week": 7}


def _stretch_days(tok: Token) -> int | None:
    """'two days of talks', 'after four days of negotiations', 'a week of talks', 'the round lasted three
    days': the days the talks took."""
    if tok.dep_ == "nsubj" and tok.head.lemma_ in {"last", "run"}:
        unit = next((c for c in tok.head.children if c.dep_ in {"npadvmod", "dobj"} and c.lemma_.lower() in STRETCH_DAYS), None)
    elif tok.dep_ == "pobj" and tok.head.lower_ == "of":
        unit = tok.head.head
    else:
        return None
    if unit is None:
        return None
    per = STRETCH_DAYS.get(unit.lemma_.lower())
    count = next((number(c.text) for c in unit.children if c.dep_ in {"nummod", "det"} and number(c.text)), None)
    return count * per if per and count and count * per > 1 else None


def _date_from_stretch(art: _Article, s: _Sentence) -> None:
    """Pass: 'two days of talks ended in Beijing on Friday': talks that took days run until the day their
    sentence gives them (undated ones until the day the article tells of, in `events`); days that began
    on the day given ('four days of talks that began on Monday'), or are still to come ('will travel on
    Wednesday for two days of talks'), run from it."""
    for tok, label in s.triggers:
        m = s.made[tok.i]
        if label not in MEETING_TYPES or (days := _stretch_days(tok)) is None:
            continue
        m.days = days
        if m.timex is None and (ended := _day_it_led_to(art, s, tok)) is not None:
            m.timex = stretch_back(ended, days)
        elif m.timex is not None and m.timex.granularity == "day" and m.timex.value:
            ahead = date.fromisoformat(m.timex.value) > art.published
            m.timex = stretch_back(m.timex, days, forward=m.opened or ahead)


def _day_it_led_to(art: _Article, s: _Sentence, tok: Token) -> Timex | None:
    """'On Oct. 11, after two days of talks, Trump announced ...', 'the accord, reached on July 14 after 18
    days of talks': talks told as what came before a dated act ended on its day (the day the verb the
    'after' phrase hangs from is told on, a day already past)."""
    unit = tok.head.head  # "days" of "two days of talks"
    if unit.dep_ != "pobj" or unit.head.lower_ != "after" or unit.head.head.pos_ not in {"VERB", "AUX"}:
        return None
    verb = unit.head.head
    for ent in s.ents:
        root = ent.root
        on_verb = (root.dep_ == "pobj" and root.head.lower_ == "on" and root.head.head.i == verb.i) \
            or (root.dep_ == "npadvmod" and root.head.i == verb.i)
        if ent.label_ != "DATE" or not on_verb:
            continue
        # the nearest such day; one still ahead of the report is refused
        day = s.weekdays.get(ent.start) or normalize(ent.text, anchor=art.published, tense=None)
        if day is not None and day.granularity == "day" and day.value and date.fromisoformat(day.value) <= art.published:
            return day
    return None


def stretch_back(day: Timex, days: int, *, forward: bool = False) -> Timex:
    """The `days` days ending on `day` (`forward`: starting on it), as a range."""
    end = date.fromisoformat(day.value or "")
    start = end - timedelta(days=days - 1)
    if forward:
        start, end = end, end + timedelta(days=days - 1)
    return Timex(f"{start.isoformat()}/{end.isoformat()}", day.mod, day.text, "range")


def _date_statements(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass: an undated statement or suspension is dated by its sentence ('Kan said on Tuesday ...'),
    whatever the clause; else by the day an earlier sentence of its paragraph named."""
    for tok, label in s.triggers:
        m = s.made[tok.i]
        if label in {"statement", "suspension"} and m.timex is None:
            # "said on Sunday night": a time of a named day (TIME to the model) no other trigger holds
            day_times = [e for e in s.ents if label == "statement" and _day_time(art, e)
                         and s.assign(e.root.i) in {None, tok.i}]
            for ent in [*s.unassigned, *day_times]:
                if label == "statement" and (_not_when_said(tok, ent.root) or _told_ahead(ent.root)
                                             or _what_one_said(s, ent.root)):
                    continue  # "Tusk said all options were open until April 12": what was said, not when
                if label == "suspension" and _until(ent.root, tok):
                    continue  # "on hold until the new government takes office in August"
                timex = s.weekdays.get(ent.start) or normalize(ent.text, anchor=art.published, tense="past")
                span = interval(timex.value) if timex and timex.value else None
                if timex and span and span[0] <= art.published:
                    m.timex = timex
                    break
        if label in {"suspension", "statement"} and m.timex is None and memory.recent_day:
            para, day = memory.recent_day[0]
            if para == m.paragraph:
                m.timex = day


_THE_WEEKDAY = re.compile(rf"(?P<day>{_WEEKDAY_WORD})(?: (?:morning|afternoon|evening|night))?",
                          re.IGNORECASE)


def _weekday_of_the_span(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass: 'EU leaders meeting on October 15 and 16 ... the conclusions they adopted on the Thursday
    evening': a weekday with 'the' is a day of the days just told (the last day or span this paragraph
    or the one before named), not the one before publication."""
    if not memory.recent_span:
        return
    para, first = memory.recent_span[0]
    here = art.layout.para_of(s.sent.start_char)
    if here - para > 1:
        return
    for ent in s.ents:
        m = _THE_WEEKDAY.fullmatch(ent.text.strip())
        if m is None or ent.start == 0 or art.doc[ent.start - 1].lower_ != "the":
            continue
        day = first + timedelta(days=(_WEEK.index(m["day"].lower()) - first.weekday()) % 7)
        s.weekdays[ent.start] = Timex(day.isoformat(), None, ent.text, "day")


_WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _meeting_before_the_act(s: _Sentence) -> None:
    """Pass: 'Johnson and Varadkar said on Thursday, after a private meeting at Thornton Manor, ...',
    'agreed on Friday after talks in Geneva', 'After meeting in Brussels on Tuesday, Raab and Barnier told
    a news conference': the meeting an act came after was held, that day, by those who acted."""
    for tok, label in s.triggers:
        if label not in MEETING_TYPES or tok.dep_ not in {"pobj", "pcomp"} \
                or tok.head.lower_ not in {"after", "following"} or is_definite(tok):
            continue  # "Abe told reporters after the talks": those told before, with their own people
        verb = tok.head.head
        while verb.i not in s.made and verb.dep_ in {"ccomp", "xcomp", "conj"} and verb.head.i != verb.i:
            verb = verb.head  # "said that they could see a pathway, after a private meeting": the parse may hang it low
        m, act = s.made[tok.i], s.made.get(verb.i)
        if act is None or act.type not in {"statement", "agreement"}:
            continue
        if m.timex is None and act.timex is not None and act.timex.granularity == "day":
            m.timex = act.timex
        if "held" not in m.cues:
            m.cues = [*m.cues, "held"]
        _add_people(s, m, [c for c in verb.children if c.dep_ == "nsubj"])


def _told_ahead(root: Token) -> bool:
    """Whether a date hangs from a verb in the present or future ('urged parliament to pass it when MPs
    sit on Saturday'): a day still to come, not a day of news."""
    return date_tense(root) in {"present", "future"}


def _what_one_said(s: _Sentence, tok: Token) -> bool:
    """Whether `tok` lies in what any statement verb of the sentence reports ('welcomed the offer and
    said he wanted it settled by June': June is no day of the welcoming either)."""
    return any(label == "statement" and in_what_was_said(verb, tok) for verb, label in s.triggers)


def _not_when_said(verb: Token, tok: Token) -> bool:
    """Whether a date `tok` tells something other than when the statement was made: what was said, or a
    relative clause about the speaker ('Kerry, who flew in on Saturday, said ...')."""
    return in_what_was_said(verb, tok) or (through_clause(tok, verb) and not _while_speaking(tok))


def _while_speaking(tok: Token) -> bool:
    """Whether `tok` lies in a participle clause on a person ('Von der Leyen, speaking at the LSE on
    January 8, ...'): when the speaker was speaking, unlike a relative clause ('who flew in on Saturday');
    or in the clause telling when the remark itself came out ('in his message, released on Thursday, ...',
    'in an interview published on Sunday')."""
    clause = next((a for a in tok.ancestors if a.dep_ in {"acl", "relcl"}), None)
    if clause is None:
        return False
    if clause.tag_ == "VBN" and clause.dep_ == "acl" and clause.lemma_ in REMARK_OUT_VERBS:
        # the noun it tells of, just before it (the parser often hangs such a clause on an apposition)
        return any(t.lemma_ in REMARK_NOUNS for t in clause.doc[max(clause.i - 12, clause.sent.start):clause.i])
    return clause.tag_ == "VBG" and clause.dep_ == "acl" and clause.head.ent_type_ == "PERSON"


# A remark that came out ('a statement released', 'an interview published', 'a speech delivered')
REMARK_OUT_VERBS = {"release", "publish", "issue", "deliver", "broadcast", "air", "post", "give"}
REMARK_NOUNS = {"message", "statement", "interview", "speech", "address", "letter", "remark", "comment", "post",
                "communique", "declaration", "video", "broadcast"}


def in_what_was_said(verb: Token, tok: Token) -> bool:
    """Whether `tok` lies in the clause a statement verb reports (its ccomp, or the words after it)."""
    said = [c for c in verb.children if c.dep_ in {"ccomp", "xcomp", "dobj"}
            # "told a business conference in Brussels"; "said as much himself on February 9": a pronoun
            # holds no words of what was said (a date the parser hangs on it is the saying's)
            and not (c.dep_ == "dobj" and (verb.lemma_ in TELLING_VERBS or c.tag_ == "PRP"))]
    return any(c.left_edge.i <= tok.i <= c.right_edge.i for c in said)


# Verbs whose object is whom the remark was made to ('told a business conference in Brussels', 'briefed
# reporters in Vienna'), not what was said
TELLING_VERBS = {"tell", "brief", "address", "inform", "assure", "warn", "urge", "remind"}


LIMIT_BEFORE = LIMIT_PREPS | {"before"}  # "by March 1", "before the Oct 31 deadline": a limit, not a day


def _remember_day(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass: the last day the sentence names (not a citation's), remembered for the next sentences of
    the paragraph: 'It also announced two further steps' happened on the day the sentence before named;
    a time of a named day is a day too ('on Saturday night')."""
    day_times = [(e, e.root) for e in s.ents if _day_time(art, e)]
    for ent, root in sorted([*s.dates, *day_times], key=lambda d: d[0].start):
        if (root.dep_ == "pobj" and root.head.lower_ in LIMIT_BEFORE) or art.doc[max(ent.start - 1, 0)].lower_ in LIMIT_BEFORE or any(
                s.by_label[t] in {"deadline", "pledge"} and a <= root.i <= b for t, (a, b) in s.own.items()):
            continue  # "a framework by March 1", "before the Oct 31 deadline": a limit, not a day of news
        if not in_attribution(ent, art.layout.text) and not _told_ahead(root):
            timex = s.weekdays.get(ent.start) or normalize(ent.text, anchor=art.published, tense="past")
            span = interval(timex.value) if timex and timex.value and timex.granularity in {"day", "range"} else None
            if span:
                memory.recent_span[:] = [(art.layout.para_of(ent.start_char), span[0])]
            if timex and timex.granularity == "day":
                memory.recent_day[:] = [(art.layout.para_of(ent.start_char), timex)]


def _attach_places(s: _Sentence) -> None:
    """Pass: each place goes to the trigger whose phrase or clause most closely holds it."""
    def in_own_phrase(root: Token) -> bool:
        t = s.assign(root.i)
        return t is not None and s.own[t][0] <= root.i <= s.own[t][1]

    # "a dinner in Brussels" before "citizens living in Britain", which the parse may hang anywhere
    for root, loc in sorted(s.places, key=lambda place: not in_own_phrase(place[0])):
        t = s.assign(root.i)
        if t is not None and s.by_label[t] == "agreement" and not _in_own_clause(s.made[t].trigger, root):
            continue  # "the agreement comes after Putin, speaking in Vladivostok, proposed ...": not its place
        if t is not None and s.by_label[t] == "statement" and _in_reported_speech(s.made[t].trigger, root):
            continue  # "Juncker said those in Britain who expected better terms would be disappointed"
        if t is not None and s.by_label[t] in MEETING_TYPES and _in_next_action(s.made[t].trigger, root):
            continue  # "had held frank discussions and would brief Trump on its return to Washington"
        if t is not None and s.made[t].location is None:
            s.made[t].location = loc
    for tok, label in s.triggers:
        if label == "statement" and s.made[tok.i].location is None:
            s.made[tok.i].location = _where_speaking(tok, s.places)


def _in_next_action(trigger: Token, tok: Token) -> bool:
    """Whether `tok` lies in a verb conjoined to a meeting trigger's verb: another action of the same
    people ('held talks and would report on its return to Washington'), not where they met."""
    anchor = anchor_of(trigger)
    while tok.i not in {trigger.i, anchor.i} and tok.head.i != tok.i:
        if tok.dep_ == "conj" and tok.pos_ in {"VERB", "AUX"} and tok.head.i in {trigger.i, anchor.i}:
            return True
        tok = tok.head
    return False


def _in_reported_speech(verb: Token, tok: Token) -> bool:
    """Whether a place `tok` lies in what a statement reports (a clause reported by the verb or by a
    verb conjoined to it: 'called the result the best deal, and said that those in Britain ...'): the
    place said, not where it was said."""
    cur = tok
    while cur.i != verb.i and cur.head.i != cur.i:
        if cur.dep_ in {"ccomp", "parataxis"}:
            return True
        cur = cur.head
    return in_what_was_said(verb, tok)


def _note_scene(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass: a sentence opened by a place ('In Berlin, Chancellor Merkel turned down ...') sets the scene
    of its paragraph."""
    first = s.sent[0]
    if first.lower_ not in {"in", "at"}:
        return
    for ent in s.ents:
        if ent.label_ in {"GPE", "LOC", "FAC"} and ent.root.head.i == first.i and ent.end < s.sent.end \
                and art.doc[ent.end].text == "," and _named_here(art, ent):
            place = locative(ent, art.tracker)
            if place:
                memory.scene[:] = [(art.layout.para_of(first.idx), place)]
            return


def _remarks_at_the_scene(art: _Article, memory: _Memory, s: _Sentence) -> None:
    """Pass: 'In Berlin, Merkel turned down the call for parallel talks. The two sides must first settle
    the terms, she said': remarks of the paragraph a place opened were made there, unless their own
    sentence places them."""
    if not memory.scene or s.places:
        return
    para, place = memory.scene[0]
    for tok, label in s.triggers:
        m = s.made[tok.i]
        if label == "statement" and m.location is None and m.paragraph == para:
            m.location = place


def _where_speaking(verb: Token, places: list[tuple[Token, str]]) -> str | None:
    """'Wang Yi, attending meetings in Bangkok, said', 'Speaking in Tokyo, Putin said': a place in a
    participle clause on the statement verb or its subject is where the speaker was, even when a
    trigger in that clause ('meetings') took it too; so is the place of the verb an infinitive of
    purpose hangs from."""
    clauses = [c for h in (verb, *statement_subjects(verb)) for c in h.children
               if c.dep_ in {"advcl", "acl"} and c.tag_ in {"VBG", "VBN"}]
    if verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "stood together in Vienna to declare ...": where they were when they came out to say it
        clauses += [c for c in verb.head.children if c.dep_ == "prep" and c.lower_ == "in"]
    if verb.dep_ in {"advcl", "xcomp"} and verb.tag_ == "VBG" and verb.head.pos_ == "VERB":
        # "at an event at the palace, the president extended the halt, saying ...": where he was saying it
        clauses += [c for c in verb.head.children if c.dep_ == "prep" and c.lower_ in {"in", "at"} and c.i < verb.i]
        # "read out a statement in the Cuban capital saying ...": where the text it reads out was read
        clauses += [c for o in verb.head.children if o.dep_ == "dobj" and o.lemma_ in SPEECH_NOUNS
                    for c in o.children if c.dep_ == "prep" and c.lower_ in {"in", "at"} and c.i < verb.i]
    return next((loc for root, loc in places for c in clauses if c.left_edge.i <= root.i <= c.right_edge.i), None)


def _attach_people(art: _Article, s: _Sentence) -> None:
    """Pass: a statement's participant is its speaker; other mentions get the people of their clause
    (never another statement's speaker), the other side of talks, 'his meeting', the subject of the
    verb governing a verb trigger, the people of their own phrase, and who invites and is invited."""
    speakers = {c.i for t2, l2 in s.triggers if l2 == "statement" for c in t2.children if c.dep_ == "nsubj"}
    for tok, label in s.triggers:
        m = s.made[tok.i]
        if label == "statement":
            m.participants = _speaker(s, tok)
            continue
        _people_in_clause(s, tok, m, speakers)
        _the_other_side(art, s, m)
        _his(s, tok, m)
        _governing_subject(s, tok, m)
        _people_in_phrase(s, tok, m)
        _host_and_guest(s, tok, label, m)
        _who_spoke_on_the_call(s, m)
        _he_who_said(s, tok, m)


def _he_who_said(s: _Sentence, tok: Token, m: Mention) -> None:
    """'Mnuchin said he would probably go to Beijing', 'Raab said he would meet Barnier', 'Liu said the two
    sides had agreed to continue their consultations in Beijing': the 'he' (or 'we', or 'the two sides') of a
    clause a speaker says is (or holds) the speaker, who is at the meeting or on the trip."""
    if m.participants or m.type not in MEETING_TYPES:
        return
    verb = anchor_of(tok)
    subj_of = verb
    while not any(c.dep_ == "nsubj" for c in subj_of.children) and subj_of.dep_ == "xcomp":
        subj_of = subj_of.head  # "agreed to continue their consultations": who agreed goes on
    if not any(c.dep_ == "nsubj" and (c.lower_ in {"he", "she", "we"} or _both_sides(c)) for c in subj_of.children):
        return
    head = subj_of
    while head.dep_ in {"ccomp", "conj", "xcomp"} and head.head.i != head.i:
        head = head.head
        said = s.made.get(head.i)
        if said is not None and said.type == "statement":
            m.participants = list(said.participants)
            return


def _both_sides(tok: Token) -> bool:
    """'the two sides', 'both sides', 'the two delegations': the speaker's side among them."""
    return tok.lemma_ in {"side", "delegation", "team", "country", "government"} and tok.tag_ == "NNS" and any(
        c.lower_ in {"two", "both"} for c in tok.children)


def _one_meeting_each(art: _Article, s: _Sentence) -> None:
    """Pass: 'breakfast with Rutte in The Hague, talks with Merkel in Berlin, then meetings with Tusk and
    Juncker in Brussels': in a list of meetings each told 'with' someone, what is named after one and
    before the next (its company, its place, its day) is that one's, however the parse nests the list;
    'talks and dinner with Merkel' are one item. The traveller (the subject before the list) is at each."""
    doc = s.sent.doc
    meetings = {tok.i for tok, label in s.triggers if label in MEETING_TYPES and tok.i in s.made}
    listed = [i for i in sorted(meetings) if i + 1 < s.sent.end and doc[i + 1].lower_ == "with"]
    if len(listed) < 2:
        return
    root = s.sent.root
    traveller = [name for r, name in s.persons if r.dep_ == "nsubj" and r.head.i == root.i and r.i < listed[0]
                 and root.lemma_ not in st.REPORTING]
    in_list = {name for r, name in s.persons if r.i > listed[0]}
    for i, end in zip(listed, [*listed[1:], s.sent.end], strict=True):
        item = [i] + [j for j in meetings if j + 2 == i and doc[j + 1].lower_ == "and"]  # "talks and dinner with"
        own = [name for r, name in s.persons if i < r.i < end]
        places = [loc for r, loc in s.places if i < r.i < end]
        days = [ent for ent, r in s.dates if i < r.i < end]
        for j in item:
            m = s.made[j]
            m.participants = [p for p in m.participants if p in own or p not in in_list]
            m.participants += [p for p in own + traveller if p not in m.participants]
            if places:
                m.location = places[-1]  # "at the Elysee in Paris": the city last
            timex = normalize(days[0].text, anchor=art.published, tense=m.tense) if days else None
            if timex is not None and timex.value:
                m.timex = timex


def _meeting_where_they_went(art: _Article, s: _Sentence) -> None:
    """Pass: 'Lighthizer and Mnuchin flew to Shanghai, where they had a working dinner with Liu on Tuesday
    and a session on Wednesday': the trip is told for the meeting at its end, which takes the place, the
    travellers and the days its clause names; the trip is not an event of its own."""
    for tok, label in list(s.triggers):
        trip = s.made.get(tok.i)
        if label != "visit" or trip is None or tok.pos_ not in {"VERB", "AUX"} or trip.location is None:
            continue
        where = next((c for place, _ in s.places if place.head.head.i == tok.i or place.head.i == tok.i
                      for c in place.children if c.dep_ == "relcl" and any(g.lower_ == "where" for g in c.children)),
                     None)
        inner = [s.made[t.i] for t, lbl in s.triggers if where is not None and lbl in MEETING_TYPES - {"visit"}
                 and where.left_edge.i <= t.i <= where.right_edge.i and t.i in s.made]
        if where is None or not inner:
            continue
        meeting = inner[0]
        meeting.location = trip.location
        meeting.participants.extend(p for p in trip.participants if p not in meeting.participants)
        meeting.parties |= trip.parties
        texts = [ent.text for ent, _ in s.dates if where.left_edge.i <= ent.root.i <= where.right_edge.i]
        days = [span for ent, _ in s.dates if where.left_edge.i <= ent.root.i <= where.right_edge.i
                and (t := normalize(ent.text, anchor=art.published, tense=meeting.tense or trip.tense))
                and t.granularity == "day" and (span := interval(t.value))]
        if len(days) > 1 and (max(d[1] for d in days) - min(d[0] for d in days)).days <= 7:
            start, end = min(d[0] for d in days), max(d[1] for d in days)
            meeting.timex = Timex(f"{start.isoformat()}/{end.isoformat()}", None, " and ".join(texts), "range")
        elif meeting.timex is None:
            meeting.timex = trip.timex
        del s.made[tok.i]


# Going somewhere: the trip a purpose clause tells the meeting of ('flew to Havana to resume the talks')
GOING_VERBS = {"go", "return", "come", "travel", "fly", "head", "arrive", "journey", "jet", "send"}


def _meeting_they_went_for(art: _Article, s: _Sentence) -> None:
    """Pass: 'the team would go back to Havana to take up the talks', 'De la Calle flew to Havana on
    Monday to resume the talks': a meeting told as what a trip is for happens where the trip goes, with
    those who go (the sent ones, for 'send'), on the trip's day when it has none; the trip is told for
    the meeting, not an event of its own."""
    for tok, label in s.triggers:
        m = s.made.get(tok.i)
        if m is None or label not in MEETING_TYPES - {"visit"} or m.location is not None:
            continue
        purpose = next((a for a in [tok, *tok.ancestors][:4] if a.pos_ == "VERB" and a.dep_ in {"advcl", "xcomp"}
                        and any(c.dep_ == "aux" and c.lower_ == "to" for c in a.children)), None)
        going = purpose.head if purpose is not None else None
        if going is None or going.lemma_ not in GOING_VERBS:
            continue
        to = [g for c in going.children if c.dep_ in {"prep", "advmod"} and c.lower_ in {"to", "back"}
              for g in ([c] if c.lower_ == "to" else [x for x in c.children if x.lower_ == "to"])]
        place = next((name for ptok, name in s.places if any(ptok.head.i == t.i for t in to)), None)
        if place is None:
            continue
        m.location = place
        who = [c for c in going.children if c.dep_ in ({"dobj"} if going.lemma_ == "send" else {"nsubj", "nsubjpass"})]
        goers = [n for ptok, n in s.persons if any(w.left_edge.i <= ptok.i <= w.right_edge.i for w in who)]
        trip = s.made.pop(going.i) if going.i in s.made and s.made[going.i].type == "visit" else None
        goers += trip.participants if trip is not None else []
        m.participants.extend(n for n in dict.fromkeys(goers) if n not in m.participants)
        if trip is not None:
            m.timex = m.timex or trip.timex
        elif m.timex is None:
            day = next((ent for ent, root in s.dates if going.i in {root.head.i, root.head.head.i}), None)
            timex = normalize(day.text, anchor=art.published, tense=m.tense) if day is not None else None
            if timex is not None and timex.value:
                m.timex = timex


def _speaker(s: _Sentence, tok: Token) -> list[str]:
    """The person a statement verb's subject names: 'Japan, he told reporters, must ...' is the person
    named just before him; 'Its leader, Arlene Foster, said' the person in apposition to the subject."""
    for speaker in statement_subjects(tok):  # "The delegation left, said Ivanov": the one naming a person
        named = [name for r, name in s.persons if r.i == speaker.i or r.head.i == speaker.i][:1]
        if named:
            return named  # first: "Vice Premier Liu He said", whose "He" the parse takes for a pronoun
        if speaker.lower_ in {"he", "she"}:
            return [s.pronoun_person[0]] if s.pronoun_person else []
    return []


def _people_in_clause(s: _Sentence, tok: Token, m: Mention, speakers: set[int]) -> None:
    """People in the trigger's anchor clause, not in a clause conjoined or subordinated to it."""
    a, b = s.ext[tok.i]
    anchor = anchor_of(tok)
    for root, name in s.persons:
        if a <= root.i <= b and root.i not in speakers and name not in m.participants \
                and same_clause(root, anchor) and not _in_relative_clause_of_other(root, tok) \
                and not _owned_by_another(s, root, tok):
            m.participants.append(name)


def _owned_by_another(s: _Sentence, root: Token, tok: Token) -> bool:
    """'talks ended ... since Putin's visit last month': a person owning another event ('Putin's
    visit') is that event's, not the clause's."""
    return root.dep_ == "poss" and root.head.i != tok.i and root.head.i in s.made and s.made[root.head.i].type != \
        s.made[tok.i].type


def _the_other_side(art: _Article, s: _Sentence, m: Mention) -> None:
    """'Putin said ... after talks with Abe', 'Abe told reporters after talks at Putin's residence':
    talks with people of one side only take the sentence's subject of another side."""
    year = art.published.year
    one_side = {country_of(art.tracker, p, year) for p in m.participants} - {None}
    if m.type in {"talks", "meeting"} and m.participants and len(one_side) == 1:
        subj_names = [
            name for r, name in s.persons if r.dep_ == "nsubj" and name not in m.participants
            and country_of(art.tracker, name, year) not in one_side | {None}
        ]
        m.participants.extend(subj_names[:1])


def _his(s: _Sentence, tok: Token, m: Mention) -> None:
    """'his meeting with Kono': his = the subject of the governing verb."""
    if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
        verb = next((h for h in tok.ancestors if h.pos_ in {"VERB", "AUX"}), None)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb else None
        if subj is not None:
            name = next((n for r, n in s.persons if r.i == subj.i), None)
            if name and name not in m.participants:
                m.participants.append(name)


def _governing_subject(s: _Sentence, tok: Token, m: Mention) -> None:
    """A verb trigger without a subject of its own ('agreed to meet'): the governing verb's subject."""
    if tok.pos_ in {"VERB", "AUX"} and tok.dep_ in {"xcomp", "advcl", "ccomp"} and not any(
        c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children
    ):
        _add_people(s, m, [c for c in tok.head.children if c.dep_ == "nsubj"][:1])  # "Trump and Xi agreed to meet"


def _add_people(s: _Sentence, m: Mention, heads: list[Token]) -> None:
    """The people the sentence names at `heads` or their conjuncts ('Trump and Xi') join the mention's."""
    at = {x.i for h in heads for x in (h, *h.conjuncts)}
    for root, name in s.persons:
        if root.i in at and name not in m.participants:
            m.participants.append(name)


def _host_and_guest(s: _Sentence, tok: Token, label: str, m: Mention) -> None:
    """'Mnuchin has invited Liu He to a new round of trade talks': who invites and who is invited meet."""
    if label not in MEETING_TYPES:
        return
    verb = next((a for a in tok.ancestors if a.lemma_ == "invite" and a.pos_ == "VERB"), None)
    if verb is None:
        return
    _add_people(s, m, [c for c in verb.children if c.dep_ in {"nsubj", "dobj"}])


def _who_spoke_on_the_call(s: _Sentence, m: Mention) -> None:
    """'a phone call on September 5, in which Liu spoke with Lighthizer and Mnuchin': who spoke with whom
    in the sentence are on the call, however the parse hangs the clause."""
    if not m.remote or m.participants:
        return
    for verb in s.sent:
        if verb.lemma_ in SPEAKING_VERBS and verb.pos_ == "VERB" and verb.i != m.trigger.i:
            withs = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for g in c.children if g.dep_ == "pobj"]
            if withs:
                _add_people(s, m, [c for c in verb.children if c.dep_ == "nsubj"] + withs)


def _people_in_phrase(s: _Sentence, tok: Token, m: Mention) -> None:
    """People inside the trigger's own phrase ('talks with Putin')."""
    if tok.i in s.own:
        x, y = s.own[tok.i]
        verb = tok.pos_ in {"VERB", "AUX"}  # a verb's phrase runs over the clauses conjoined to it
        for root, name in s.persons:
            if x <= root.i <= y and name not in m.participants and not _in_relative_clause_of_other(root, tok) \
                    and (not verb or not _in_conjoined_clause(root, tok)):
                m.participants.append(name)


def _own_subject(tok: Token, verb: Token) -> bool:
    """Whether the clause conjoined to `verb` that holds `tok` has a subject of its own."""
    while tok.head.i != verb.i and tok.head.i != tok.i:
        tok = tok.head
    return any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)


def _in_conjoined_clause(tok: Token, verb: Token) -> bool:
    """'EU leaders hold their summit ..., and diplomats believe it will come when Johnson and von der Leyen
    meet': a person in a clause conjoined to the verb's is that clause's."""
    while tok.i != verb.i and tok.head.i != tok.i:
        if tok.dep_ == "conj" and tok.pos_ in {"VERB", "AUX"} and tok.head.i == verb.i:
            return True
        tok = tok.head
    return False


def _attach_parties(art: _Article, s: _Sentence) -> None:
    """Pass: the parties of each mention: those the sentence names (not for a statement) and the
    countries of its participants. A city named as where it happens, or as a point on the map, is a
    place, not a party ('talks in Havana' are not Cuba's, nor is 'a hotel north of Oslo' Norway's); a
    country or body there to help is no side ('with Cuba and Norway as guarantors')."""
    as_places = {tok.i for tok, _ in s.places}
    for m in s.made.values():
        for ent in s.ents:
            place = art.tracker.place_for(ent.text) if ent.root.i in as_places or not _for_its_government(ent) else None
            if place is not None and art.tracker.party_for(ent.text) != place.name:
                continue
            party = art.tracker.party_for(ent.text) if ent.label_ in {"GPE", "NORP", "ORG"} else None
            if party and m.type != "statement" and not _helping(ent):
                m.parties.add(party)
        for name in m.participants:
            person = art.tracker.person_for(name, art.published.year)
            if person and person.country:
                m.parties.add(person.country)


def _for_its_government(ent: Span) -> bool:
    """Whether a city stands for its government ('Havana said', 'Beijing's negotiators', 'talks between
    Washington and Beijing'), not for a point on the map ('north of Oslo', 'Havana next')."""
    root = ent.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    return root.dep_ in {"nsubj", "nsubjpass", "poss"} or (root.dep_ == "pobj" and root.head.lower_ == "between")


# Those who help two sides talk, not a side: "with Cuba and Norway as guarantors", "the mediators, Qatar"
HELPER_ROLES = {"guarantor", "mediator", "facilitator", "observer", "host", "witness", "broker", "sponsor", "accompanier"}


def _helping(ent: Span) -> bool:
    """Whether a named country or body is there to help ('with Cuba and Norway as guarantors', 'the
    guarantor countries, Cuba and Norway', 'with Norwegian representatives present'), not one of the
    sides of what the sentence tells."""
    doc, sent = ent.doc, ent.sent
    after = doc[ent.end:min(ent.end + 6, sent.end)]
    for i, tok in enumerate(after):
        if tok.is_punct:
            break
        if tok.lower_ == "as" and any(t.lemma_.lower() in HELPER_ROLES for t in after[i + 1:i + 3]):
            return True
    before = doc[max(ent.start - 4, sent.start):ent.start]
    if any(t.lower_ == "with" for t in before) and any(t.lower_ in {"present", "looking"} for t in after):
        return True  # "with Norwegian and Cuban representatives present": there, not a side
    return any(t.lemma_.lower() in HELPER_ROLES for t in before)
