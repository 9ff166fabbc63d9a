"""A tracker is a data file (bot/trackers/<slug>.toml): what a negotiation is, who is in it, where."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.errors import UserError

BUILTIN_DIR = Path(__file__).parent / "trackers"
# A table of the parsed TOML file: its values are whatever the file holds, checked where read.
TomlTable = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    kind: str  # "country" | "person" | "org"
    country: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # when the person held the office the roles name
    capital: str | None = None  # "the Japanese capital" -> Tokyo
    leader: bool = False  # a head of state or government: two leaders meeting is a summit
    # The name a person is called by alone ("Putin"): the last word, the first where the family name
    # comes first ("Xi Jinping" -> "Xi"), or as the file says.
    surname: str | None = None

    def in_office(self, year: int) -> bool:
        """Whether the file dates this person's post and `year` lies in it."""
        return self.years is not None and self.years[0] <= year <= self.years[1]


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None
    aliases: tuple[str, ...] = ()
    within: str | None = None  # the larger place it lies in: Nagato -> Yamaguchi


@dataclass(frozen=True, slots=True)
class Office:
    """A post whose title stands for whoever held it then: 'the Russian president' in 1997 is Yeltsin."""

    titles: tuple[str, ...]
    holders: tuple[tuple[str, int, int], ...]  # (name, first year, last year)

    def holder(self, year: int) -> str | None:
        found = [name for name, first, last in self.holders if first <= year <= last]
        return found[-1] if found else None


@dataclass(frozen=True, slots=True)
class Tracker:
    slug: str
    title: str
    command: str
    keywords: tuple[str, ...]
    actors: tuple[Actor, ...]
    people: tuple[Actor, ...]
    places: tuple[Place, ...]
    feeds: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()  # article pages read as sources of their own
    min_keyword_hits: int = 1
    offices: tuple[Office, ...] = ()
    # How this negotiation is told, beyond the global patterns (bot/extract/patterns): phrases that name
    # an event of a type ("working-level talks" -> talks, "wait until the end of the year" -> deadline),
    # and words that signal a status ("shelve" -> postponed). Optional: [vocabulary] in the file.
    triggers: tuple[tuple[str, str], ...] = ()  # (event type, phrase)
    cues: tuple[tuple[str, str], ...] = ()  # (status, word)
    # Lookup tables built once: extraction asks these questions for every entity of every article.
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index.build(self))

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.actors)

    def party_for(self, text: str) -> str | None:
        """'Moscow', 'the Kremlin', 'Russian' -> 'Russia'; None when the text names no party."""
        return self._index.parties.get(_norm(text))

    def person_for(self, text: str, year: int | None = None) -> Actor | None:
        """A full name, a surname or a role title -> the person, if the tracker knows them.

        A surname or role two people share goes to the one in office in `year`.
        """
        key = _norm(text).removesuffix("'s")
        found = self._index.people.get(key, []) or self._index.people.get(key.removeprefix("the "), [])
        weak = not found and " " not in key
        if weak:  # a single word no surname claims may be a family name written first ("Liu" of "Liu He")
            found = self._index.first_words.get(key, [])
        if len(found) > 1 and year is not None:
            found = _in_office_first(found, year)
        if weak and len(found) > 1:
            return None  # "Wang": Wang Yi or Wang Qishan; the article must say
        return found[0] if found else None

    def titled(self, text: str, year: int) -> Actor | None:
        """The person one of whose roles or aliases `text` is, ignoring case and a leading 'the' ("the
        government's chief negotiator", "EU chief negotiator"); the one in office in `year` first."""
        found = self._index.titles.get(_norm(text).removesuffix("'s").removeprefix("the "), [])
        return _in_office_first(found, year)[0] if found else None

    def office_holder(self, text: str, year: int) -> str | None:
        """'the Russian president', "Japan's prime minister" in `year` -> the holder's name."""
        office = self._index.offices.get(_norm(text).removeprefix("the "))
        return office.holder(year) if office else None

    def is_leader(self, name: str) -> bool:
        return name in self._index.leaders

    def leaders(self) -> frozenset[str]:
        """The heads of state and government the tracker names."""
        return self._index.leaders

    def place_ancestors(self) -> dict[str, tuple[str, ...]]:
        """Each place's enclosing places, innermost first, ending with its country (do not modify)."""
        return self._index.ancestors

    def places_nested(self, a: str, b: str) -> bool:
        """Whether one place lies inside the other (Nagato and Japan, Moscow and Russia)."""
        ancestors = self._index.ancestors
        return b in ancestors.get(a, ()) or a in ancestors.get(b, ())

    def capital_of(self, party: str) -> str | None:
        return next((a.capital for a in self.actors if a.name == party), None)

    def place_for(self, text: str) -> Place | None:
        return self._index.places.get(_norm(text))

    def relevance(self, text: str) -> int:
        """How strongly the text is about this negotiation: one point per keyword it names, and one
        when it names, in full, people of two or more of the parties (the negotiators meeting is the
        negotiation even when no keyword is said: "the disputed islands"); none when it names none of
        the tracker's parties, people or places (by name or alias), or only one of two or more sides
        (a party is named by its names, its people or its places)."""
        named = (self._index.party_pattern, self._index.people_pattern, self._index.place_pattern)
        if any(p is not None for p in named) and not any(p is not None and p.search(text) for p in named):
            return 0  # a negotiation's news names a party, a person or a place of it ("trade deal" alone: no)
        low = text.lower()
        hits = self.keyword_hits(low)
        pattern = self._index.people_pattern
        people_sides = {self._index.country_of[_norm(m.group(0))] for m in pattern.finditer(text)} if pattern else set()
        people_sides.discard("")
        party_pattern = self._index.party_pattern
        place_pattern, names_pattern = self._index.place_pattern, self._index.side_pattern
        sides = people_sides | ({self._index.parties[_norm(m.group(0))] for m in party_pattern.finditer(text)}
                                if party_pattern else set())
        sides |= {self._index.side_of[m.group(0)] for m in names_pattern.finditer(text)} if names_pattern else set()
        sides |= ({self._index.places[_norm(m.group(0))].country or "" for m in place_pattern.finditer(text)}
                  if place_pattern else set()) & {a.name for a in self.actors}  # "Moscow" speaks for Russia
        if len(self.actors) >= 2 and len(sides) == 1:
            return 0  # one side only: that government's other news (auto tariffs with no China in them)
        # negotiators of two sides named in full, with a keyword or over what divides them ("the disputed
        # islands"): the negotiation; the same two leaders on another subject and no word of it are not
        return hits + (1 if len(people_sides) >= 2 and (hits or DISPUTE_WORDS.search(low)) else 0)

    def keyword_hits(self, low: str) -> int:
        """How many of the keywords a lower-cased text contains (substrings, each counted once)."""
        return sum(1 for k in _lowered(self.keywords) if k in low)

    def is_keyword(self, word: str) -> bool:
        """Whether `word` is one of the keywords (ignoring case): 'Brexit' of 'the Brexit summit'."""
        return word.lower() in _lowered(self.keywords)

    def names_any(self, text: str) -> bool:
        """Whether the text says any of the tracker's keywords, or names any of its parties, people or
        places (by name or alias)."""
        if self.keyword_hits(text.lower()):
            return True
        named = (self._index.party_pattern, self._index.people_pattern, self._index.place_pattern,
                 self._index.side_pattern)
        return any(p is not None and p.search(text) for p in named)

    def is_relevant(self, text: str) -> bool:
        """True when the text is enough about this negotiation: `relevance` reaches min_keyword_hits."""
        return self.relevance(text) >= self.min_keyword_hits


def _in_office_first(people: list[Actor], year: int) -> list[Actor]:
    """Those in office in `year`, else all of them."""
    return [p for p in people if p.in_office(year)] or people


@lru_cache(maxsize=64)
def _lowered(words: tuple[str, ...]) -> tuple[str, ...]:
    """A tracker's keywords in lower case, made once per tracker rather than at every look-up."""
    return tuple(w.lower() for w in words)


# What a negotiation is over, in any tracker's words: "the disputed dams", "territorial claims".
DISPUTE_WORDS = re.compile(r"\b(?:disput|territor|sovereign|treaty|treaties|settlement)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Index:
    """Normalised name -> what it names; the first entry in the file wins, as a scan would."""

    parties: dict[str, str]
    people: dict[str, list[Actor]]
    titles: dict[str, list[Actor]]  # a person's roles and aliases, without a leading "the"
    first_words: dict[str, list[Actor]]
    offices: dict[str, Office]
    places: dict[str, Place]
    leaders: frozenset[str]
    ancestors: dict[str, tuple[str, ...]]
    # People's full names and aliases as they are written, and the party each belongs to.
    people_pattern: re.Pattern[str] | None = None
    country_of: dict[str, str] = field(default_factory=dict)
    # The parties' names and aliases, as written (case matters: "US" is not "us").
    party_pattern: re.Pattern[str] | None = None
    place_pattern: re.Pattern[str] | None = None
    # Names that tell a side without naming a person in full: a surname, an alias or a role all of whose
    # holders speak for one party ("Kono": Japan), as written (capitalised).
    side_pattern: re.Pattern[str] | None = None
    side_of: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def build(tracker: Tracker) -> _Index:
        parties: dict[str, str] = {}
        for actor in tracker.actors:
            for name in (actor.name, *actor.aliases):
                parties.setdefault(_norm(name), actor.name)
        people: dict[str, list[Actor]] = {}
        for person in tracker.people:
            full = _norm(person.name)
            words = full.split()
            keys = [full, _norm(person.surname or words[-1]), *(_norm(a) for a in person.aliases),
                    *(_norm(r).removeprefix("the ") for r in person.roles)]
            if len(words) == 2:
                keys.append(f"{words[1]} {words[0]}")  # "Abe Shinzo" for "Shinzo Abe", and back
            for key in dict.fromkeys(keys):
                people.setdefault(key, []).append(person)
        titles: dict[str, list[Actor]] = {}
        for person in tracker.people:
            for key in dict.fromkeys(_norm(t).removeprefix("the ") for t in (*person.roles, *person.aliases)):
                titles.setdefault(key, []).append(person)
        first_words: dict[str, list[Actor]] = {}
        for person in tracker.people:
            words = _norm(person.name).split()
            if len(words) >= 2 and words[0] not in people:
                first_words.setdefault(words[0], []).append(person)
        offices: dict[str, Office] = {}
        for office in tracker.offices:
            for title in office.titles:
                offices.setdefault(_norm(title).removeprefix("the "), office)
        places: dict[str, Place] = {}
        for place in tracker.places:
            for name in (place.name, *place.aliases):
                places.setdefault(_norm(name), place)
        country_of = {_norm(n): person.country or "" for person in tracker.people
                      for n in (person.name, *person.aliases) if len(n) > 3}
        pattern = phrase_pattern(
            {n for person in tracker.people for n in (person.name, *person.aliases) if len(n) > 3}, ignore_case=True)
        party_pattern = phrase_pattern({n for a in tracker.actors for n in (a.name, *a.aliases)})
        place_pattern = phrase_pattern({n for p in tracker.places for n in (p.name, *p.aliases)})
        side_of: dict[str, str] = {}
        for person in tracker.people:
            for name in (person.name, person.surname or person.name.split()[-1], *person.aliases, *person.roles):
                if name[:1].isupper() and person.country and _norm(name) not in {"he", "she", "it"}:
                    countries = {p.country for p in people.get(_norm(name), [person])}
                    if countries == {person.country}:
                        side_of[name] = person.country
        return _Index(parties, people, titles, first_words, offices, places,
                      frozenset(p.name for p in tracker.people if p.leader), _ancestors(tracker.places),
                      pattern, country_of, party_pattern, place_pattern, phrase_pattern(set(side_of)), side_of)


def phrase_pattern(phrases: set[str] | list[str], *, ignore_case: bool = False) -> re.Pattern[str] | None:
    """One regex finding any of `phrases` as whole words ("U.S." too), the longest first; None for none."""
    if not phrases:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(r"\b(?:" + alternatives + r")(?!\w)", re.IGNORECASE if ignore_case else 0)


def _ancestors(places: tuple[Place, ...]) -> dict[str, tuple[str, ...]]:
    by_name = {p.name: p for p in places}
    out: dict[str, tuple[str, ...]] = {}
    for place in places:
        chain: list[str] = []
        cur = place
        while cur.within and cur.within not in chain and len(chain) < 8:
            chain.append(cur.within)
            nxt = by_name.get(cur.within)
            if nxt is None:
                break
            cur = nxt
        if place.country and place.country not in chain and place.country != place.name:
            chain.append(place.country)
        out[place.name] = tuple(chain)
    return out


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").lower().split())


class _Invalid(Exception):
    """One field of a tracker file is wrong: its place in the file (e.g. `people[3].years`) and why."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")


def _text(raw: TomlTable, key: str, where: str, *, required: bool = True) -> str | None:
    """A non-empty string field (None when optional and absent)."""
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        why = "is missing" if value is None else f"must be a non-empty text, not {_show(value)}"
        raise _Invalid(f"{where}{key}", why)
    return value.strip()


def _texts(raw: TomlTable, key: str, where: str) -> tuple[str, ...]:
    """A list of non-empty strings (empty when absent)."""
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Invalid(f"{where}{key}", f"must be a list of non-empty texts, not {_show(value)}")
    return tuple(v.strip() for v in value)


def _year(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9999:
        raise _Invalid(where, f"must be a year (a whole number, e.g. 2000), not {_show(value)}")
    return value


def _tables(data: TomlTable, key: str, where: str = "") -> list[TomlTable]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _Invalid(f"{where}{key}", f"must be a list of tables ([[{key}]]), not {_show(value)}")
    return value


def _show(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _actor(raw: TomlTable, kind: str, where: str) -> Actor:
    years = raw.get("years")
    span: tuple[int, int] | None = None
    if years is not None:
        if not isinstance(years, list) or len(years) != 2:
            raise _Invalid(f"{where}years", f"must be two years, e.g. [2000, 2008], not {_show(years)}")
        span = (_year(years[0], f"{where}years[0]"), _year(years[1], f"{where}years[1]"))
        if span[0] > span[1]:
            raise _Invalid(f"{where}years", f"the first year comes after the last: {_show(years)}")
    leader = raw.get("leader", False)
    if not isinstance(leader, bool):
        raise _Invalid(f"{where}leader", f"must be true or false, not {_show(leader)}")
    family_first = raw.get("family_name_first", False)
    if not isinstance(family_first, bool):
        raise _Invalid(f"{where}family_name_first", f"must be true or false, not {_show(family_first)}")
    name = _text(raw, "name", where) or ""
    surname = _text(raw, "surname", where, required=False)
    if surname is None and family_first and len(name.split()) > 1:
        surname = name.split()[0]
    return Actor(
        name=name,
        kind=_text(raw, "kind", where, required=False) or kind,
        country=_text(raw, "country", where, required=False),
        aliases=_texts(raw, "aliases", where),
        roles=_texts(raw, "roles", where),
        years=span,
        capital=_text(raw, "capital", where, required=False),
        leader=leader,
        surname=surname,
    )


def _place(raw: TomlTable, where: str) -> Place:
    return Place(_text(raw, "name", where) or "", _text(raw, "country", where, required=False),
                 _texts(raw, "aliases", where), _text(raw, "within", where, required=False))


def _office(raw: TomlTable, where: str) -> Office:
    titles = _texts(raw, "titles", where)
    if not titles:
        raise _Invalid(f"{where}titles", "is missing")
    holders = []
    for i, h in enumerate(_tables(raw, "holders", where)):
        at = f"{where}holders[{i}]."
        holders.append((_text(h, "name", at) or "", _year(h.get("from"), f"{at}from"), _year(h.get("to"), f"{at}to")))
    return Office(titles=titles, holders=tuple(holders))


# The statuses a cue word may signal (bot/extract/patterns/cues.json names the same ones).
CUE_STATUSES = ("cancelled", "postponed", "lifted", "dropped", "missed", "met", "signed", "proposed", "scheduled",
                "held", "agreed", "denial")


def _vocabulary(raw: object) -> dict[str, tuple[tuple[str, str], ...]]:
    """[vocabulary]: `triggers` (event type -> phrases) and `cues` (status -> single words)."""
    from bot.event_types import EVENT_TYPES  # the registry; imported here to keep tracker files data-only

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _Invalid("vocabulary", f"must be a table ([vocabulary]), not {_show(raw)}")
    triggers: list[tuple[str, str]] = []
    cues: list[tuple[str, str]] = []
    for key, allowed, out in (("triggers", EVENT_TYPES, triggers), ("cues", CUE_STATUSES, cues)):
        table = raw.get(key) or {}
        if not isinstance(table, dict):
            raise _Invalid(f"vocabulary.{key}", f"must be a table of lists, not {_show(table)}")
        for name in table:
            if name not in allowed:
                raise _Invalid(f"vocabulary.{key}.{name}", f"is not one of {', '.join(allowed)}")
            for word in _texts(table, name, f"vocabulary.{key}."):
                if key == "cues" and len(word.split()) != 1:
                    raise _Invalid(f"vocabulary.cues.{name}", f"takes single words (e.g. 'shelve'), not {word!r}")
                out.append((name, word.lower()))
    unknown = sorted(set(raw) - {"triggers", "cues"})
    if unknown:
        raise _Invalid(f"vocabulary.{unknown[0]}", "is not a field (triggers, cues)")
    return {"triggers": tuple(triggers), "cues": tuple(cues)}


# The fields each part of a tracker file may have: any other is a mistake (a misspelt `keyword`), said
# at once rather than dropped.
FIELDS: dict[str, frozenset[str]] = {
    "": frozenset({"slug", "title", "command", "keywords", "min_keyword_hits", "feeds", "pages", "actors", "people",
                   "places", "offices", "vocabulary"}),
    "actors": frozenset({"name", "kind", "country", "aliases", "roles", "years", "capital", "leader"}),
    "people": frozenset({"name", "kind", "country", "aliases", "roles", "years", "capital", "leader", "surname",
                         "family_name_first"}),
    "places": frozenset({"name", "country", "aliases", "within"}),
    "offices": frozenset({"titles", "holders"}),
}


def _unknown_fields(data: TomlTable) -> None:
    """An _Invalid for the first field the file has that no part of a tracker has."""
    import difflib

    def check(table: TomlTable, allowed: frozenset[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(sorted(allowed))})"
                raise _Invalid(f"{where}{key}", "is not a field of a tracker file" + hint)

    check(data, FIELDS[""], "")
    for part in ("actors", "people", "places", "offices"):
        for i, table in enumerate(v for v in data.get(part) or [] if isinstance(v, dict)):
            check(table, FIELDS[part], f"{part}[{i}].")


def parse_tracker(data: TomlTable, *, origin: str) -> Tracker:
    """A tracker from the parsed TOML; a one-line UserError naming the file and the field that is
    missing, wrong or unknown (e.g. `people[3].years`)."""
    try:
        _unknown_fields(data)
        hits = data.get("min_keyword_hits", 1)
        if isinstance(hits, bool) or not isinstance(hits, int) or hits < 1:
            raise _Invalid("min_keyword_hits", f"must be a whole number from 1, not {_show(hits)}")
        return Tracker(
            slug=_text(data, "slug", "") or "",
            title=_text(data, "title", "") or "",
            command=_text(data, "command", "") or "",
            keywords=_texts(data, "keywords", ""),
            actors=tuple(_actor(a, "country", f"actors[{i}].") for i, a in enumerate(_tables(data, "actors"))),
            people=tuple(_actor(p, "person", f"people[{i}].") for i, p in enumerate(_tables(data, "people"))),
            places=tuple(_place(p, f"places[{i}].") for i, p in enumerate(_tables(data, "places"))),
            feeds=_texts(data, "feeds", ""),
            pages=_texts(data, "pages", ""),
            min_keyword_hits=hits,
            offices=tuple(_office(o, f"offices[{i}].") for i, o in enumerate(_tables(data, "offices"))),
            **_vocabulary(data.get("vocabulary")),
        )
    except _Invalid as exc:
        raise UserError(f"tracker file {origin} is invalid: {exc}") from None
    except (KeyError, TypeError, ValueError, IndexError) as exc:  # anything the checks above did not foresee
        raise UserError(f"tracker file {origin} is invalid: {type(exc).__name__}: {exc}") from None


def available(extra_dir: str | None = None) -> list[str]:
    dirs = [BUILTIN_DIR] + ([Path(extra_dir)] if extra_dir else [])
    return sorted({p.stem for d in dirs if d.is_dir() for p in d.glob("*.toml")})


def load_tracker_file(path: Path) -> Tracker:
    """The tracker in the file at `path`; a one-line UserError when it cannot be read or is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        raise UserError(f"tracker file {path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise UserError(f"tracker file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise UserError(f"tracker file {path} cannot be read: {exc.strerror}") from None
    return parse_tracker(data, origin=str(path))


def load_tracker(slug: str, extra_dir: str | None = None) -> Tracker:
    """The tracker named `slug`, from NTRACK_TRACKERS_DIR first, then the built-in ones."""
    for directory in ([Path(extra_dir)] if extra_dir else []) + [BUILTIN_DIR]:
        path = directory / f"{slug}.toml"
        if path.is_file():
            return load_tracker_file(path)
    known = ", ".join(available(extra_dir)) or "none"
    raise UserError(f"unknown tracker {slug!r} (known: {known})")
