"""Event triggers of a parsed article: the Matcher built from patterns/triggers.jsonl and a tracker's
own phrases, the token each match stands for, and the rules that keep a match as an event
('meeting the goal' is not a meeting). Pure apart from the pattern file, read once."""

from __future__ import annotations

import json
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from bot.tracker import Tracker

PATTERNS = Path(__file__).parent / "patterns"
PHRASE = "t"  # a tracker phrase's match key: "talks|t0"
TREATY_WORDS = {"treaty", "accord", "agreement", "settlement", "deal", "conclude", "sign", "resolve",
                "solution", "resolution", "breakthrough", "pact", "finalization", "finalize"}
SUSPENDABLE = {"talk", "talks", "negotiation", "dialogue", "exchange", "trip", "activity", "program", "programme",
               "consultation", "cooperation", "process"}
GOAL_WORDS = {"deadline", "target", "goal", "demand", "need", "expectation", "requirement", "condition", "criterion"}


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


def trigger_tokens(doc: Doc, matcher: Matcher) -> dict[int, str]:
    """The trigger token of every match and its label; the first match of a token wins."""
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
    return by_token


def by_sentence(by_token: dict[int, str], starts: list[int]) -> list[list[tuple[int, str]]]:
    """The triggers of each sentence (given the sentences' first tokens), in text order."""
    triggers_of: list[list[tuple[int, str]]] = [[] for _ in starts]
    for i, label in sorted(by_token.items()):
        triggers_of[bisect_right(starts, i) - 1].append((i, label))
    return triggers_of


def is_definite(tok: Token) -> bool:
    """'the talks', 'this summit', 'their meeting': a noun trigger that may refer back."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    for child in tok.children:
        if child.dep_ == "det" and child.lower_ in {"the", "this", "that", "these", "those"}:
            return True
        if child.dep_ == "poss":
            return True
    return False


def suspended_objects(tok: Token) -> set[int]:
    """What a suspension trigger suspends: talks in its object or passive subject, never in its
    active subject ('the talks ended on Tuesday' is a round that finished)."""
    return {
        t.i for child in tok.children if child.dep_ not in {"nsubj", "csubj", "aux", "neg"}
        for t in child.subtree if t.lemma_ in SUSPENDABLE
    }


def drop_suspended(triggers: list[tuple[Token, str]]) -> list[tuple[Token, str]]:
    """'halts talks', 'pulling out of talks': the talks are what is suspended, not an event of their own."""
    suspended = {i for tok, label in triggers if label == "suspension" for i in suspended_objects(tok)}
    return [(t, lbl) for t, lbl in triggers if not (lbl in {"talks", "meeting"} and t.i in suspended)]


def conditional(tok: Token) -> bool:
    """'If the Commons approves the agreement next week, ...', 'unless both sides agree to extend it':
    an agreement in a condition is a hypothesis, not an event (nor is its date the agreement's)."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    while verb is not None and verb.dep_ == "xcomp":
        verb = verb.head  # "if they agree to sign it"
    return verb is not None and any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in verb.children)


def keep_trigger(label: str, tok: Token, sent: Span) -> bool:
    """Whether a match in this sentence is an event of its label ('meeting the goal' is not a meeting)."""
    lemmas = {t.lemma_.lower() for t in sent}
    if label in {"meeting", "deadline"} and any(c.dep_ == "dobj" and c.lemma_ in GOAL_WORDS for c in tok.children):
        return False  # "meeting the goal", "met the deadline": not a meeting
    if label == "agreement" and tok.lemma_ in {"set", "make", "adopt", "give"}:
        # "the goal set in 1997", "the commitment made at Krasnoyarsk": setting a target is agreeing
        pledged = {"goal", "target", "pledge", "commitment", "deadline", "promise", "timetable"}
        return (tok.dep_ in {"acl", "relcl"} and tok.head.lemma_ in pledged) or any(
            c.dep_ in {"dobj", "nsubjpass"} and c.lemma_ in pledged for c in tok.children
        )
    if label == "agreement" and conditional(tok):
        return False
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
        return bool((TREATY_WORDS | {"deadline"}) & lemmas) or is_definite(tok)
    if label == "suspension":
        # "pulled out of the talks", "an end to visa-free exchanges", "talks were suspended",
        # "will no longer negotiate"; not "the end of this year" or "freezing assets"
        return tok.lemma_ in {"negotiate", "talk"} or bool(suspended_objects(tok))
    if label == "statement":
        if tok.lemma_ == "call" and not any(c.dep_ in {"oprd", "acomp", "xcomp", "ccomp"} for c in tok.children):
            return False  # "called the visit regrettable" is a statement; "called off the trip" is not
        return any(
            c.dep_ == "nsubj" and (c.ent_type_ == "PERSON" or c.lower_ in {"he", "she"}) for c in tok.children
        )
    if label == "talks" and tok.lemma_ == "negotiate" and tok.tag_ == "VBG" and tok.dep_ != "ROOT":
        return False
    return True
