"""Places a sentence uses as places: entities after a locative preposition ('in Tokyo'), 'the city of
X', a compound of an event noun ('the Brunei summit'), and 'the Japanese capital'. A country named as
a party is not a place. Pure: a parsed span and the tracker in, place names out."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from bot.tracker import Place, Tracker

LOCATIVE = {"in", "at", "to", "near", "outside", "inside", "on"}
# What is held somewhere: "the Brunei summit", "the Munich Security Conference"
GATHERING_NOUNS = {"summit", "talk", "talks", "meeting", "visit", "negotiation", "round", "conference", "trip", "forum"}
# What is made rather than held: "the Geneva deal" was made there; a document named after a place ("the Tokyo
# Declaration") was made there once, and names no place of today's events
DOCUMENT_NOUNS = {"deal", "agreement", "accord", "pact", "declaration", "pledge"}
EVENT_NOUNS = GATHERING_NOUNS | DOCUMENT_NOUNS
VENUE_NOUNS = {"hotel", "palace", "residence", "embassy", "guesthouse", "villa", "resort", "chancellery", "hall",
               "centre", "center", "headquarters", "office", "ministry"}
SPEECH_NOUNS = {"address", "speech", "broadcast", "statement", "remark", "briefing", "speak"}
PLACE_NOUNS = {"city", "town", "resort", "port", "village", "island", "islands", "capital", "region", "prefecture",
               "republic", "province", "islet", "islets", "department", "state", "county", "district", "municipality"}


def locative(ent: Span, tracker: Tracker) -> str | None:
    """The place an entity names when the sentence uses it as a place ('in Tokyo', 'the Brunei summit')."""
    root = ent.root
    place = tracker.place_for(ent.text) or _known_whole(ent, tracker)
    # a place the tracker does not know (Denver, Lima) is still a place when used as one
    name = place.name if place else plain_place(ent)
    seat = _party_seat(ent, tracker) if place is None else None
    if seat is not None:
        return seat
    landmark = landmark_city(ent, tracker) if place is None else None
    name = landmark or name
    if name is None:
        return None
    if place is None and landmark is None and any(ch.isdigit() for ch in name):
        return None  # "the G7 summit", "the P5+1 talks": a group of countries, not a place
    if place is None and landmark is None and tracker.is_keyword(name):
        return None  # "the November Brexit summit": the tracker's subject, which the model may take for a place
    party = tracker.party_for(name) if place is None and landmark is None else None
    if party is not None and party != name and tracker.capital_of(party):
        # "at the European Commission", "the Kremlin": a party's other name, not a place, when the
        # tracker says where the party sits (its capital, a place the dateline or the text may give)
        return None
    head = root.head
    if root.dep_ == "dobj" and head.lemma_ in {"visit", "tour"}:
        return name  # "Putin visited Tokyo in September", "Kono will visit Moscow"
    if root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return None  # "according to Xinhua", "according to Tehran": who tells it, not where
    if root.dep_ == "pobj" and head.lower_ == "on" and tracker.party_for(ent.text) is not None:
        return None  # "called on Britain to move", "tariffs on China": a side acted on, never where it happened
    if root.dep_ == "pobj" and head.lower_ in LOCATIVE:
        return name
    if root.dep_ == "pobj" and head.lower_ == "from" and head.head.lemma_ in SPEECH_NOUNS:
        return name  # "in a televised statement from Downing Street", "speaking from Geneva": where it was said
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_ in PLACE_NOUNS:
        return name  # "the Siberian city of Irkutsk", "the island of Kunashir"
    if root.dep_ == "appos" and head.lemma_ in PLACE_NOUNS:
        return name
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "PROPN" and head.head.dep_ == "pobj" \
            and head.head.head.lower_ in LOCATIVE:
        return name  # "in the Roosevelt Room of the White House": the building the room is in
    if ent.start > 0 and ent.doc[ent.start - 1].lower_ in LOCATIVE and not _possessive(ent):
        return name  # the parser may glue "in Moscow Yohei Kono" into one phrase; the surface still says "in"
    if root.dep_ in {"compound", "nmod", "amod"} and head.lemma_ in VENUE_NOUNS and head.dep_ == "pobj" \
            and head.head.lower_ in LOCATIVE and ent.label_ == "GPE":  # a city; not "his Black Sea residence"
        return name  # "sat down in a Geneva hotel", "at the Moscow residence": the city the venue is in
    named = head
    while root.dep_ == "compound" and named.dep_ == "compound" and named.head.i > named.i:
        named = named.head  # "the Munich Security Conference": the gathering the name's words build up to
    gathering = named.lemma_.lower() in GATHERING_NOUNS  # a named gathering; not "the 1993 Tokyo Declaration"
    if root.dep_ in {"compound", "nmod", "amod"} and (head.lemma_ in EVENT_NOUNS or gathering):
        # "the Brunei summit", "a White House news conference", "the Tokyo talks" (a party's capital is
        # a city too); not "the Japan summit"
        party = tracker.party_for(ent.text)
        return name if landmark or party is None or tracker.capital_of(party) == name else None
    if root.dep_ == "poss" and head.lemma_ in {"summit", "talks", "meeting", "visit"}:
        return name
    return None


def _party_seat(ent: Span, tracker: Tracker) -> str | None:
    """'at the Kremlin', 'an address from the White House': a party's other name used as a place is
    where the party sits, the capital the tracker gives it."""
    party = tracker.party_for(ent.text)
    capital = tracker.capital_of(party) if party and party != ent.text else None
    root = ent.root
    if capital is None or root.dep_ != "pobj" or not ent.text[:1].isupper() and not ent.text.startswith("the "):
        return None
    prep = root.head
    if prep.lower_ in {"in", "at", "inside", "outside"} or prep.lower_ == "from" and prep.head.lemma_ in SPEECH_NOUNS:
        return capital
    return None


def _known_whole(ent: Span, tracker: Tracker) -> Place | None:
    """'the East Room of the White House': a part the tracker does not know, of a place it knows, is
    told as that place (the tracker's name for it is the one its readers follow)."""
    if tracker.place_for(ent.text.removeprefix("the ")) is not None:
        return None
    of = next((c for c in ent.root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if whole is None or whole.ent_type_ not in {"GPE", "LOC", "FAC", "ORG"}:
        return None
    ents = [e for e in ent.doc.ents if e.start <= whole.i < e.end]
    return tracker.place_for(ents[0].text) if ents else None


def _possessive(ent: Span) -> bool:
    """'on Britain's exit': the entity owns the noun after it and is no place."""
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return ent.root.dep_ == "poss" or (nxt is not None and nxt.lower_ in {"'s", "\u2019s"})


def plain_place(ent: Span) -> str | None:
    """A GPE or LOC entity's text as a place name ('the Kremlin's' -> 'Kremlin'), when capitalised."""
    if ent.label_ not in {"GPE", "LOC"}:
        return None
    text = " ".join(ent.text.replace("\u2019", "'").removesuffix("'s").split()).removeprefix("the ")
    if ent[-1].lemma_ in PLACE_NOUNS and ent[-1].is_lower:
        return None  # "the Kazakh city", "the Swiss resort": a place described, not named
    return text if text[:1].isupper() else None


CAPITALS = Path(__file__).parent / "patterns" / "capitals.json"


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    return dict(json.loads(CAPITALS.read_text(encoding="utf-8"))["capitals"])


LANDMARKS = Path(__file__).parent / "patterns" / "landmarks.json"


@lru_cache(maxsize=1)
def _landmarks() -> dict[str, str]:
    return {" ".join(k.lower().split()): v for k, v in json.loads(LANDMARKS.read_text(encoding="utf-8"))["landmarks"].items()}


def landmark_city(ent: Span, tracker: Tracker) -> str | None:
    """'the White House', 'the East Room of the White House' -> Washington (patterns/landmarks.json):
    the city a building or seat stands in, named as the tracker names that place when it knows it."""
    names = [ent.text]
    of = next((c for c in ent.root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    names += [e.text for e in ent.doc.ents if whole is not None and e.start <= whole.i < e.end]
    return next((city for text in names if (city := _landmark(text, tracker)) is not None), None)


def _landmark(text: str, tracker: Tracker) -> str | None:
    """The city a building or seat named by `text` stands in, as the tracker names it when it knows it."""
    key = " ".join(text.replace("\u2019", "'").removesuffix("'s").split()).lower().removeprefix("the ")
    city = _landmarks().get(key)
    if city is None:
        return None
    place = tracker.place_for(city)
    return place.name if place else city


def place_named(text: str, tracker: Tracker) -> str | None:
    """A place a heading names by itself ('Washington', 'the Oval Office', 'Strasbourg'): the tracker's
    place, else the city a landmark stands in, else a single capitalised word that names no party or
    person of the tracker."""
    key = " ".join(text.split()).removeprefix("the ")
    place = tracker.place_for(key)
    if place is not None:
        return place.name
    city = _landmark(key, tracker)
    if city is not None:
        return city
    if tracker.party_for(key) is None and tracker.person_for(key) is None and key[:1].isupper() and " " not in key:
        return key  # "Monday, Strasbourg.": a heading's one-word place the tracker does not know is still one
    return None


def capital_of_adjective(word: str, tracker: Tracker) -> str | None:
    """'Japanese' -> the capital the tracker gives its party; 'Belgian' -> Brussels (patterns/capitals.json),
    named as the tracker names that place when it knows it."""
    party = tracker.party_for(word)
    cap = (tracker.capital_of(party) if party else None) or _capitals().get(word)
    if cap is None:
        return None
    place = tracker.place_for(cap)
    return place.name if place else cap


def capital_phrase(sent: Span, tracker: Tracker) -> list[tuple[Token, str]]:
    """'the Japanese capital' -> (capital token, 'Tokyo'), 'the Belgian capital' -> Brussels."""
    out = []
    for tok in sent:
        if tok.lower_ == "capital" and tok.i > sent.start:
            prev = tok.doc[tok.i - 1]
            cap = capital_of_adjective(prev.text, tracker)
            if cap and (tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE or tok.head.lower_ in LOCATIVE):
                out.append((tok, cap))
    return out


# Datelines that name an institution rather than its city (news style: "UNITED NATIONS, Sept 27 -" is
# written from the UN's headquarters in New York).
DATELINE_SEATS = {"United Nations": "New York"}


def dateline_place(head: str, tracker: Tracker) -> str | None:
    """The place a dateline's first part names ('IRKUTSK' -> 'Irkutsk', 'UNITED NATIONS' -> 'New York'):
    the tracker's place, else the city it stands for, else the name itself (a city the tracker does
    not know is still where the report was written); a party's other name is its capital when the
    tracker gives one."""
    name = " ".join(head.split()).title()
    name = DATELINE_SEATS.get(name, name)
    place = tracker.place_for(name)
    if place is not None:
        return place.name
    party = tracker.party_for(name)
    return (tracker.capital_of(party) if party else None) or name
