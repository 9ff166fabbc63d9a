"""Which clause a word belongs to, read from the dependency parse: the verb a noun trigger is an
argument of ('the talks were held' -> held), whether a word is in that verb's own clause, whether a
date reaches a trigger through a clause of its own or a 'since ...' clause, and the tense of the verb
a date hangs from. Pure: tokens in, tokens and flags out."""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Span, Token

from bot.extract import status as st
from bot.extract.timex import Tense

CLAUSE_DEPS = {"advcl", "ccomp", "parataxis", "csubj"}
# Verbs that tell an event happening, so their time and place are the event's.
ANCHOR_VERBS = {
    "hold", "resume", "restart", "reconvene", "open", "begin", "start", "end", "conclude", "wrap", "take", "make", "pay", "attend",
    "host", "continue", "go", "complete", "finish", "cut", "postpone", "cancel", "delay", "schedule", "plan",
    "set", "expect", "arrange", "put", "call", "agree", "produce", "close", "reach", "launch",
    "stage", "convene", "break", "suspend", "halt", "freeze", "sign", "adopt", "issue", "release", "announce",
    "remain", "come", "bring", "mark", "move", "push", "endorse", "approve", "ratify", "run", "last",
}
ANCHOR_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "oprd"}
# Verbs putting a document to the other side: their time and place are the document's ('sent his plan to
# Juncker on Oct 2'); not a meeting's ('proposed on Monday a summit in March')
PUT_FORWARD_VERBS = {"send", "submit", "table", "present", "unveil", "deliver", "hand"}
PAPERS = {"plan", "text", "mandate", "proposal", "draft", "agreement", "accord", "deal", "declaration"}
# Prepositions that make 'be' tell when or where a thing takes place ('the summit will be in Brunei')
BE_WHEN_WHERE = {"on", "in", "at", "from", "between"}
WHEN_WHERE_ENTS = {"DATE", "GPE", "LOC", "FAC"}
STRETCH_UNITS = {"hour", "day", "week", "month", "night"}  # "two days of talks"


def span_of(tok: Token) -> tuple[int, int]:
    """The first and last token index of `tok`'s phrase."""
    return tok.left_edge.i, tok.right_edge.i


def verb_above(tok: Token) -> Token | None:
    """The nearest verb `tok` hangs from ('on October 31' -> 'expire'), None at the root."""
    return next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)


def anchor_of(tok: Token) -> Token:
    """The verb whose clause a noun trigger is an argument of ('the talks were held' -> held;
    'travel to Moscow for talks' -> travel; 'two days of talks ended on Friday' -> ended)."""
    stretch = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
    if stretch is not None and stretch.lemma_.lower() in STRETCH_UNITS:
        return anchor_of(stretch)  # "two days of talks", "hours of negotiations": the time the talks took
    if (
        tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ in ANCHOR_DEPS and tok.head.pos_ in {"VERB", "AUX"}
        and tok.head.lemma_ in ANCHOR_VERBS
    ):
        return tok.head  # "the talks resumed in Moscow", "held talks on Friday"; not "called the visit regrettable"
    if tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
        # "talks are to resume in December", "the summit is to open on Monday": the verb of 'be to'
        planned = [c for c in tok.head.children if c.dep_ == "xcomp" and c.lemma_ in ANCHOR_VERBS
                   and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux")]
        if planned:
            return planned[0]
        told = list(tok.head.children)
        if not any(c.dep_ in {"attr", "acomp"} for c in told) and any(  # not "the round will be his third visit"
                c.dep_ == "npadvmod" and c.ent_type_ == "DATE" or c.dep_ == "prep" and c.lower_ in BE_WHEN_WHERE
                and any(o.dep_ == "pobj" and o.ent_type_ in WHEN_WHERE_ENTS for o in c.children) for c in told):
            return tok.head  # "the next round will be on January 20 in Geneva", "their next meeting would be next week"
    if tok.dep_ in {"dobj", "nsubjpass"} and tok.lemma_.lower() in PAPERS and tok.head.lemma_ in PUT_FORWARD_VERBS:
        return tok.head
    if (
        tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "pobj" and tok.head.lower_ in {"for", "during", "at"}
        and tok.head.head.pos_ in {"VERB", "AUX"}
    ):
        return tok.head.head
    if tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "pobj" and tok.head.lower_ == "to" and signs(tok.head.head):
        return tok.head.head  # "put their names to the agreement": the signing verb
    return tok


# "put their names to the accord", "set their signatures to it": signing told without "sign"
SIGNATURE_VERBS = {"put", "set", "affix"}
SIGNATURE_WORDS = {"name", "signature"}


def signs(verb: Token) -> bool:
    """Whether a verb is a signing told as putting names or signatures to a document."""
    return verb.lemma_ in SIGNATURE_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in SIGNATURE_WORDS for c in verb.children)


def same_clause(tok: Token, anchor: Token) -> bool:
    """Whether tok belongs to the anchor's own clause, not to a clause conjoined or subordinated to it
    ('Kono is expected in Moscow ..., and Putin and Mori are due to meet in Brunei')."""
    while tok.i != anchor.i and tok.head.i != tok.i:
        if tok.dep_ in CLAUSE_DEPS or (tok.dep_ == "conj" and tok.pos_ in {"VERB", "AUX"}):
            return False
        tok = tok.head
    return True


def through_clause(root: Token, trigger: Token) -> bool:
    """Whether the date reaches the trigger through a clause of its own (a relative clause's verb)."""
    tok = root
    while tok.i != trigger.i and tok.head.i != tok.i:
        if tok.pos_ == "VERB" and tok.dep_ in {"relcl", "acl"}:
            return True
        tok = tok.head
    return False


def since(ent: Span) -> bool:
    """'since the early 1990s', 'first meeting since September', 'since Abe returned to power in 2012':
    a starting point, not the event's date."""
    return ent.root.dep_ == "pobj" and ent.root.head.lower_ == "since"


def since_clause(ent: Span) -> Token | None:
    """The verb of the 'since ...' clause a date sits in ('since Abe returned to power in 2012')."""
    verb = next((t for t in ent.root.ancestors if t.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return None
    if any(c.dep_ in {"mark", "prep"} and c.lower_ == "since" for c in verb.children):
        return verb
    if verb.head.lower_ == "since" and verb.head.i != verb.i:
        return verb.head  # parsed as a preposition with its clause
    return None


# Verbs of calling an event off, and of putting it off: the event they name was still to come when they
# were done ('call' and 'put' only with their particle: 'called off', 'put off', 'put back')
CANCELLING = {"cancel", "call", "scrap", "axe", "abandon", "scrub"}
CALLING_OFF = CANCELLING | {"shelve", "postpone", "delay", "defer", "put"}
_PARTICLES = {"call": {"off"}, "put": {"off", "back"}}


def calls_off(verb: Token, verbs: set[str] = CALLING_OFF) -> bool:
    """Whether a verb calls off or puts off what it names ('called off the March 3 talks', 'postponed')."""
    needed = _PARTICLES.get(verb.lemma_)
    return verb.lemma_ in verbs and (needed is None or any(c.dep_ == "prt" and c.lower_ in needed for c in verb.children))

# What had ended had happened: "whose last session in Almaty in April had ended" is last April.
DONE_VERBS = {"end", "close", "finish", "conclude", "wrap", "collapse", "break", "hold", "meet", "sign", "agree"}


# Verbs of wanting a thing done: "wanted its details settled by June" looks ahead of the wanting.
WISHING_VERBS = {"want", "expect", "need", "hope", "wish", "like", "prefer"}


def wished_done(tok: Token) -> Token | None:
    """The verb of wanting a participle tells a thing wanted done by ('wanted its details settled', 'wants
    the agreement settled': the parse hangs it on the verb or on its object), else None."""
    if tok.tag_ != "VBN":
        return None
    thing = tok.head
    while thing.dep_ == "pobj" and thing.head.lower_ == "of":
        thing = thing.head.head  # "want the main points of a framework agreed": the points are the object
    wishing = tok.head if tok.dep_ in {"ccomp", "xcomp", "oprd"} else (
        thing.head if tok.dep_ == "acl" and thing.dep_ == "dobj" else None)
    return wishing if wishing is not None and wishing.lemma_ in WISHING_VERBS else None


def obliged(verb: Token) -> bool:
    """Whether a verb is told as what must be done ('has to be agreed by both sides', 'must be signed',
    'needs to be approved'): a requirement, not a thing done."""
    if any(c.dep_ == "aux" and c.lower_ in {"must", "should"} for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_ in {"have", "need"} \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _plan_told_past(root: Token) -> bool:
    """'The plan to sign it at the summit in November fell through', 'the idea was to meet in March': the
    date's verb is an infinitive qualifying a noun whose own clause is past. The plan lay ahead of its
    making, not of the report: its date is the nearest one, either side."""
    verb = next((a for a in root.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) or verb.tag_ != "VB":
        return False
    if verb.dep_ in {"xcomp", "advcl"} and verb.head.lemma_ == "be" and verb.head.tag_ == "VBD":
        # "the plan then was for Trump and Xi to sign it there in mid-November"
        return any(c.dep_ == "nsubj" and c.lemma_ in st.PLAN_NOUNS for c in verb.head.children)
    if verb.dep_ != "acl":
        return False
    noun = verb.head
    clause = noun.head if noun.dep_ in {"nsubj", "nsubjpass"} else None
    return clause is not None and clause.pos_ in {"VERB", "AUX"} and clause.tag_ == "VBD"


def date_tense(root: Token) -> Tense | Literal["any"] | None:
    """The tense of the verb a date hangs from: 'planned for April 16' looks ahead even when the
    sentence around it is past ('... has been postponed')."""
    if _plan_told_past(root):
        return "any"
    tok = root
    for _ in range(3):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ == "VERB" and tok.tag_ == "VBG" and tok.lemma_ in {"follow", "succeed"}:
            return "past"  # "following the summit in September": it came before
        copula = tok.pos_ == "AUX" and tok.dep_ not in {"aux", "auxpass"} and (
            root.head.i == tok.i or root.dep_ == "pobj" and root.head.head.i == tok.i)  # "would be on January 20"
        if tok.pos_ == "VERB" or copula:
            # the verb's own tense ("reached in Singapore on November 14", "would be on January 20": a copula
            # too), not a governing clause's
            own = [tok, *(c for c in tok.children if c.dep_ in {"aux", "auxpass", "neg"})]
            tense = st.tense_of(own) or st.tense_of(st.context_tokens(tok))
            # "to hold", and the passive "to be agreed"
            infinitive = (tok.tag_ == "VB" or any(c.dep_ == "auxpass" and c.lower_ == "be" for c in tok.children)) \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and tok.dep_ == "xcomp" \
                    and tok.head.lemma_ == "be" and tok.head.tag_ in {"VBZ", "VBP"}:
                return "future"  # "the second round is to be held in the week of July 17": still to come
            if tense == "past" and infinitive:
                return "any"  # "agreed to hold talks in early October": after the agreeing, maybe before the report
            wishing = wished_done(tok)
            if tense == "past" and wishing is not None:
                # "wants the agreement settled by October": ahead; "wanted its details settled by June": after
                # the wanting, maybe after the report
                return "future" if wishing.tag_ in {"VBZ", "VBP"} else "any"
            if tense == "past" and calls_off(tok):
                return "any"  # "the minister called off the March 3 talks": called off before, maybe still ahead
            if tense in {None, "present"} and infinitive and tok.dep_ in {"xcomp", "advcl", "ROOT"}:
                # "Brexit talks to resume on Monday", "hopes to meet Xi on Friday": still to come; not "the plan
                # to sign it in November fell through", whose time is the sentence's
                return "future"
            if tense != "future" and (tok.lemma_ in st.FUTURE_VERBS or (any(c.lower_ == "had" for c in tok.children)
                                                                     and tok.lemma_ not in DONE_VERBS)):
                # "(had been) planned for April 16", "the summit was prepared at a dinner on Monday, October 16":
                # the nearest such day, either side
                return "any"
            return tense
    return None


def held_back(verb: Token) -> bool:
    """Whether a verb is told as not happening before or until something ('will not open before then',
    'will not resume until the captives are freed'): put off, not called off."""
    def until(t: Token) -> bool:
        return t.lower_ in {"before", "until", "till"}

    return verb.pos_ in {"VERB", "AUX"} and any(
        (c.dep_ in {"prep", "mark"} and until(c)) or (c.dep_ == "advcl" and any(m.dep_ == "mark" and until(m) for m in c.children))
        for c in verb.children)


def negated(tok: Token) -> bool:
    """Whether a verb is told as not done: 'did not meet', 'no date has been set', 'neither government
    has abandoned it'."""
    for child in tok.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in {"nsubj", "nsubjpass"} and (
            child.lower_ in {"neither", "none", "nobody"}
            or any(g.dep_ in {"det", "preconj"} and g.lower_ in {"no", "neither"} for g in child.children)
        ):
            return True
    return False
