"""Status of an event mention from the words around its trigger: tense, modality and cue words."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from bot.event_types import MEETING_TYPES
from bot.extract.clauses import held_back, negated, signs
from bot.extract.timex import Tense

PATTERNS = Path(__file__).parent / "patterns"
FUTURE_AUX = {"will", "shall", "'ll", "wo", "would"}
# Modals of possibility: "might meet" looks ahead, "might have met" does not.
POSSIBLE_AUX = {"might", "may", "could", "can"}
REPORTING = {"say", "tell", "report", "announce", "add", "state", "note", "confirm", "claim", "quote", "write"}
DOCUMENTS = {"declaration", "treaty", "accord", "communique", "memorandum", "statement"}
# Documents that, named in lower case ("a joint statement"), are issued rather than signed
PUT_OUT = {"statement", "communique", "communiqu\u00e9"}
# Verbs of going whose progressive tells a journey planned ('is flying to Beijing on Monday')
GOING_ON_VERBS = {"return", "go", "travel", "fly", "head", "come"}
FUTURE_VERBS = {"plan", "schedule", "expect", "due", "set", "prepare", "intend", "aim", "hope", "decide"}


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PATTERNS / "cues.json").read_text(encoding="utf-8"))
    return data


def cue_word(tok: Token, key: str) -> bool:
    """Whether a word is one of cues.json's `key` words ("delegations", "leaders"): its lemma, or the
    word less its plural's "s" (a capitalised "Negotiators" is left unlemmatised)."""
    words = cues()[key]
    return tok.lemma_.lower() in words or tok.lower_.removesuffix("s") in words


@lru_cache(maxsize=1)
def _cue_index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for status in cues()["precedence"]:
        for lemma in cues()[status]:
            index.setdefault(lemma, []).append(status)
    return index


@lru_cache(maxsize=16)
def _cue_index_with(extra: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    """The global cue index and a tracker's own cues (one per tracker, built once)."""
    index = {k: list(v) for k, v in _cue_index().items()}
    for status, word in extra:
        index.setdefault(word, []).append(status)
    return index


WISH_VERBS = {"hope", "want", "expect", "wish", "intend", "count"}
HAPPEN_VERBS = {"hold", "take", "happen", "go", "come", "convene", "reconvene", "open", "start", "restart", "begin", "resume"}


def _hoped_of_it(clause: Token) -> bool:
    """'a summit the prime minister had hoped would give her strategy fresh momentum': what the event
    was hoped to bring, not whether it would be held (which 'a summit they hope will be held' says)."""
    wish = clause.lemma_ in WISH_VERBS or clause.lower_ in {"hoped", "hoping", "hopes"}  # the model lemmatises "hop"
    return clause.dep_ in {"relcl", "acl"} and wish and any(
        c.dep_ == "ccomp" and c.lemma_ not in HAPPEN_VERBS for c in clause.children)


def context_tokens(trigger: Token) -> list[Token]:
    """The trigger, its modifiers and the verb chain it hangs from, up to the clause that governs it."""
    out = [trigger]
    out.extend(c for c in trigger.children if c.dep_ in {"amod", "aux", "auxpass", "neg", "advmod", "acl", "prt", "relcl"}
               and not _hoped_of_it(c))
    out.extend(c for c in trigger.ancestors if c.dep_ == "prep" and c.lower_ == "since")
    # "the accord on rural development announced in Havana": the parse hangs the participle on the noun
    # of the trigger's own "on"/"of" phrase
    out.extend(g for p in trigger.children if p.dep_ == "prep" and p.lower_ in {"on", "of"}
               for n in p.children if n.dep_ == "pobj" for g in n.children if g.dep_ == "acl" and g.tag_ == "VBN")
    head = trigger
    for _ in range(4):
        if head.dep_ in {"ROOT"} or head.head is head:
            break
        if head.dep_ in {"pobj", "dobj", "nsubj", "nsubjpass", "attr", "xcomp", "ccomp", "conj", "prep", "appos", "compound", "acl", "relcl", "advcl", "pcomp", "agent", "oprd", "dative"}:
            if head.dep_ in {"ccomp", "parataxis"} and head.head.lemma_ in REPORTING:
                break  # "..., officials said": the reporting verb's tense is not the event's
            head = head.head
            if head.pos_ in {"VERB", "AUX"}:
                out.append(head)
                out.extend(c for c in head.children if c.dep_ in {"aux", "auxpass", "neg", "prt", "advmod", "xcomp"})
                if (
                    head.dep_ in {"xcomp", "ccomp", "advcl", "relcl", "acl"} and head.head.pos_ in {"VERB", "AUX"}
                    and head.head.lemma_ not in REPORTING
                ):
                    # "plans to visit", "was scheduled to meet": the governing verb carries the mood
                    gov = head.head
                    out.append(gov)
                    out.extend(c for c in gov.children if c.dep_ in {"aux", "auxpass", "neg"})
                plans = head.head
                if head.dep_ in {"acl", "relcl"} and plans.lemma_ in PLAN_NOUNS and plans.dep_ in {"dobj", "nsubjpass"}:
                    # "called off plans for Liu He to lead a delegation ... for trade talks": what befalls
                    # the plans befalls the talks they are for
                    out.append(plans.head)
                    out.extend(c for c in plans.head.children if c.dep_ in {"aux", "auxpass", "neg", "prt"})
                break
        else:
            break
    # "a visit ... tentatively scheduled for", "a meeting, to take place on"
    for child in trigger.children:
        if child.dep_ in {"acl", "relcl"}:
            out.extend(c for c in child.children if c.dep_ in {"aux", "auxpass", "advmod"})
    return out


PLAN_NOUNS = {"plan", "preparation", "arrangement", "proposal", "invitation", "idea"}


def _was_to_have(verb: Token) -> bool:
    """'were to have resumed', 'was to have been held': what was planned and did not happen."""
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    return verb.tag_ == "VBN" and {"to", "have"} <= aux and verb.head.lemma_ == "be" and verb.head.tag_ == "VBD"


def _acts_on_another(verb: Token, tokens: list[Token]) -> bool:
    """Whether a verb's object is a noun of its own, not the trigger or what the trigger hangs on
    ('delayed Britain's exit' says nothing of the summit the sentence is at)."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    # "shelved plans for a special meeting": the plans hold the trigger, so acting on them is acting on it
    return bool(objects) and all(o not in tokens and o.pos_ in {"NOUN", "PROPN"}
                                 and not any(t.i == tokens[0].i for t in o.subtree) for o in objects)


def _no_longer(tok: Token) -> bool:
    return any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in tok.children)


def _has_particle(verb: Token, particle: str) -> bool:
    """'called off', or a phrase of preposition and noun: 'put on hold'."""
    if " " not in particle:
        return any(c.lower_ == particle for c in verb.children)
    words = particle.split()
    clause = [t.lower_ for t in verb.subtree]  # the parse may hang "on hold" on the object
    return any(clause[i:i + len(words)] == words for i in range(len(clause)))


def cue_statuses(tokens: list[Token], extra: tuple[tuple[str, str], ...] = ()) -> list[str]:
    """Every status a cue among `tokens` points to, in the order of cues.json's precedence; `extra`:
    a tracker's own (status, word) cues, on top of the global ones.
    The trigger itself (tokens[0]) is not a cue: 'a visit' says nothing about whether it happened."""
    index = _cue_index_with(extra) if extra else _cue_index()
    particles = cues()["particles"]
    found: set[str] = set()
    if any(_no_longer(tok) for tok in tokens):
        found.add("dropped")  # "Britain will no longer leave on March 29": that date is given up
    for tok in tokens[1:]:
        if negated(tok) and held_back(tok):
            found.add("postponed")  # "the round will not open before then", "won't resume until they are freed"
            continue
        if negated(tok):
            continue  # "no date has been set", "did not hold"
        if _was_to_have(tok):
            found.add("postponed")  # "the talks were to have resumed this week": they did not
            continue
        lemma = tok.lemma_.lower()
        low = tok.lower_
        if signs(tok):
            found.add("signed")  # "put their names to the accord"
            continue
        pair = f"{tok.nbor(-1).lower_} {low}" if tok.i > tok.sent.start else ""
        for key in (lemma, low, pair):
            for status in index.get(key, []):
                if status == "held" and tok.tag_ not in {"VBD", "VBN"}:
                    continue  # "hopes to hold the summit" is not a summit held
                if status in {"postponed", "cancelled", "dropped"} and _acts_on_another(tok, tokens):
                    continue  # "at a summit ... leaders agreed to push the date back": the date moves
                if key in particles and not any(_has_particle(tok, p) for p in particles[key]):
                    continue
                found.add(status)
    return [s for s in cues()["precedence"] if s in found]


def tense_of(tokens: list[Token]) -> Tense | None:
    """'future' | 'past' | 'present' | None from the verb chain of a trigger."""
    if any(t.lower_ == "since" and t.dep_ == "prep" for t in tokens):
        return "past"  # "their first meeting since the visit in September"
    for tok in tokens:
        if tok.lower_ in FUTURE_AUX or tok.tag_ == "MD" and tok.lower_ in {"will", "shall"}:
            return "future"
        if tok.tag_ == "MD" and tok.lower_ in POSSIBLE_AUX and tok.head.tag_ == "VB" and not any(
            c.lemma_ == "have" for c in tok.head.children
        ):
            return "future"  # "Trump and Xi might meet at the G20": what may happen lies ahead
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if tok.lemma_ == "be" and nxt is not None and nxt.lower_ == "to" and tok.tag_ in {"VBZ", "VBP"}:
            return "future"  # "the summit is to be held", "Mori is to travel"
    for tok in tokens:
        if tok.tag_ == "VBG" and tok.lemma_ in GOING_ON_VERBS and any(
                c.dep_ == "aux" and c.lemma_ == "be" for c in tok.children) and any(
                c.dep_ == "prep" and c.lower_ == "to" for c in tok.children):
            return "future"  # "the negotiators were returning to Havana", "is flying to Beijing": a journey planned
        if tok.lemma_ in FUTURE_VERBS and tok.pos_ in {"VERB", "ADJ"} and tok.tag_ not in {"VBD"} and not (
                tok.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.lower_ in {"was", "were"} for c in tok.children)):
            return "future"  # "is planned", "plans to"; not "was prepared at a dinner on Monday", done
        if tok.tag_ == "VB" and any(c.tag_ == "TO" for c in tok.children) and (
            tok.dep_ in {"acl", "relcl"} or tok.head.lemma_ in FUTURE_VERBS | {"be"}
        ):
            return "future"  # "a meeting to take place", "is to visit", "plans to travel"
    for tok in tokens:
        if tok.tag_ in {"VBD", "VBN"} and tok.pos_ in {"VERB", "AUX"}:
            return "past"
    for tok in tokens:
        if tok.tag_ in {"VBZ", "VBP"}:
            return "present"
    return None


MEETING_ORDER = ("cancelled", "postponed", "proposed", "scheduled", "held")


def decide_status(
    event_type: str,
    statuses: list[str],
    tense: str | None,
    when: tuple[date, date] | None,
    published: date,
    trigger_lemma: str = "",
) -> str:
    """The status in force at `published`, from cues first, then the date, then the tense."""
    if event_type in MEETING_TYPES:
        for s in ("cancelled", "postponed"):
            if s in statuses:
                return s
        if when and when[1] < published:
            return "held"
        proposed_only = "proposed" in statuses and "scheduled" not in statuses
        if when and when[0] > published:
            return "proposed" if proposed_only else "scheduled"
        if proposed_only and "held" not in statuses:
            return "proposed"  # "has invited Putin to visit": the past tense is the inviting
        if tense == "past" or "held" in statuses:
            return "held"
        if "scheduled" in statuses:
            # "expected to meet Xi in the near future but gave no date": nothing is set without a date
            return "scheduled" if when else "proposed"
        if tense == "future":
            # "Putin will visit Japan": announced; without a date it is not yet scheduled
            return "scheduled" if when else "proposed"
        if tense in {None, "present"} and when and when[1] > published:
            return "scheduled"  # "Lighthizer and Mnuchin fly to Beijing this week": the week is still going on
        return "proposed" if when is None else "held"
    if event_type == "agreement":
        if trigger_lemma in {"sign", "ink"} and tense != "future" and "proposed" not in statuses:
            return "signed"  # not "hoped to sign the agreement"
        if trigger_lemma == "agree" and tense != "future":
            return "agreed"
        # a document of record is signed ("the 1956 declaration, under which Moscow offered ..."),
        # unless the article tells it agreed ("the declaration was agreed in principle on Thursday")
        of_record = "agreed" not in statuses
        if trigger_lemma in DOCUMENTS and when and when[1] < published and of_record:
            return "signed"
        if when and when[1] < published and not ("proposed" in statuses and "agreed" not in statuses):
            signed = "signed" in statuses or (trigger_lemma in {"declaration", "treaty", "accord"} and of_record)
            return "signed" if signed else "agreed"
        if "signed" in statuses and "proposed" not in statuses:
            return "signed"
        if "proposed" in statuses or tense == "future":
            return "proposed"
        return "agreed"
    if event_type in {"deadline", "pledge"}:
        for s in ("met", "dropped", "missed"):
            if s == "missed" and when and when[0] > published:
                continue  # "the plan expires on July 20", told in February: a date still to come
            if s in statuses:
                return s
        if when and when[1] < published:
            return "missed"  # the date passed with nothing to say it was met
        return "active"
    if event_type == "suspension":
        return "lifted" if "lifted" in statuses else "in_effect"
    return "made"
