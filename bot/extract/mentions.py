"""Event mentions in one parsed article: triggers found by data patterns, and the dates, places and
people the dependency parse attaches to each. Pure: a Doc and a publication date in, mentions out."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from bot.extract import status as st
from bot.extract.timex import Tense, Timex, interval, normalize
from bot.tracker import Tracker

PATTERNS = Path(__file__).parent / "patterns"
LOCATIVE = {"in", "at", "to", "near", "outside", "inside", "on"}
TREATY_WORDS = {"treaty", "accord", "agreement", "settlement", "deal", "conclude", "sign", "resolve",
                "solution", "resolution", "breakthrough", "pact", "finalization", "finalize"}
EVENT_NOUNS = {"summit", "talk", "talks", "meeting", "visit", "negotiation", "round", "conference", "trip", "forum"}
SUSPENDABLE = {"talk", "talks", "negotiation", "dialogue", "exchange", "trip", "activity", "program", "programme",
               "consultation", "cooperation", "process"}
CLAUSE_DEPS = {"advcl", "ccomp", "parataxis", "csubj"}
YEAR_IN_TOKEN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# Verbs that tell an event happening, so their time and place are the event's.
ANCHOR_VERBS = {
    "hold", "resume", "open", "begin", "start", "end", "conclude", "wrap", "take", "make", "pay", "attend",
    "host", "continue", "go", "complete", "finish", "cut", "postpone", "cancel", "delay", "schedule", "plan",
    "set", "expect", "arrange", "put", "call", "agree", "produce", "follow", "close", "reach", "launch",
    "stage", "convene", "break", "suspend", "halt", "freeze", "sign", "adopt", "issue", "release", "announce",
    "remain", "come", "bring", "mark",
}
FRESH = {"next", "another", "further", "new", "second", "third", "fourth", "following"}
GOAL_WORDS = {"deadline", "target", "goal", "demand", "need", "expectation", "requirement", "condition", "criterion"}
PLACE_NOUNS = {"city", "town", "resort", "port", "village", "island", "islands", "capital", "region", "prefecture",
               "republic", "province", "islet", "islets"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "pobj"}
ANCHOR_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "oprd"}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
# "TOKYO, November 1 -", "IRKUTSK, Russia, March 25 (Wire) -": the report's place and date, not an event's.
DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z .'\-]{2,40}(?:, [A-Z][A-Za-z .]{2,30})?, [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?"
    r"(?: \([^)\n]{1,40}\))? *[\u2014\u2013-]+ ",
    re.MULTILINE,
)
ATTRIBUTION = re.compile(r"\(([^()]{3,200})\)")
DAY_IN_ATTRIBUTION = re.compile(r"\b(?:{})\.? \d{{1,2}}\b".format("|".join(m.capitalize() for m in MONTHS)))


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


PHRASE = "t"  # a tracker phrase's match key: "talks|t0"


@lru_cache(maxsize=4)
def _trigger_rows() -> tuple[tuple[str, list[dict[str, object]]], ...]:
    rows = []
    for line in (PATTERNS / "triggers.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append((row["label"], row["pattern"]))
    return tuple(rows)


def trigger_matcher(nlp: Language, tracker: Tracker | None = None) -> Matcher:
    """The global trigger patterns, and the tracker's own phrases (their head word is the trigger)."""
    matcher = Matcher(nlp.vocab)
    for i, (label, pattern) in enumerate(_trigger_rows()):
        matcher.add(f"{label}|{i}", [pattern])
    for i, (label, phrase) in enumerate(tracker.triggers if tracker else ()):
        matcher.add(f"{label}|{PHRASE}{i}", [[{"LOWER": t.lower_} for t in nlp.make_doc(phrase)]])
    return matcher


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs (blank-line or line separated)."""
    spans, start = [], 0
    for m in re.finditer(r"\n\s*\n|\n", text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def attributions(text: str) -> list[str]:
    """'(Reuters, November 3; Japan Times, November 5)' -> ['Reuters, November 3', 'Japan Times, November 5']."""
    out: list[str] = []
    for m in ATTRIBUTION.finditer(text):
        inner = m.group(1)
        if DAY_IN_ATTRIBUTION.search(inner) and not inner.lower().startswith("see "):
            out.extend(part.strip() for part in inner.split(";") if part.strip())
    return out


class PersonResolver:
    """Canonical full names for PERSON mentions, article-local first ('Putin' after 'Vladimir Putin')."""

    def __init__(self, tracker: Tracker, year: int) -> None:
        self.tracker, self.year = tracker, year
        self.seen: dict[str, str] = {}

    def __call__(self, text: str) -> str | None:
        name = " ".join(text.replace("\u2019", "'").removesuffix("'s").split())
        holder = self.tracker.office_holder(name, self.year)
        if holder:
            return holder
        if not name or not name[0].isupper():
            return None
        known = self.tracker.person_for(name, self.year)
        words = name.split()
        if len(words) >= 2:
            mine = known is not None and (known.name == name or (known.surname or known.name.split()[-1]) in words)
            full = known.name if known and mine else name
            # the name alone later in the article is this person: by its last word, by the file's
            # surname, and by its first word where nothing else claims it ("Xi" after "Xi Jinping")
            self.seen[words[-1]] = full
            if known and mine and known.surname:
                self.seen[known.surname] = full
            self.seen.setdefault(words[0], full)
            return full
        if name in self.seen:
            return self.seen[name]
        if known:
            return known.name
        return None  # a bare unknown surname: not enough to name a participant


def _span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i


def linked(a: Mention, b: Mention) -> bool:
    """Whether two triggers of one sentence describe one event: 'summit meeting', 'talks ... during
    a visit', 'Kono met with Putin during his stay'; not two events a copula compares."""
    ta, tb = a.trigger, b.trigger
    if a.timex and b.timex and a.timex.value != b.timex.value:
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
        if anchor.lemma_ == "be":
            continue
        t, steps = y.trigger, 0
        while t.i != anchor.i and t.head.i != t.i and steps < 4:
            if t.dep_ in CLAUSE_DEPS or (t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"}):
                break  # "agreed ... when the leaders met", "..., and hopes to arrange a trip": another event
            t, steps = t.head, steps + 1
        if t.i == anchor.i:
            return True
    return False


def _anchor(tok: Token) -> Token:
    """The verb whose clause a noun trigger is an argument of ('the talks were held' -> held;
    'travel to Moscow for talks' -> travel)."""
    if (
        tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ in ANCHOR_DEPS and tok.head.pos_ in {"VERB", "AUX"}
        and tok.head.lemma_ in ANCHOR_VERBS
    ):
        return tok.head  # "the talks resumed in Moscow", "held talks on Friday"; not "called the visit regrettable"
    if (
        tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "pobj" and tok.head.lower_ in {"for", "during", "at"}
        and tok.head.head.pos_ in {"VERB", "AUX"}
    ):
        return tok.head.head
    return tok


def _is_definite(tok: Token) -> bool:
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    for child in tok.children:
        if child.dep_ == "det" and child.lower_ in {"the", "this", "that", "these", "those"}:
            return True
        if child.dep_ == "poss":
            return True
    return False


def _locative(ent: Span, tracker: Tracker) -> str | None:
    """The place an entity names when the sentence uses it as a place ('in Tokyo', 'the Brunei summit')."""
    root = ent.root
    place = tracker.place_for(ent.text)
    # a place the tracker does not know (Denver, Lima) is still a place when used as one
    name = place.name if place else _plain_place(ent)
    if name is None:
        return None
    head = root.head
    if root.dep_ == "dobj" and head.lemma_ in {"visit", "tour"}:
        return name  # "Putin visited Tokyo in September", "Kono will visit Moscow"
    if root.dep_ == "pobj" and head.lower_ in LOCATIVE:
        return name
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_ in PLACE_NOUNS:
        return name  # "the Siberian city of Irkutsk", "the island of Kunashir"
    if root.dep_ == "appos" and head.lemma_ in PLACE_NOUNS:
        return name
    if ent.start > 0 and ent.doc[ent.start - 1].lower_ in LOCATIVE:
        return name  # the parser may glue "in Moscow Yohei Kono" into one phrase; the surface still says "in"
    if root.dep_ in {"compound", "nmod", "amod"} and head.lemma_ in EVENT_NOUNS:
        return name if tracker.party_for(ent.text) is None else None  # "the Brunei summit"
    if root.dep_ == "poss" and head.lemma_ in {"summit", "talks", "meeting", "visit"}:
        return name
    return None


def _last_pair(leaders: list[str], tracker: Tracker, year: int) -> list[str]:
    """The two most recently named leaders of two different countries."""
    pair: list[str] = []
    for name in reversed(leaders):
        country = _country(tracker, name, year)
        if name not in pair and all(_country(tracker, p, year) != country for p in pair):
            pair.append(name)
        if len(pair) == 2:
            return pair
    return []


def _since(ent: Span) -> bool:
    """'since the early 1990s', 'first meeting since September', 'since Abe returned to power in 2012':
    a starting point, not the event's date."""
    return ent.root.dep_ == "pobj" and ent.root.head.lower_ == "since"


def _since_clause(ent: Span) -> Token | None:
    """The verb of the 'since ...' clause a date sits in ('since Abe returned to power in 2012')."""
    verb = next((t for t in ent.root.ancestors if t.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return None
    if any(c.dep_ in {"mark", "prep"} and c.lower_ == "since" for c in verb.children):
        return verb
    if verb.head.lower_ == "since" and verb.head.i != verb.i:
        return verb.head  # parsed as a preposition with its clause
    return None


def _title_before_name(ent: Span) -> bool:
    """'Russian President Boris Yeltsin': the title belongs to the name after it, not to this year's holder."""
    doc = ent.doc
    return ent.label_ == "PERSON" and ent.end < len(doc) and doc[ent.end].ent_type_ == "PERSON" and (
        doc[ent.end].ent_iob_ == "B"
    )


def _plain_place(ent: Span) -> str | None:
    if ent.label_ not in {"GPE", "LOC"}:
        return None
    text = " ".join(ent.text.replace("\u2019", "'").removesuffix("'s").split()).removeprefix("the ")
    return text if text[:1].isupper() else None


def _capital_phrase(sent: Span, tracker: Tracker) -> list[tuple[Token, str]]:
    """'the Japanese capital' -> (capital token, 'Tokyo')."""
    out = []
    for tok in sent:
        if tok.lower_ == "capital" and tok.i > sent.start:
            prev = tok.doc[tok.i - 1]
            party = tracker.party_for(prev.text)
            cap = tracker.capital_of(party) if party else None
            if cap and (tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE or tok.head.lower_ in LOCATIVE):
                out.append((tok, cap))
    return out


def _country(tracker: Tracker, name: str, year: int) -> str | None:
    person = tracker.person_for(name, year)
    return person.country if person else None


def _same_clause(tok: Token, anchor: Token) -> bool:
    """Whether tok belongs to the anchor's own clause, not to a clause conjoined or subordinated to it
    ('Kono is expected in Moscow ..., and Putin and Mori are due to meet in Brunei')."""
    while tok.i != anchor.i and tok.head.i != tok.i:
        if tok.dep_ in CLAUSE_DEPS or (tok.dep_ == "conj" and tok.pos_ in {"VERB", "AUX"}):
            return False
        tok = tok.head
    return True


def _through_clause(root: Token, trigger: Token) -> bool:
    """Whether the date reaches the trigger through a clause of its own (a relative clause's verb)."""
    tok = root
    while tok.i != trigger.i and tok.head.i != tok.i:
        if tok.pos_ == "VERB" and tok.dep_ in {"relcl", "acl"}:
            return True
        tok = tok.head
    return False


def _date_tense(root: Token) -> Tense | Literal["any"] | None:
    """The tense of the verb a date hangs from: 'planned for April 16' looks ahead even when the
    sentence around it is past ('... has been postponed')."""
    tok = root
    for _ in range(3):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ == "VERB" and tok.tag_ == "VBG" and tok.lemma_ in {"follow", "succeed"}:
            return "past"  # "following the summit in September": it came before
        if tok.pos_ == "VERB":
            # the verb's own tense ("reached in Singapore on November 14"), not a governing clause's
            own = [tok, *(c for c in tok.children if c.dep_ in {"aux", "auxpass", "neg"})]
            tense = st.tense_of(own) or st.tense_of(st.context_tokens(tok))
            if tense != "future" and (tok.lemma_ in st.FUTURE_VERBS or any(c.lower_ == "had" for c in tok.children)):
                return "any"  # "(had been) planned for April 16": the nearest April 16, either side
            return tense
    return None


def _in_attribution(ent: Span, text: str) -> bool:
    """'(Reuters, November 3)': a report date, not an event date. `text` is the doc's text
    (Doc.text joins every token on each call)."""
    left = text.rfind("(", 0, ent.start_char)
    if left < 0 or text.rfind(")", 0, ent.start_char) > left:
        return False
    right = text.find(")", ent.end_char)
    return right >= 0 and right - left < 200 and bool(DAY_IN_ATTRIBUTION.search(text[left:right]))


def _suspended_objects(tok: Token) -> set[int]:
    """What a suspension trigger suspends: talks in its object or passive subject, never in its
    active subject ('the talks ended on Tuesday' is a round that finished)."""
    return {
        t.i for child in tok.children if child.dep_ not in {"nsubj", "csubj", "aux", "neg"}
        for t in child.subtree if t.lemma_ in SUSPENDABLE
    }


def _keep_trigger(label: str, tok: Token, sent: Span) -> bool:
    lemmas = {t.lemma_.lower() for t in sent}
    if label in {"meeting", "deadline"} and any(c.dep_ == "dobj" and c.lemma_ in GOAL_WORDS for c in tok.children):
        return False  # "meeting the goal", "met the deadline": not a meeting
    if label == "agreement" and tok.lemma_ in {"set", "make", "adopt", "give"}:
        # "the goal set in 1997", "the commitment made at Krasnoyarsk": setting a target is agreeing
        pledged = {"goal", "target", "pledge", "commitment", "deadline", "promise", "timetable"}
        return (tok.dep_ in {"acl", "relcl"} and tok.head.lemma_ in pledged) or any(
            c.dep_ in {"dobj", "nsubjpass"} and c.lemma_ in pledged for c in tok.children
        )
    if label == "agreement":
        if tok.lower_ == "plan" and not ({"agree", "adopt", "sign", "action"} & lemmas):
            return False
        if tok.lemma_ == "agree" and any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children) and not any(
            c.dep_ == "xcomp" for c in tok.children
        ):
            return False  # "agreed with the assessment" is not an agreement
    if label == "visit" and tok.lower_ == "stay" and not any(
        c.dep_ == "prep" and c.lower_ == "in" for c in tok.children
    ):
        return False
    if label == "deadline" and tok.lower_ == "by":
        return bool(TREATY_WORDS & lemmas)
    if label == "pledge":
        # "the goal of a treaty by 2000"; or "that goal has quietly been dropped", referring back
        return bool((TREATY_WORDS | {"deadline"}) & lemmas) or _is_definite(tok)
    if label == "suspension":
        # "pulled out of the talks", "an end to visa-free exchanges", "talks were suspended",
        # "will no longer negotiate"; not "the end of this year" or "freezing assets"
        return tok.lemma_ in {"negotiate", "talk"} or bool(_suspended_objects(tok))
    if label == "statement":
        if tok.lemma_ == "call" and not any(c.dep_ in {"oprd", "acomp", "xcomp", "ccomp"} for c in tok.children):
            return False  # "called the visit regrettable" is a statement; "called off the trip" is not
        return any(
            c.dep_ == "nsubj" and (c.ent_type_ == "PERSON" or c.lower_ in {"he", "she"}) for c in tok.children
        )
    if label == "talks" and tok.lemma_ == "negotiate" and tok.tag_ == "VBG" and tok.dep_ != "ROOT":
        return False
    return True


def find_mentions(doc: Doc, *, published: date, tracker: Tracker, matcher: Matcher) -> list[Mention]:
    """Every event mention of the article, in text order, with attached date, place and people."""
    resolve = PersonResolver(tracker, published.year)
    text = doc.text  # built once: Doc.text joins every token each time it is read
    paras = paragraphs_of(text)

    def para_of(char: int) -> int:
        return next((i for i, (a, b) in enumerate(paras) if a <= char < b), len(paras) - 1)

    masked = [(m.start(), m.end()) for m in DATELINE.finditer(text)]
    first_line = text.strip().split("\n", 1)[0]
    headline = len(first_line) < 140 and not first_line.rstrip().endswith((".", "?", "!", '"'))

    def in_dateline(ent: Span) -> bool:
        return any(a <= ent.start_char < b for a, b in masked)

    by_token: dict[int, str] = {}
    for match_id, start, end in matcher(doc):
        label, _, row = doc.vocab.strings[match_id].partition("|")
        # the first token of a match is the trigger ("round" of "round of", "by" of "by 2000"), a
        # tracker phrase's head word ("talks" of "working-level talks"); "will not continue
        # negotiations": the negated verb is
        tok = doc[start:end].root if row.startswith(PHRASE) else doc[start]
        if tok.dep_ == "neg" or (tok.lower_ == "no" and tok.head.pos_ in {"VERB", "ADV"}):
            tok = tok.head if tok.head.pos_ == "VERB" else tok.head.head
        by_token.setdefault(tok.i, label)

    mentions: list[Mention] = []
    last_person: list[str] = []
    leaders_seen: list[str] = []
    recent_day: list[tuple[int, Timex]] = []
    # Entities and triggers by sentence, found once: `Span.ents` rebuilds the document's entity list on
    # every read, which made a long article quadratic.
    sentences = list(doc.sents)
    starts = [s.start for s in sentences]
    ents_of: list[list[Span]] = [[] for _ in sentences]
    for ent in doc.ents:
        k = bisect_right(starts, ent.start) - 1
        if k >= 0 and ent.end <= sentences[k].end:  # as Span.ents: wholly inside the sentence
            ents_of[k].append(ent)
    triggers_of: list[list[tuple[int, str]]] = [[] for _ in sentences]
    for i, label in sorted(by_token.items()):
        triggers_of[bisect_right(starts, i) - 1].append((i, label))
    for s_index, sent in enumerate(sentences):
        sent_ents = ents_of[s_index]
        triggers = [(doc[i], label) for i, label in triggers_of[s_index] if _keep_trigger(label, doc[i], sent)]
        if not triggers:
            resolved = [resolve(e.text) for e in sent_ents
                        if e.label_ == "PERSON" and not in_dateline(e) and not _title_before_name(e)]
            named = [n for n in resolved if n]
            if named:
                last_person[:] = [named[0]]  # the sentence's topic is usually named first
            continue
        # The sentence's persons resolve in text order so that surnames learn full names first.
        persons: list[tuple[Token, str]] = []
        dates: list[tuple[Span, Token]] = []
        places: list[tuple[Token, str]] = _capital_phrase(sent, tracker)
        for ent in sent_ents:
            if in_dateline(ent) or _title_before_name(ent):
                continue
            if ent.label_ == "PERSON":
                name = resolve(ent.text)
                if name:
                    persons.append((ent.root, name))
            elif ent.label_ == "DATE" and not _since(ent):
                dates.append((ent, ent.root))
            elif ent.label_ in {"GPE", "LOC", "FAC"}:
                loc = _locative(ent, tracker)
                if loc:
                    places.append((ent.root, loc))
        # "the two leaders", "both leaders": the last two leaders of different countries named so far
        for tok in sent:
            if tok.lower_ == "leaders" and any(c.lower_ in {"two", "both", "the"} for c in tok.children):
                pair = _last_pair(leaders_seen, tracker, published.year)
                persons.extend((tok, name) for name in pair if all(n != name for _, n in persons))
        leaders_seen.extend(name for _, name in persons if tracker.is_leader(name))

        # "halts talks", "pulling out of talks": the talks are what is suspended, not an event of their own
        suspended = {i for tok, label in triggers if label == "suspension" for i in _suspended_objects(tok)}
        triggers = [(t, lbl) for t, lbl in triggers if not (lbl in {"talks", "meeting"} and t.i in suspended)]
        own = {tok.i: _span(tok) for tok, _ in triggers}
        ext = {tok.i: _span(_anchor(tok)) for tok, _ in triggers}
        by_label = {tok.i: label for tok, label in triggers}
        # who "he" is in this sentence: the last person named before it (this sentence, else earlier)
        first_pronoun = next((t.i for t in sent if t.lower_ in {"he", "she"}), sent.end)
        before = [name for r, name in persons if r.i < first_pronoun]
        if before:
            last_person[:] = [before[-1]]
        pronoun_person = list(last_person)
        if persons:
            last_person[:] = [persons[0][1]]  # for the sentences after this one: its topic

        def assign(i: int, own: dict[int, tuple[int, int]] = own, ext: dict[int, tuple[int, int]] = ext) -> int | None:
            """The trigger whose phrase (or the clause it is an argument of) most closely holds token i."""
            inside = [(b - a, 0, t) for t, (a, b) in own.items() if a <= i <= b]
            inside += [(b - a, 1, t) for t, (a, b) in ext.items() if a <= i <= b]
            return min(inside)[2] if inside else None

        made: dict[int, Mention] = {}
        for tok, label in triggers:
            ctx = st.context_tokens(tok)
            made[tok.i] = Mention(
                type=label,
                trigger=tok,
                sent_index=s_index,
                paragraph=para_of(tok.idx),
                cues=st.cue_statuses(ctx, tracker.cues),
                tense=st.tense_of(ctx),
                definite=_is_definite(tok),
                sentence=sent,
                anchor=_anchor(tok),
                headline=s_index == 0 and headline,
                fresh=any(c.lower_ in FRESH for c in tok.children) or (
                    tok.lower_ == "round" and any(c.lower_ in FRESH for c in tok.children)),
            )
        unassigned: list[Span] = []
        for ent, root in dates:
            if _in_attribution(ent, text):
                continue
            t = assign(root.i)
            if t is not None and by_label[t] in {"deadline", "pledge"} and _through_clause(root, doc[t]):
                t = None  # "the deadline that Yeltsin set in 1997": when it was set, not when it falls
            since = _since_clause(ent)
            if t is not None and since is not None and not (since.left_edge.i <= t <= since.right_edge.i):
                t = None  # "the first summit since Abe returned in 2012": 2012 dates the return only
            if t is None and since is None:
                # "the meeting ... in Brunei on November 15", the parser hanging the date elsewhere:
                # a date right after a trigger's phrase is that trigger's
                t = next((i for i, (a, b) in own.items() if 0 <= root.i - b <= 3 and by_label[i] != "statement"
                          and made[i].timex is None), None)
            if t is None:
                unassigned.append(ent)
            if t is None or made[t].timex is not None:
                continue
            tense = _date_tense(root) or made[t].tense
            timex = normalize(ent.text, anchor=published, tense=None if tense == "any" else tense)
            if timex and timex.value:
                made[t].timex = timex
        for tok, label in triggers:
            if label in {"deadline", "pledge"} and made[tok.i].timex is None:
                # "the year-2000 target", "the 2000 deadline": a year written into the phrase
                year = next((hit.group(0) for t in tok.subtree if (hit := YEAR_IN_TOKEN.search(t.text))), None)
                if year is not None:
                    made[tok.i].timex = normalize(year, anchor=published)
        for tok, label in triggers:
            # a statement is dated by its sentence ("Kan said on Tuesday ..."), whatever the clause
            if label in {"statement", "suspension"} and made[tok.i].timex is None:
                for ent in unassigned:
                    timex = normalize(ent.text, anchor=published, tense="past")
                    if timex and timex.value:
                        made[tok.i].timex = timex
                        break
            if label in {"suspension", "statement"} and made[tok.i].timex is None and recent_day:
                para, day = recent_day[0]
                if para == made[tok.i].paragraph:
                    made[tok.i].timex = day
        # remembered for the next sentences of the paragraph: "It also announced two further steps"
        # happened on the day the sentence before named
        for ent, _root in dates:
            if not _in_attribution(ent, text):
                timex = normalize(ent.text, anchor=published, tense="past")
                if timex and timex.granularity == "day":
                    recent_day[:] = [(para_of(ent.start_char), timex)]
        for root, loc in places:
            t = assign(root.i)
            if t is not None and made[t].location is None:
                made[t].location = loc
        for tok, label in triggers:
            m = made[tok.i]
            if label == "statement":
                speaker = next(c for c in tok.children if c.dep_ == "nsubj")
                if speaker.lower_ in {"he", "she"}:
                    # "Japan, he told reporters, must ...": the person named just before him
                    m.participants = [pronoun_person[0]] if pronoun_person else []
                else:
                    m.participants = [name for r, name in persons
                                      if r.i == speaker.i or r.head.i == speaker.i][:1]
                continue
            a, b = ext[tok.i]
            speakers = {
                c.i for t2, l2 in triggers if l2 == "statement" and t2.i != tok.i for c in t2.children if c.dep_ == "nsubj"
            }
            anchor = _anchor(tok)
            for root, name in persons:
                if a <= root.i <= b and root.i not in speakers and name not in m.participants \
                        and _same_clause(root, anchor):
                    m.participants.append(name)
            one_side = {_country(tracker, p, published.year) for p in m.participants} - {None}
            if label in {"talks", "meeting"} and m.participants and len(one_side) == 1:
                # "Putin said ... after talks with Abe", "Abe told reporters after talks at Putin's
                # residence": the other side is the sentence's subject
                subj_names = [
                    name for r, name in persons if r.dep_ == "nsubj" and name not in m.participants
                    and _country(tracker, name, published.year) not in one_side | {None}
                ]
                m.participants.extend(subj_names[:1])
            if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
                # "his meeting with Kono": his = the subject of the governing verb
                verb = next((h for h in tok.ancestors if h.pos_ in {"VERB", "AUX"}), None)
                subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb else None
                if subj is not None:
                    name = next((n for r, n in persons if r.i == subj.i), None)
                    if name and name not in m.participants:
                        m.participants.append(name)
            if tok.pos_ in {"VERB", "AUX"} and tok.dep_ in {"xcomp", "advcl", "ccomp"} and not any(
                c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children
            ):
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
                name = next((n for r, n in persons if subj is not None and r.i == subj.i), None)
                if name and name not in m.participants:
                    m.participants.append(name)
            if tok.i in own:
                x, y = own[tok.i]
                for root, name in persons:
                    if x <= root.i <= y and name not in m.participants:
                        m.participants.append(name)
        for m in made.values():
            for ent in sent_ents:
                party = tracker.party_for(ent.text) if ent.label_ in {"GPE", "NORP", "ORG"} else None
                if party and (m.type != "statement"):
                    m.parties.add(party)
            for name in m.participants:
                person = tracker.person_for(name, published.year)
                if person and person.country:
                    m.parties.add(person.country)
            mentions.append(m)
    return mentions


def when(m: Mention) -> tuple[date, date] | None:
    return interval(m.timex.value) if m.timex else None
