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

from bot.extract import status as st
from bot.extract.clauses import held_back, negated, obliged, verb_above, wished_done
from bot.tracker import Tracker

PATTERNS = Path(__file__).parent / "patterns"
PHRASE = "t"  # a tracker phrase's match key: "talks|t0"
TREATY_WORDS = {"treaty", "accord", "agreement", "settlement", "deal", "conclude", "sign", "resolve",
                "solution", "resolution", "breakthrough", "pact", "finalization", "finalize"}
SUSPENDABLE = {"talk", "talks", "negotiation", "dialogue", "exchange", "trip", "activity",
               "consultation", "cooperation", "process"}
GOAL_WORDS = {"deadline", "target", "goal", "demand", "need", "expectation", "requirement", "condition", "criterion",
              "date", "timetable", "obligation", "commitment"}
# What ends, expires or runs out on a date as a deadline: a period, a truce, an interim arrangement
# ('the transition period ends on Dec 31', 'the 90 days run out in March'); not talks that end.
PERIOD_WORDS = {"period", "transition", "ceasefire", "cease-fire", "truce", "arrangement", "moratorium", "mandate",
                "extension", "window", "deadline", "day", "week", "month", "deal", "agreement", "accord", "pact",
                "plan"}
END_VERBS = {"end", "expire", "lapse", "run"}
# A country leaving a union or ceasing to be a member on a date: its exit date ('Britain will leave on
# May 22'); a person leaving for somewhere is a trip.
EXIT_VERBS = {"leave", "exit", "quit", "cease", "stop"}
# 'if both sides agree before July 1': a condition on an agreement is a deadline
AGREE_VERBS = {"agree", "sign", "conclude", "reach", "finalize", "finalise", "approve", "ratify", "decide", "settle"}
AIM_WORDS = {"aim", "target", "goal", "deadline"}
# A round is of talks unless it is of something else ('a round of tariffs') or of a vote
TALK_WORDS = {"talk", "talks", "negotiation", "consultation", "discussion", "meeting", "dialogue"}
VOTE_WORDS = {"vote", "voting", "election", "ballot", "runoff", "poll", "primary"}
# A ceremony is an event of the negotiation when it is a signing's ('signed the accord at a ceremony')
CEREMONY_WORDS = {"ceremony", "ceremonies"}
# a signing told with these is a ceremony too ('signed the accord before 2,500 guests')
CEREMONY_SIGNS = CEREMONY_WORDS | {"guests", "dignitaries"}
SIGNING_WORDS = {"sign", "signing", "ink"}
# A sitting that runs longer when extended ('a round that began on Thursday and was extended through
# Sunday'), where talks or an arrangement extended until a date have a new deadline
SITTING_WORDS = {"round", "session", "visit", "meeting", "stay", "trip", "summit", "conference", "dinner", "lunch",
                 "luncheon", "breakfast", "sitting"}
# A call: people meeting at a distance ('a phone call on September 5', 'spoke by telephone', 'held talks
# by video link'). It is a meeting held nowhere, whatever the dateline says.
CALL_MEANS = {"phone", "telephone", "video", "conference", "videoconference", "videolink", "teleconference"}
CALL_NOUNS = {"call", "calls", "videoconference", "videoconferences", "teleconference", "teleconferences"}
SPEAKING_VERBS = {"speak", "talk", "confer"}


@lru_cache(maxsize=4)
def _trigger_rows() -> tuple[tuple[str, list[dict[str, object]]], ...]:
    rows = []
    for line in (PATTERNS / "triggers.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append((row["label"], row["pattern"]))
    return tuple(rows)


# One-token patterns are matched by a dictionary lookup per token rather than by spaCy's Matcher,
# whose cost grows with every pattern it holds (bench/throughput.py).
_SINGLE_KEYS = {"LOWER", "LEMMA", "POS", "TAG", "DEP", "IS_TITLE"}
_TOKEN_ATTR = {"LOWER": "lower_", "LEMMA": "lemma_", "POS": "pos_", "TAG": "tag_", "DEP": "dep_", "IS_TITLE": "is_title"}


def _accepts(spec: object) -> frozenset[object]:
    """The values a token attribute may take: {"IN": [...]} or one value."""
    return frozenset(spec["IN"]) if isinstance(spec, dict) else frozenset([spec])


class TriggerMatcher:
    """The global trigger patterns and the tracker's own phrases (their head word is the trigger):
    calling it on a Doc gives (match_id, start, end) as spaCy's Matcher does, in text order and, at one
    start, in the order of the pattern file."""

    def __init__(self, nlp: Language, tracker: Tracker | None = None) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.order: dict[int, int] = {}
        # (key attribute, value) -> [(match_id, the other attributes' accepted values)]
        self.single: dict[tuple[str, object], list[tuple[int, list[tuple[str, frozenset[object]]]]]] = {}
        for i, (label, pattern) in enumerate(_trigger_rows()):
            key = f"{label}|{i}"
            match_id = nlp.vocab.strings.add(key)
            self.order[match_id] = i
            spec = pattern[0] if len(pattern) == 1 else {}
            index = next((k for k in ("LOWER", "LEMMA") if k in spec), None)
            if index is None or not set(spec) <= _SINGLE_KEYS:
                self.matcher.add(key, [pattern])
                continue
            others = [(_TOKEN_ATTR[k], _accepts(v)) for k, v in spec.items() if k != index]
            for value in _accepts(spec[index]):
                self.single.setdefault((_TOKEN_ATTR[index], value), []).append((match_id, others))
        rows = len(self.order)
        for i, (label, phrase) in enumerate(tracker.triggers if tracker else ()):
            key = f"{label}|{PHRASE}{i}"
            self.order[nlp.vocab.strings.add(key)] = rows + i
            self.matcher.add(key, [[{"LOWER": t.lower_} for t in nlp.make_doc(phrase)]])

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found: list[tuple[int, int, int]] = list(self.matcher(doc))
        for tok in doc:
            for attr in ("lower_", "lemma_"):
                for match_id, others in self.single.get((attr, getattr(tok, attr)), ()):
                    if all(getattr(tok, a) in ok for a, ok in others):
                        found.append((match_id, tok.i, tok.i + 1))
        found.sort(key=lambda m: (m[1], self.order[m[0]], m[2]))
        return found


def _means(tok: Token) -> bool:
    """'phone', 'telephone', 'video link', 'videoconference': a means of talking at a distance."""
    return tok.lower_ in CALL_MEANS - {"video", "conference"} or (
        tok.lower_ in {"link", "conference", "call"} and any(c.lower_ in {"video", "phone", "telephone"} for c in tok.children))


def remote(tok: Token) -> bool:
    """Whether a meeting trigger is a call: 'a phone call', 'a video conference', 'telephoned Lighthizer',
    'spoke by telephone', 'held talks by video link' (the means hangs from the trigger or its verb)."""
    if tok.lemma_ in {"telephone", "phone"} and tok.pos_ == "VERB":
        return True
    if tok.lower_ in CALL_NOUNS and tok.pos_ == "NOUN":
        return True
    if tok.lower_ in {"talks", "conference", "conferences"} and any(
            c.dep_ in {"compound", "amod", "nmod"} and c.lower_ in CALL_MEANS for c in tok.children):
        return True
    if tok.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lower_ in CALL_NOUNS and c.pos_ == "NOUN" for c in tok.children):
        return True  # "held a phone call with Lighthizer"
    # the means hangs from the trigger, the verb it is the object of, or the object of the trigger verb
    heads = [tok] + ([tok.head] if tok.dep_ in {"dobj", "nsubjpass"} and tok.head.pos_ == "VERB" else []) \
        + ([c for c in tok.children if c.dep_ == "dobj"] if tok.pos_ == "VERB" else [])
    return any(c.dep_ in {"prep", "agent"} and c.lower_ in {"by", "over", "via"} and any(g.dep_ == "pobj" and _means(g) for g in c.children)
               for h in heads for c in h.children)


# Verbs of wanting or threatening: what hangs from them as an infinitive is not done ('want Iran to
# suspend work', 'threatened to walk out of the talks', 'refused to suspend enrichment')
WANTING_VERBS = {"want", "demand", "urge", "ask", "press", "require", "insist", "seek", "refuse", "threaten", "wish"}


def only_wanted(tok: Token) -> bool:
    """Whether a verb is only wanted, demanded or threatened: an infinitive (or one conjoined to it) under a
    verb of wanting ('want Iran to halt enrichment and suspend work at Fordow')."""
    t = tok
    for _ in range(4):
        if t.dep_ == "conj":
            t = t.head
            continue
        if t.dep_ in {"xcomp", "ccomp"} and t.tag_ == "VB" and t.head.lemma_ in WANTING_VERBS:
            return True
        return False
    return False


def _a_course_named(tok: Token) -> bool:
    """'on a platform of halting the talks', 'the threat of suspending the negotiations': a gerund naming
    a course someone proposes or fears, hung from a noun by 'of'; not a suspension done."""
    t = tok.head if tok.dep_ == "conj" else tok
    if tok.tag_ == "VB" and t.dep_ in {"acl", "relcl"} and t.head.lemma_ in URGING_NOUNS:
        return True  # "the calls to suspend the talks grew louder", "a threat to walk out"
    return tok.tag_ == "VBG" and t.dep_ in {"pcomp", "pobj"} and t.head.lower_ == "of" \
        and t.head.head.pos_ in {"NOUN", "PROPN"}


# What is only urged, threatened or proposed, as nouns: 'the calls to suspend the talks'
URGING_NOUNS = {"call", "demand", "threat", "pressure", "proposal", "idea", "push", "bid", "appeal", "temptation",
                "urge", "plea", "ultimatum"}


# The words a question opens with ('What has been agreed?', 'Will the talks resume?')
QUESTION_OPENERS = {"what", "when", "where", "why", "how", "who", "which", "will", "is", "are", "does", "do", "did", "can",
            "could", "would", "has", "have", "was", "were", "should"}


def _a_question(sent: Span) -> bool:
    """A question ('What has been agreed so far?', 'Will the talks resume?'): its words tell nothing done."""
    text = sent.text.strip()
    return text.endswith("?") and sent[0].lower_ in QUESTION_OPENERS


# Verbs whose object is a deal wanted, not made ('asked for the deepest trade agreement', 'want a settlement')
HOPING_VERBS = {"want", "seek", "ask", "expect", "need", "hope", "press", "call", "push", "demand", "urge", "wish"}


def _hoped_for(tok: Token) -> bool:
    """Whether a deal noun is the object of wanting ('want a settlement', 'asked for the broadest trade
    agreement ever struck', 'still expected the outline of an agreement this summer')."""
    t = tok
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_ in {"outline", "prospect", "chance", "hope"}:
        t = t.head.head  # "the outline of an agreement", "the prospect of a deal"
    if t.dep_ == "dobj":
        return t.head.lemma_ in HOPING_VERBS
    return t.dep_ == "pobj" and t.head.lower_ == "for" and t.head.head.lemma_ in HOPING_VERBS


def trigger_matcher(nlp: Language, tracker: Tracker | None = None) -> TriggerMatcher:
    """The global trigger patterns, and the tracker's own phrases (their head word is the trigger)."""
    return TriggerMatcher(nlp, tracker)


def trigger_tokens(doc: Doc, matcher: TriggerMatcher) -> dict[int, str]:
    """The trigger token of every match and its label; the first match of a token wins, unless
    `keep_trigger` turns it down and a later match of the token passes ('gives May until April 12':
    not the agreement 'give', the deadline 'give ... until DATE')."""
    labels_of: dict[int, list[str]] = {}
    for match_id, start, end in matcher(doc):
        label, _, row = doc.vocab.strings[match_id].partition("|")
        # the first token of a match is the trigger ("round" of "round of", "by" of "by 2000"), a
        # tracker phrase's head word ("talks" of "working-level talks"); "will not continue
        # negotiations": the negated verb is
        tok = doc[start:end].root if row.startswith(PHRASE) else doc[start]
        if label == "deadline" and tok.dep_ == "compound" and start < tok.head.i < end:
            tok = tok.head  # "the March 29 exit date": the date words hang from "date"
        elif label == "agreement" and tok.lower_ == "joint" and start + 1 < len(doc) and doc[start + 1].lower_ in st.PUT_OUT:
            tok = doc[start + 1]  # "the two delegations issued a joint statement": what both sides put out
        elif label == "deadline" and tok.lower_ in {"days", "weeks", "months"} and start >= 2 \
                and doc[start - 1].like_num and doc[start - 2].lower_ in {"within", "in"}:
            # "would decide within four months": the term's preposition (one-token patterns cost less)
            tok = doc[start - 2]
        elif label == "deadline" and tok.dep_ == "neg":
            tok = tok.head  # "no later than March 23": "later" holds the date, not the verb it limits
        elif tok.dep_ == "neg" or (tok.lower_ == "no" and tok.head.pos_ in {"VERB", "ADV"}):
            tok = tok.head if tok.head.pos_ == "VERB" else tok.head.head
        labels = labels_of.setdefault(tok.i, [])
        if label not in labels:
            labels.append(label)
    for labels in labels_of.values():
        if "deadline" in labels and "agreement" in labels:
            # "the ceasefire would remain in force until October 31": the deadline phrase, longer, is the
            # surer reading of the word it shares with the agreement ("ceasefire")
            labels.sort(key=lambda lbl: lbl != "deadline")
    return {
        i: labels[0] if len(labels) == 1
        else next((lbl for lbl in labels if keep_trigger(lbl, doc[i], doc[i].sent)), labels[0])
        for i, labels in labels_of.items()
    }


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


ROUND_NOUNS = {"day", "week", "weekend", "hour", "month", "round", "session"}
# What ending brings talks back, not to a stop ('ended the stalemate', 'ends a months-long freeze')
LULL_NOUNS = {"stalemate", "deadlock", "impasse", "standoff", "stand-off", "freeze", "pause", "hiatus", "lull",
              "suspension", "boycott", "silence", "break", "breakdown"}


def suspended_objects(tok: Token) -> set[int]:
    """What a suspension trigger suspends: talks in its object or passive subject, never in its
    active subject ('the talks ended on Tuesday' is a round that finished); what is on hold."""
    held = on_hold(tok)
    if held is not None:
        return {t.i for t in held.subtree if t.lemma_ in SUSPENDABLE}
    return {
        t.i for child in tok.children if child.dep_ not in {"nsubj", "csubj", "aux", "neg"}
        for t in child.subtree if t.lemma_ in SUSPENDABLE and not _in_own_clause(t, tok)
        and not (t.lemma_ == "exchange" and t.head.lower_ == "in")  # "a pause in penalties in exchange for steps"
    }


def on_hold(tok: Token) -> Token | None:
    """'the negotiations are on hold until August', 'put the talks on hold': what is on hold, when `tok`
    is the 'on' of 'on hold' (or 'on ice')."""
    doc = tok.doc
    if tok.lower_ != "on" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ not in {"hold", "ice"}:
        return None
    head = tok.head
    if head.pos_ in {"NOUN", "PROPN"} and head.dep_ in {"dobj", "nsubjpass"} and head.head.lemma_ in PUTTING:
        return head  # "put the talks on hold": the parse may hang it from the talks
    deps = {"nsubj", "nsubjpass"} if head.lemma_ in {"be", "remain", "stay"} else {"dobj", "nsubjpass"} \
        if head.lemma_ in PUTTING else set()
    return next((c for c in head.children if c.dep_ in deps), None)


PUTTING = {"put", "place", "leave", "keep"}


def _in_own_clause(t: Token, top: Token) -> bool:
    """Whether `t` reaches `top` through a verb of its own ('talks ended ..., although they agreed to keep
    talking': the talking is not what ended)."""
    t = t.head
    while t.i != top.i and t.head.i != t.i:
        if t.pos_ in {"VERB", "AUX"}:
            return True
        t = t.head
    return False


def drop_suspended(triggers: list[tuple[Token, str]]) -> list[tuple[Token, str]]:
    """'halts talks', 'pulling out of talks': the talks are what is suspended, not an event of their own.
    A suspension denied or only supposed ('Santos did not suspend the talks', 'neither side said the talks
    should be broken off') is none, and takes its talks with it: they are no event either."""
    suspended = {i for tok, label in triggers if label == "suspension" for i in suspended_objects(tok)}
    suspensions = {t.i for t, lbl in triggers if lbl == "suspension"}
    return [(t, lbl) for t, lbl in triggers if not (lbl in {"talks", "meeting"} and t.i in suspended)
            and not (lbl == "suspension" and not_done(t))
            # "ending the suspension of the talks": the suspension (lifted) is the event, not another one
            and not (lbl == "suspension" and any(c.dep_ == "dobj" and c.i in suspensions for c in t.children))]


def not_done(tok: Token) -> bool:
    """Whether the verb telling an act denies it or only supposes it ('did not suspend', 'should be broken off')."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else verb_above(tok)
    return verb is not None and (negated(verb) or any(c.dep_ == "aux" and c.lower_ in MAYBE_AUX for c in verb.children))


def what_ends(verb: Token) -> str:
    """The lemma of what an 'end', 'expire', 'run out' verb says ends: its subject, the noun a relative
    clause hangs from ('a transition period that runs until ...', 'the ceasefire, which Santos said would
    expire on ...'), the subject of the verb it completes ('the ceasefire was set to end on ...')."""
    root = verb.sent.root
    if verb.dep_ == "acl" and verb.tag_ == "VBD" and root.pos_ in {"NOUN", "PROPN"} and root is not verb.head:
        # "The ninth round of negotiations on a trade agreement ended in Brussels on Friday": a finite verb
        # the parse hung on the nearest noun (an intransitive 'end' has no reduced relative); the sentence's
        # root noun is what ended
        return "" if any(c.dep_ == "prep" and c.lower_ == "of" for c in root.children) else root.lemma_.lower()
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None and any(c.dep_ == "prep" and c.lower_ == "of" for c in subj.children):
            return ""  # "two days of talks ended on Tuesday": the talks ended
        if subj is not None and subj.tag_ not in {"WDT", "WP"}:
            return subj.lemma_.lower()
        if subj is not None or verb.dep_ in {"relcl", "acl"}:
            clause = next((v for v in (verb, *verb.ancestors) if v.dep_ in {"relcl", "acl"}), None)
            return clause.head.lemma_.lower() if clause is not None else ""
        if verb.dep_ not in {"xcomp", "ccomp", "conj"}:
            return ""
        verb = verb.head
    return ""


def what_is_extended(verb: Token) -> Token | None:
    """What an 'extend' verb extends: its object, its subject, or the noun its relative clause hangs
    from ('a round with Liu He that began on Thursday and was extended': the parse may hang the clause
    on the person of the noun's phrase, whose noun is meant)."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is not None:
        return obj
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None and subj.tag_ not in {"WDT", "WP"}:
            return subj
        if subj is not None or verb.dep_ in {"relcl", "acl"}:
            clause = next((v for v in (verb, *verb.ancestors) if v.dep_ in {"relcl", "acl"}), None)
            noun = clause.head if clause is not None else None
            while noun is not None and noun.ent_type_ == "PERSON" and noun.head.dep_ == "prep":
                noun = noun.head.head
            return noun
        if verb.dep_ not in {"xcomp", "ccomp", "conj"}:
            return None
        verb = verb.head
    return None


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, or of the verb it completes ('Britain is due to leave': Britain)."""
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None or verb.dep_ not in {"xcomp", "acomp", "conj"}:
            return subj
        verb = verb.head
    return None


def country_exits(verb: Token) -> bool:
    """'Britain will leave on May 22', 'is due to leave the bloc at the end of March': a country
    leaving, not a person leaving for Oslo."""
    subj = subject_of(verb)
    if subj is None and verb.head.lower_ == "due" and verb.head.i > 0:
        subj = verb.doc[verb.head.i - 1]  # "with Britain due to leave on March 29": the parse loses the subject
    return bool(subj is not None and subj.ent_type_ == "GPE"
                and not any(c.dep_ == "prep" and c.lower_ in {"for", "to"} for c in verb.children))


def conditional_agreement(prep: Token) -> bool:
    """'if both sides agree before July 1', 'must be signed before May 1': a date an agreement must
    come before, in a condition or a modal clause; 'only a breakthrough before Friday could head off the
    increase': a deal a modal clause needs by then."""
    verb = prep.head
    if verb.lemma_ in TREATY_WORDS and verb.pos_ == "NOUN" and verb.head.pos_ in {"VERB", "AUX"} and any(
            c.dep_ == "aux" and c.tag_ == "MD" for c in verb.head.children):
        return True
    return verb.lemma_ in AGREE_VERBS and any(
        (c.dep_ == "mark" and c.lower_ in {"if", "unless"}) or (c.dep_ == "aux" and c.tag_ == "MD")
        for c in verb.children)


def conditional(tok: Token) -> bool:
    """'If the Commons approves the agreement next week, ...', 'unless both sides agree to extend it':
    an agreement in a condition is a hypothesis, not an event (nor is its date the agreement's)."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else verb_above(tok)
    while verb is not None and verb.dep_ == "xcomp":
        verb = verb.head  # "if they agree to sign it"
    return verb is not None and any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in verb.children)


def statement_subjects(verb: Token) -> list[Token]:
    """The subjects of a statement verb; for a participle without one, its governing verb's ('Raab
    resigned, saying he could not support the deal': Raab); for a verb conjoined without one, the
    subject of the verb it is conjoined to ('she had talks with Johnson and said'), for an infinitive of
    purpose, its governing verb's ('stood together to declare ...'), unless it tells
    someone that clause named ('summoned the ambassador and told him ...': what the meeting was for)."""
    own = [c for c in verb.children if c.dep_ == "nsubj"]
    if own:
        return own
    if verb.dep_ in {"relcl", "acl", "xcomp"} and verb.head.dep_ in {"attr", "acomp"} \
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "Hammond was the first to say so", "Lavrov was quick to say": the subject of the copula
        return [c for c in verb.head.head.children if c.dep_ == "nsubj"]
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.pos_ == "VERB":
        # "Ryabkov was quoted by Interfax as saying", "was reported as saying", "Xinhua quoted Xi as
        # saying": the one quoted
        return [c for c in verb.head.head.children if c.dep_ in {"nsubjpass", "dobj"}]
    if verb.dep_ == "conj" and any(c.dep_ in {"dobj", "dative"} and c.pos_ == "PRON" for c in verb.children):
        return own
    if verb.dep_ == "conj" or (verb.tag_ == "VBG" and verb.dep_ in {"advcl", "xcomp"}):
        return [c for c in verb.head.children if c.dep_ == "nsubj"]
    if verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "Mogherini and Zarif stood together in Vienna to declare Implementation Day": what they came for
        return [c for c in verb.head.children if c.dep_ == "nsubj"]
    return own


def told_signing(sent: Span) -> bool:
    """Whether a signing is told in `sent` or the sentence either side of it ('signed by the chief
    negotiators at a ceremony at El Laguito'; 'The accord was signed in Cartagena. Thursday's ceremony
    had 800 guests'): a ceremony then is the signing's, not a prize giving or an inauguration."""
    doc = sent.doc
    around = [sent]
    if sent.start > 0:
        around.append(doc[sent.start - 1].sent)
    if sent.end < len(doc):
        around.append(doc[sent.end].sent)
    return any(t.lemma_.lower() in SIGNING_WORDS or t.lower_ in SIGNING_WORDS for s in around for t in s)


# What is held that is no meeting: votes, people held captive, posts, positions, views
NOT_MEETINGS_HELD = VOTE_WORDS | {
    "referendum", "plebiscite", "soldier", "hostage", "captive", "prisoner", "general", "officer", "civilian", "people",
    "man", "woman", "child", "territory", "seat", "majority", "power", "office", "key", "view", "position", "line",
    "record", "lead", "stake", "share", "belief", "post", "title", "presidency", "card", "breath"}
MAYBE_AUX = {"should", "could", "might", "may"}  # what may happen, not what was done

# Papers one side signs alone: signing them is no agreement ('May signed the letter on Tuesday')
ONE_SIDED_PAPERS = {"letter", "law", "bill", "decree", "order", "petition", "notification", "note"}


def signed_paper(verb: Token) -> str:
    """The lemma of what a 'sign' verb signs: its object or passive subject; for 'it', the object or
    subject of the sentence before ('delivered the letter ... May had signed it')."""
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if obj is None or obj.lower_ not in {"it", "them"}:
        return obj.lemma_.lower() if obj is not None else ""
    sent = verb.sent
    if sent.start == 0:
        return ""
    before = verb.doc[sent.start - 1].sent
    nouns = [t for t in before if t.dep_ in {"dobj", "nsubj", "nsubjpass"} and t.pos_ == "NOUN"]
    return nouns[-1].lemma_.lower() if nouns else ""


def _holds_no_meeting(tok: Token) -> bool:
    """Whether 'hold' holds something other than a meeting: a vote ('the vote will be held', 'held a
    referendum', 'a referendum held on ...'), people ('holding two soldiers', 'Alzate is still held in
    Choco'), a post or a view ('holds the key', 'held a majority')."""
    held = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
    if tok.dep_ == "acl":
        held.append(tok.head)  # "a referendum held on the same day as the elections"
    return any(h.lemma_.lower() in NOT_MEETINGS_HELD or h.ent_type_ in {"PERSON", "NORP"} for h in held)


def _going_on_since(tok: Token) -> bool:
    """Whether the trigger, or the verb it is the object of, runs 'since' a date: going on, not one event
    (not "his first visit since taking office")."""
    verb = tok.head if tok.dep_ in {"dobj", "nsubj", "nsubjpass"} and tok.head.pos_ in {"VERB", "AUX"} else tok
    return any(c.dep_ == "prep" and c.lower_ == "since" and any(g.dep_ == "pobj" and g.ent_type_ == "DATE" for g in c.children)
               for h in {tok, verb} for c in h.children)


ARRANGED = {"meet", "visit", "travel", "hold", "resume", "reconvene", "restart", "return", "continue"}  # agreed to meet, to resume talks
# A plan sent, submitted or tabled is one side's proposal ('sent his plan for the border to Juncker on Oct 2')
PROPOSING_VERBS = {"send", "submit", "table", "present", "unveil", "propose", "deliver", "hand"}


def put_forward(noun: Token) -> bool:
    """Whether a document noun is the object of a verb putting it to the other side, or told as what
    was sent ('the proposals Johnson sent to Juncker')."""
    return (noun.dep_ in {"dobj", "nsubjpass"} and noun.head.lemma_ in PROPOSING_VERBS and not described_as(noun.head)) \
        or proposals_sent(noun)


def proposals_sent(noun: Token) -> bool:
    """'the proposals Johnson sent to Juncker on October 2': proposals told as what was sent."""
    return noun.lemma_ == "proposal" and any(c.dep_ in {"relcl", "acl"} and c.lemma_ in PROPOSING_VERBS
                                             for c in noun.children)


def described_as(verb: Token) -> bool:
    """'presented the accord as a first step': a thing described, not put to the other side."""
    return any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)


# A text or a negotiating mandate is an agreement's document when told presented, announced, agreed or
# adopted ('the new text was announced in Havana', 'will present a draft negotiating mandate on Monday'),
# not when told of otherwise ('said the text was a step in the right direction')
PAPER_WORDS = {"text", "mandate"}
PAPER_VERBS = {"agree", "adopt", "sign", "announce", "present", "approve", "endorse", "publish", "unveil", "table"}


def sentence_lemmas(sent: Span) -> frozenset[str]:
    return frozenset(t.lemma_.lower() for t in sent)


def _told_where(verb: Token, sent: Span) -> bool:
    """A meeting verb in a 'where' clause on the place of talks or a summit the sentence names outside
    it ('the negotiations move to Havana, where the delegations will sit down on November 15'): the
    clause tells more of that event, not another one."""
    clause = next((a for a in [verb, *verb.ancestors] if a.dep_ == "relcl"
                   and any(c.lower_ == "where" for c in a.children)), None)
    if clause is None:
        return False
    inside = range(clause.left_edge.i, clause.right_edge.i + 1)
    return any(t.lemma_.lower() in TALK_WORDS | SITTING_WORDS and t.i not in inside for t in sent)


def _holds_up(verb: Token) -> bool:
    """'Hold' with a subject and nothing held ('the date would not hold', 'the ceasefire held'): to
    last, not to hold a meeting; 'talks held in Vienna' and 'will hold talks' hold one."""
    if verb.pos_ != "VERB" or verb.dep_ in {"acl", "amod", "relcl"} or verb.head.lemma_.lower() in TALK_WORDS | SITTING_WORDS:
        return False  # "the two rounds our experts held": the round is what was held
    if any(c.dep_ in {"dobj", "auxpass", "nsubjpass", "xcomp", "ccomp"} for c in verb.children):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.lemma_.lower() not in TALK_WORDS | SITTING_WORDS


# What one is bound to do by a day: "had to be ready by", "agreed to take seven measures by", "wants the
# terms settled by", "promised a text by"
BINDING_VERBS = {"have", "need", "agree", "promise", "pledge", "commit", "vow", "undertake", "want", "require",
                 "demand", "insist", "oblige", "aim"}
# What a term is given for ('would decide within four months', 'must conclude within 90 days')
DECIDING_VERBS = {"decide", "determine", "conclude", "finish", "complete", "settle", "agree", "reach", "review",
                  "sign"}
DONE_WORDS = {"settle", "complete", "finish", "finalise", "finalize", "ready", "wrap"}


def obliged_by(by: Token) -> bool:
    """Whether 'by <date>' is a limit someone is held to: the verb it hangs from is a must or a should,
    what someone agreed, promised or wants done, a task 'to be announced by', or a finishing."""
    verb = by.head
    while verb.pos_ not in {"VERB", "AUX"} and verb.dep_ in {"acomp", "amod", "dobj", "attr", "prep", "pobj"} \
            and verb.head is not verb:
        verb = verb.head  # "ready by", "settled by": up to the verb of the clause
    if verb.lemma_ in DONE_WORDS or by.head.lemma_ in DONE_WORDS:
        return True
    if any(c.dep_ == "aux" and c.lower_ in {"must", "should"} for c in verb.children):
        return True
    if verb.dep_ in {"xcomp", "ccomp"} and verb.head.lemma_ in BINDING_VERBS:
        return True
    if any(c.dep_ == "aux" and c.lower_ in {"will", "shall"} for c in verb.children) \
            and any(c.dep_ == "auxpass" for c in verb.children) and verb.lemma_ not in SITTING_VERBS:
        return True  # "the final list will be announced by June 15", "a decision will be taken by Sunday"
    # "the final list of products to be announced by June 15": a task given a day
    return verb.dep_ in {"acl", "relcl"} and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


# What a meeting is done by: "talks will be held by the end of May" dates a meeting, it sets no task
SITTING_VERBS = {"hold", "meet", "convene", "open", "resume", "reconvene", "host", "stage"}


# A government's or parliament's own bodies: their sittings are that side's business, not the negotiation.
OWN_BODIES = {"cabinet", "parliament", "congress", "senate", "politburo", "caucus", "duma", "diet", "bundestag",
              "commons"}


def _a_body_of_one_side(tok: Token) -> bool:
    """'the cabinet met', 'May's cabinet met for five hours', 'a cabinet meeting', 'the meeting of the Duma'."""
    if tok.pos_ in {"VERB", "AUX"}:
        return any(c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in OWN_BODIES for c in tok.children)
    named = [c for c in tok.children if c.dep_ in {"compound", "poss", "amod"}]
    named += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    return any(c.lemma_.lower() in OWN_BODIES for c in named)


REQUEST_VERBS = {"ask", "request", "seek", "want", "urge", "propose", "demand", "require"}


def asked_for(tok: Token) -> bool:
    """'to ask the EU to delay Britain's departure until January 31': a move someone is asked for or asks
    for (the verb moving the date is what a verb of asking wants done), not a date in force."""
    verb = tok if tok.pos_ == "VERB" else tok.head if tok.dep_ in {"dobj", "nsubjpass"} else None
    if verb is not None and verb.dep_ in {"relcl", "acl"} and verb.head.dep_ == "pobj" and verb.head.head.lower_ == "for":
        # "asking for the Article 50 period to be extended to January 31": the parse hangs it from the period
        return verb.head.head.head.lemma_ in REQUEST_VERBS
    return verb is not None and verb.dep_ in {"xcomp", "ccomp"} and verb.head.lemma_ in REQUEST_VERBS


# What agreeing to is a date moved, not a deal ('agreed to the delay', 'agreed to a short extension')
MOVE_NOUNS = {"delay", "postponement", "extension", "deferral", "request"}


def _agreed_to_no_deal(agree: Token) -> bool:
    """Whether 'agree' tells no deal made: agreeing to a date moved ('had agreed to the delay at Liu's
    request'), which the deadline tells, or sharing a view ('agreed that this was a critical moment'),
    unlike a step they will take ('agreed that the treaty should ...')."""
    if any(c.dep_ == "prep" and c.lower_ == "to" and any(g.dep_ == "pobj" and g.lemma_ in MOVE_NOUNS for g in c.children)
           for c in agree.children):
        return True
    return any(c.dep_ == "ccomp" and c.lemma_ == "be" and any(o.dep_ in {"attr", "acomp"} for o in c.children)
               and not any(o.dep_ == "aux" for o in c.children) for c in agree.children) or any(
        # "agreed that an extension was needed, but left its length open": a view shared, no deal made
        c.dep_ == "ccomp" and c.lemma_ in {"need", "require"} and any(o.dep_ == "auxpass" for o in c.children)
        for c in agree.children)


def _going_out(verb: Token) -> bool:
    """Whether a verb of leaving goes out of something: 'pulled out', 'pulled its negotiators out of',
    'walked out', 'withdrew from' (its particle or preposition, wherever the object puts it)."""
    return any((c.dep_ == "prt" and c.lower_ == "out") or (c.dep_ == "prep" and c.lower_ in {"from", "out"})
               for c in verb.children) and (verb.lemma_ != "walk" or any(c.lower_ == "out" for c in verb.children))


TRUCE_WORDS = {"truce", "ceasefire", "cease-fire"}


def _one_sides(tok: Token) -> bool:
    """Whether a truce is told as one organisation's ('the FARC truce', "the rebels' ceasefire"), not agreed
    by two ('the bilateral ceasefire', 'the US-China truce')."""
    def a_side(c: Token) -> bool:
        return c.ent_type_ in {"ORG", "NORP"} or c.lemma_ in {"rebel", "guerrilla", "insurgent"} \
            or (c.ent_type_ == "GPE" and c.text.isupper())  # "the FARC truce" (a tracker's side)

    if any(c.dep_ == "amod" and c.lower_ in {"bilateral", "joint", "mutual"} for c in tok.children):
        return False
    owners = [c for c in tok.children if c.dep_ in {"poss", "compound"} and a_side(c)]
    # "the guerrillas announced the indefinite ceasefire", "the ceasefire that the FARC announced on July 8":
    # one side declaring it
    declaring = ([tok.head] if tok.dep_ == "dobj" else []) + [c for c in tok.children if c.dep_ in {"relcl", "acl"}]
    owners += [s for v in declaring if v.lemma_ in DECLARING_VERBS for s in v.children if s.dep_ == "nsubj" and a_side(s)]
    return len(owners) == 1 and not owners[0].conjuncts


def _delegations_do(verb: Token) -> bool:
    """Whether a verb's subject is the delegations ('the negotiators spent the week', 'the delegations
    return to Havana'): cues.json's "delegations" words."""
    return any(c.dep_ == "nsubj" and st.cue_word(c, "delegations") for c in verb.children)


def _joint(paper: Token) -> bool:
    """'a joint statement', 'the joint communique' (the word before it, as `trigger_tokens` reads it)."""
    return paper.i > 0 and paper.nbor(-1).lower_ == "joint"


def _both_sides_put_out(paper: Token) -> bool:
    """Whether a joint statement is the two sides' ("the two delegations issued a joint statement", "in a
    joint statement, the two governments said"), not a third party's (the guarantors' joint statement)."""
    verb = paper.head if paper.dep_ in {"dobj", "nsubjpass"} else paper.head.head if paper.dep_ == "pobj" else None
    if verb is None:
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return any(st.cue_word(s, "delegations") or any(c.lower_ in {"two", "both"} for c in s.children)
               for s in subjects)


DECLARING_VERBS = {"announce", "declare", "order", "observe", "call", "proclaim", "offer", "extend"}


# What is done with discussions that makes them a sitting ('continue the discussion in Brussels on Friday')
SITTING_DISCUSSION = {"continue", "resume", "hold", "open", "begin", "start", "conclude", "end", "wrap", "restart"}


def keep_trigger(label: str, tok: Token, sent: Span, lemmas: frozenset[str] | None = None) -> bool:
    """Whether a match in this sentence is an event of its label ('meeting the goal' is not a meeting).
    `lemmas`: the sentence's (`sentence_lemmas`), when the caller has them already."""
    lemmas = sentence_lemmas(sent) if lemmas is None else lemmas
    if _a_question(sent):
        return False  # an explainer's "What has been agreed so far?", "When do the talks resume?": asked, not told
    if label == "deadline" and tok.lower_ == "timetable" and tok.dep_ in {"dobj", "nsubjpass"} \
            and tok.head.lemma_ in {"reject", "approve", "back", "defeat", "vote", "pass"}:
        return False  # "MPs rejected its three-day timetable": a vote on a bill's programme, no deadline
    if label in {"meeting", "deadline"} and any(c.dep_ in {"dobj", "nsubjpass"} and c.lemma_ in GOAL_WORDS for c in tok.children):
        return False  # "meeting the goal", "met the deadline", "the conditions had been met": not a meeting
    if label == "agreement" and tok.lemma_ in {"set", "make", "adopt", "give"}:
        # "the goal set in 1997", "the commitment made at Krasnoyarsk": setting a target is agreeing
        pledged = {"goal", "target", "pledge", "commitment", "deadline", "promise", "timetable"}
        setters = [c for c in tok.children if c.dep_ == "nsubj"] + (
            [c for c in tok.head.children if c.dep_ in {"appos", "poss"}] if tok.dep_ in {"acl", "relcl"} else [])
        if any(c.ent_type_ == "PERSON" and not c.conjuncts for c in setters):
            return False  # "the Friday deadline Donald Trump set on Sunday": one man's deadline, agreed with nobody
        return (tok.dep_ in {"acl", "relcl"} and tok.head.lemma_ in pledged) or any(
            c.dep_ in {"dobj", "nsubjpass"} and c.lemma_ in pledged for c in tok.children
        )
    if label == "agreement" and conditional(tok):
        return False
    if label == "agreement" and tok.pos_ == "VERB" and (
            obliged(tok) or ((wish := wished_done(tok)) is not None and wish.lemma_ != "expect")):
        # "any extension has to be agreed by both sides", "want the main points agreed by March"; not
        # "expected it to be signed in early January", a signing to come
        return False
    if label == "agreement" and tok.pos_ in {"NOUN", "PROPN"} and _hoped_for(tok):
        return False  # "asked for the deepest trade agreement ever struck", "want a settlement": wanted, not made
    if label == "agreement" and tok.pos_ in {"NOUN", "PROPN"} and any(
            c.dep_ == "amod" and c.lower_ in {"unilateral", "one-sided"} for c in tok.children):
        return False  # "the FARC's unilateral ceasefire", "a unilateral truce": one side's act, agreed with nobody
    if label == "agreement" and tok.lower_ in TRUCE_WORDS and _one_sides(tok):
        return False  # "the FARC truce", "the rebels' ceasefire": one side's act
    if label == "agreement" and tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "dobj" \
            and tok.head.lemma_ in {"review", "discuss", "assess", "examine"}:
        return False  # "are to review the phase-one agreement by video link": a deal that exists, talked over
    if label == "agreement" and tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "pobj" \
            and tok.head.lower_ in {"on", "for", "toward", "towards"} \
            and (tok.head.head.lemma_.lower() in TALK_WORDS | {"round", "negotiate", "work"}):
        return False  # "the round of negotiations on a final nuclear agreement": what they talk about, no deal
    if label == "agreement" and tok.pos_ in {"NOUN", "PROPN"} and (
            any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)
            or (tok.dep_ == "pobj" and tok.head.lower_ == "without")):
        return False  # "a no-deal exit", "leave without a deal": the want of an agreement
    if label == "agreement" and tok.lower_ in st.PUT_OUT and tok.text.islower() and _joint(tok):
        return _both_sides_put_out(tok)
    if label == "agreement":
        if tok.lower_ == "plan" and not ({"agree", "adopt", "sign", "action"} & lemmas) and not put_forward(tok):
            return False
        if tok.lemma_ == "proposal" and not put_forward(tok):
            return False  # "the proposals Johnson sent to Juncker on October 2"; not "a proposal to meet"
        if tok.lemma_ == "sign" and signed_paper(tok) in ONE_SIDED_PAPERS:
            return False  # "May had signed the letter", "signed it" (the letter): one side's paper
        if tok.lemma_ == "agree" and any(c.dep_ == "xcomp" and c.lemma_ in ARRANGED for c in tok.children):
            return False  # "the two leaders agreed to meet": a meeting arranged, told by the meeting
        if tok.lemma_ == "agree" and tok.pos_ == "VERB" and any(c.dep_ == "neg" for c in tok.children):
            return False  # "he had not agreed to anything of the kind"
        if tok.lemma_ == "agree" and _agreed_to_no_deal(tok):
            return False  # "agreed to the delay", "agreed that this was a critical moment": no deal
        if tok.lower_ in PAPER_WORDS:
            return tok.dep_ in {"dobj", "nsubjpass"} and tok.head.lemma_ in PAPER_VERBS
        if tok.lemma_ == "agree" and any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children) and not any(
            c.dep_ == "xcomp" for c in tok.children
        ):
            return False  # "agreed with the assessment" is not an agreement
    if label == "summit" and tok.lower_ == "council":
        # "at a European Council in Brussels", "the European Council of April 10": the EU leaders' summit;
        # not "European Council President Donald Tusk" nor "the president of the European Council"
        if tok.i == 0 or tok.nbor(-1).lower_ != "european":
            return False
        after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        before = tok.doc[tok.i - 3] if tok.i >= 3 else None
        return not (after is not None and (after.lower_ in {"president", "presidency", "'s", "\u2019s"}
                                           or after.ent_type_ == "PERSON")) \
            and not (before is not None and before.lower_ in {"of", "to", "by"})
    if label == "meeting" and tok.lower_ in CEREMONY_WORDS:
        return told_signing(sent)
    if label == "meeting" and tok.lower_ in {"call", "calls"}:
        # "a phone call on September 5", "a call with Lighthizer"; not "a call for an extension"
        preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
        means = any(c.dep_ in {"compound", "amod", "nmod"} and c.lower_ in CALL_MEANS for c in tok.children)
        return tok.pos_ == "NOUN" and "for" not in preps and not any(c.dep_ in {"acl", "relcl"} and c.tag_ == "VB" for c in tok.children) \
            and (means or bool(preps & {"with", "between"}))
    if label == "meeting" and tok.lemma_ in SPEAKING_VERBS:
        return remote(tok)  # "spoke by telephone with Lighthizer"; not "spoke to reporters"
    if label == "meeting" and tok.lemma_ == "spend":
        # "spent Saturday in Vienna with Zarif", "spent two hours with Putin": time with someone; "the
        # negotiators spent the week in London": a sitting of the delegations; not "spent billions"
        timed = any(c.ent_type_ in {"DATE", "TIME"} or c.lemma_ in {"week", "day", "weekend", "morning", "afternoon"}
                    for c in tok.children if c.dep_ in {"dobj", "npadvmod"})
        return timed and (any(c.dep_ == "prep" and c.lower_ == "with" and any(
            t.ent_type_ == "PERSON" for t in c.subtree) for c in tok.children) or _delegations_do(tok))
    if label == "talks" and tok.lower_ in {"discussion", "discussions"}:
        # "will continue the discussion in Brussels on Friday", "the discussions resumed": a sitting held,
        # not "the discussion about the backstop"
        return tok.dep_ in {"dobj", "nsubj", "nsubjpass"} and tok.head.lemma_ in SITTING_DISCUSSION
    if label == "talks" and tok.lemma_ == "return":
        # "the delegations go home for consultations and return to Havana in June": the sides back at the
        # table (the subject may be the first verb's, 'go home ... and return'); not "Kerry returned to Washington"
        return _delegations_do(tok.head if tok.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in tok.children)
                               else tok)
    if label == "talks" and tok.lower_ == "due":
        # "the delegations are due back at the Convention Palace on Monday": the sides returning to the table
        told_for = any(c.dep_ == "prep" and c.lower_ == "for" and any(
            g.lemma_.lower() in TALK_WORDS | {"round"} for g in c.children) for c in (*tok.children, *tok.head.children))
        # "... due back in Havana this week for a new round": the round is the event told
        return not told_for and _delegations_do(tok.head)

    if label == "meeting" and tok.lemma_ in {"receive", "host"}:
        # "Santos will receive Uribe at the palace": a person received is a meeting; a letter is not.
        # In a relative clause ("Nagato, where Abe received Putin") it tells more of an event already told
        return tok.dep_ != "relcl" and any(c.dep_ == "dobj" and any(t.ent_type_ == "PERSON" for t in c.subtree) for c in tok.children)
    if label == "visit" and tok.lemma_ == "travel" and tok.pos_ == "NOUN":
        # "Lighthizer and Mnuchin travel to Beijing on Tuesday": a verb the tagger took for a noun, as its
        # subject shows; "travel to Beijing is restricted" has none
        return any(c.dep_ == "nsubj" for c in tok.children) and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to"
    if label == "agreement" and tok.lower_ == "joint":
        return False  # "joint" of no joint statement ("a joint committee")
    if label == "deadline" and tok.lower_ in {"days", "weeks", "months"}:
        return False  # a span whose preposition is no term's
    if label == "visit" and tok.lower_ == "stay" and not any(
        c.dep_ == "prep" and c.lower_ == "in" for c in tok.children
    ):
        return False
    if label == "deadline" and tok.lemma_ in {"give", "have"} and tok.dep_ in {"aux", "auxpass"}:
        return False  # "May had asked for an extension until June 30": an auxiliary, not 'has until June 30'
    if label == "deadline" and tok.lemma_ in {"extend", "prolong"} and asked_for(tok):
        return False  # "asking for the Article 50 period to be extended to January 31": asked, not done
    if label == "deadline" and tok.lemma_ in {"extend", "prolong"}:
        extended = what_is_extended(tok)  # a round extended through Sunday ran longer: no deadline
        return extended is None or extended.lemma_.lower() not in SITTING_WORDS
    if label == "deadline" and tok.lemma_ in END_VERBS:
        return what_ends(tok) in PERIOD_WORDS
    if label == "deadline" and tok.lemma_ in EXIT_VERBS and not any(
        c.dep_ == "dobj" and c.lemma_ in {"day", "week", "month"} for c in tok.children
    ):  # "that leaves eleven months to negotiate" is time given, not a country leaving
        return country_exits(tok)
    if label == "deadline" and asked_for(tok):
        return False  # "requires him to ask the EU to delay Britain's departure until January 31": asked, not done
    if label == "deadline" and tok.lower_ in {"within", "in"}:
        # "he would decide within four months whether the talks deserve to continue": a decision given
        # a term; not "in four months of talks", "met twice in three weeks"
        verb = tok.head
        return verb.lemma_ in DECIDING_VERBS and any(
            c.dep_ == "aux" and (c.tag_ == "MD" or c.lower_ == "to") for c in verb.children)
    if label == "deadline" and tok.lower_ == "before":
        return conditional_agreement(tok)
    if label == "deadline" and tok.lower_ == "by":
        if tok.head.lemma_ == "be" and tok.head.tag_ == "VBD":
            return False  # "By Monday afternoon it was clear there would be no deal": by then, no limit
        return bool((TREATY_WORDS | AIM_WORDS) & lemmas) or obliged_by(tok)
    if label == "pledge":
        # "the goal of a treaty by 2000"; or "that goal has quietly been dropped", referring back
        return bool((TREATY_WORDS | {"deadline"}) & lemmas) or is_definite(tok)
    if label == "suspension" and (only_wanted(tok) or _a_course_named(tok)):
        return False  # "the six want Iran to suspend work at Fordow", "on a platform of halting the talks"
    if label == "suspension":
        # "pulled out of the talks", "an end to visa-free exchanges", "talks were suspended",
        # "will no longer negotiate"; not "the end of this year" or "freezing assets"
        if tok.lemma_ == "end" and any(c.dep_ == "dobj" and c.lemma_ in ROUND_NOUNS for c in tok.children):
            return False  # "ended three days of talks", "ended the round": a round that finished
        if tok.lemma_ == "end" and any(c.lemma_ in LULL_NOUNS if c.dep_ == "dobj" else c.dep_ == "prep" and c.lower_ == "without"
                                       and any(g.lemma_ in SUSPENDABLE for g in c.children)
                                       for o in (tok, *(c for c in tok.children if c.dep_ == "dobj")) for c in o.children):
            return False  # "ends a long stretch without negotiations", "ended the deadlock": talks come back
        if tok.lemma_ == "end" and tok.pos_ == "VERB" and any(
                c.dep_ in {"nsubj", "npadvmod"} and any(t.lemma_ in ROUND_NOUNS for t in c.subtree) for c in tok.children):
            return False  # "Two days of talks, the second round in Almaty, ended without agreement": it finished
        if tok.lower_ == "end" and tok.dep_ == "pobj" and tok.head.lower_ in {"at", "by", "until", "before", "after", "towards"}:
            return False  # "at the end of two days of talks": when, not a suspension
        if tok.lemma_ in {"withdraw", "pull", "walk"} and not _going_out(tok):
            return False  # "pulled its team out of the talks", "withdrew from", "walked out"; not "pulled ahead"
        if tok.lemma_ == "boycott" and tok.pos_ == "NOUN":
            return bool(SUSPENDABLE & lemmas)  # "Iran ends boycott as experts prepare to resume talks"
        if tok.lower_ in {"pause", "suspension"} and tok.pos_ == "NOUN" and is_definite(tok) and not any(
                c.dep_ == "prep" and c.lower_ in {"of", "in", "on"} for c in tok.children):
            # "negotiators sat down in Havana, ending the pause the rebels declared": the talks' pause
            return bool((SUSPENDABLE | {"negotiator", "delegation"}) & lemmas)
        return tok.lemma_ in {"negotiate", "talk"} or bool(suspended_objects(tok))
    if label == "statement":
        if tok.lemma_ in {"issue", "release"} and not any(c.dep_ == "dobj" and c.lemma_ == "statement" for c in tok.children):
            return False  # "Lighthizer issued a statement" is a remark; "issued visas", "released the text" are not
        if tok.dep_ == "relcl" and tok.head.ent_type_ != "PERSON" and tok.head.pos_ in {"NOUN", "PROPN"}:
            # "the ceasefire, which Santos said would expire ...", "the declaration, which Putin has
            # acknowledged as valid": what the thing is, told in passing; not a remark of its own
            return False
        if tok.lemma_ == "call" and not any(c.dep_ in {"oprd", "acomp", "xcomp", "ccomp"} for c in tok.children):
            return False  # "called the visit regrettable" is a statement; "called off the trip" is not
        if tok.lemma_ == "call" and any(c.dep_ == "dobj" and c.tag_ in {"WP", "WDT"} for c in tok.children):
            return False  # "what he calls a flextension": a name for a thing, not a remark
        if any(c.dep_ == "aux" and c.tag_ == "MD" for c in tok.children) or any(
                c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in tok.children):
            return False  # "Salehi can tell the Leader", "whether Santos says so": a remark not made
        return any(s.ent_type_ == "PERSON" or s.lower_ in {"he", "she"} or any(
            c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in s.children) for s in statement_subjects(tok))
    if label in {"meeting", "talks", "visit", "summit"} and tok.pos_ in {"NOUN", "PROPN"} and any(
            c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return False  # "no such meeting had ever been scheduled", "no talks are planned": none
    if label in {"meeting", "talks", "visit"} and tok.pos_ == "VERB" and negated(tok) and not held_back(tok):
        return False  # "did not travel to Havana on Monday", "the leaders did not meet": no meeting
    if label in {"meeting", "talks", "visit"} and _going_on_since(tok):
        return False  # "victims have been flying to Cuba since August", "has followed the talks since 2012": a process
    if label in {"meeting", "talks"} and _a_body_of_one_side(tok):
        return False  # "May's cabinet met for five hours", "a cabinet meeting": one government's own business
    if label == "meeting" and tok.lemma_ == "hold" and any(c.dep_ == "prt" for c in tok.children):
        return False  # "hold off on a tariff increase", "hold out for more": not holding a meeting
    if label == "meeting" and tok.pos_ == "VERB" and _told_where(tok, sent):
        return False  # "the talks move to Havana, where the delegations sit down on November 15"
    if label == "meeting" and tok.lemma_ == "hold" and _holds_no_meeting(tok):
        return False  # "the next Commons vote will be held by March 12", "the FARC is holding two soldiers"
    if label == "meeting" and tok.lemma_ == "hold" and _holds_up(tok):
        return False  # "the June 30 date would not hold", "the truce has held": lasting, not meeting
    if label == "talks" and tok.lower_ in {"round", "rounds"}:
        # "the next round opens in Havana", "a round of talks"; not "a round of tariffs", "the second round
        # of voting"
        of = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        # "the round of April 20-24", "the round of last week": of its dates, a round of talks
        if not of and {"percent", "candidate", "voter"} & lemmas:
            return False  # "In the first round, on May 25, Zuluaga came first with 29 percent": an election's
        return all(g.lemma_.lower() in TALK_WORDS or g.ent_type_ == "DATE" for g in of) and not (VOTE_WORDS & lemmas)
    if label == "talks" and tok.lower_ == "consultations" and tok.dep_ == "pobj" and tok.head.lower_ == "for" \
            and not any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
        return False  # "left for Tehran for consultations", "recalled for consultations": with one's own side
    if label == "talks" and tok.lemma_ == "negotiate" and tok.tag_ == "VBG" and tok.dep_ != "ROOT":
        return False
    if label == "talks" and tok.dep_ == "pobj" and tok.head.lower_ == "of" \
            and tok.head.head.lower_ in {"months", "years", "decades"}:
        return False  # "commitments made during months of negotiations": the negotiation itself, not a round
    if label in {"talks", "meeting"} and tok.dep_ == "dobj" and tok.head.lemma_ in {"extend", "prolong"}:
        return False  # "agreed to extend their negotiations until November 24": the deadline moves, no round
    if label == "talks" and tok.lemma_ == "negotiate" and tok.tag_ == "VBN" and tok.dep_ in {"acl", "amod"}:
        return False  # "the deal negotiated by May": what the deal is, not a round of talks
    return True
