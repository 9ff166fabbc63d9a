"""People an article names: canonical full names for PERSON entities (article-local first, so a bare
surname later in the text is the person named in full before), the leaders behind 'the two leaders',
and titles before names. Pure apart from the resolver's memory of the article."""

from __future__ import annotations

from spacy.tokens import Span, Token

from bot.tracker import Tracker


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
        if not name:
            return None
        titled = self.tracker.titled(name, self.year) if " " in name else None
        if titled is not None:
            return titled.name  # "the government's chief negotiator", "EU chief negotiator": the file's role or alias
        if not name[0].isupper():
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

    def speaker(self, label: str) -> str | None:
        """A transcript's speaker label ('BARNIER', 'MR DAVIS', 'VICE PREMIER LIU HE') -> the person: the
        one the article named in full before by the label or its last word, else the tracker's person of
        that name, role or surname. Remembers nothing: a label is no name in full."""
        words = label.replace("\u2019", "'").split()
        if not words:
            return None
        tries = [" ".join(words), words[-1]]
        seen = {word.lower(): full for word, full in self.seen.items()}
        named = next((seen[t.lower()] for t in tries if t.lower() in seen), None)
        if named:
            return named
        known = next((p for t in tries if (p := self.tracker.person_for(t, self.year))), None)
        return known.name if known else None


def country_of(tracker: Tracker, name: str, year: int) -> str | None:
    """The country of a person the tracker knows, else None."""
    person = tracker.person_for(name, year)
    return person.country if person else None


def last_pair(leaders: list[str], tracker: Tracker, year: int) -> list[str]:
    """The two most recently named leaders of two different countries, those in office in `year` first
    ('the two leaders' of an article on Putin and Mori in 2000 are not Yeltsin and Hashimoto, named last
    for what they agreed in 1997)."""
    in_office = [n for n in leaders if (p := tracker.person_for(n, year)) and p.in_office(year)]
    return _pair_of(in_office, tracker, year) or _pair_of(leaders, tracker, year)


def _pair_of(leaders: list[str], tracker: Tracker, year: int) -> list[str]:
    pair: list[str] = []
    for name in reversed(leaders):
        country = country_of(tracker, name, year)
        if name not in pair and all(country_of(tracker, p, year) != country for p in pair):
            pair.append(name)
        if len(pair) == 2:
            return pair
    return []


def the_two_leaders(
    sent: Span, persons: list[tuple[Token, str]], leaders_seen: list[str], tracker: Tracker, year: int
) -> list[tuple[Token, str]]:
    """'the two leaders', 'both leaders': the last two leaders of different countries named so far,
    as (the word 'leaders', name) pairs not already among the sentence's `persons`."""
    out: list[tuple[Token, str]] = []
    for tok in sent:
        if tok.lower_ == "leaders" and any(c.lower_ in {"two", "both", "the"} for c in tok.children) \
                and not (tok.dep_ in {"pobj", "dative"} and tok.head.lower_ == "to"):
            # not those spoken to ("could not recommend to the leaders that ..."): an audience, not the pair
            pair = last_pair(leaders_seen, tracker, year)
            seen = persons + out
            out.extend((tok, name) for name in pair if all(n != name for _, n in seen))
    return out


def title_beside_name(ent: Span) -> bool:
    """'Dominic Raab, the Brexit secretary,', 'the prime minister, Theresa May,': a title in apposition
    is the name beside it, not this year's holder of the office. `ent` is a title (an office's words)."""
    doc = ent.doc
    before = ent.start - 1 - (ent.start >= 1 and doc[ent.start - 1].lower_ in {"the", "a", "an"})
    if before >= 1 and doc[before].text == "," and doc[before - 1].ent_type_ == "PERSON":
        return True
    after = ent.end
    return after + 1 < len(doc) and doc[after].text == "," and doc[after + 1].ent_type_ == "PERSON" \
        and doc[after + 1].ent_iob_ == "B"


def title_before_name(ent: Span) -> bool:
    """'Russian President Boris Yeltsin': the title belongs to the name after it, not to this year's holder."""
    doc = ent.doc
    return ent.label_ == "PERSON" and ent.end < len(doc) and doc[ent.end].ent_type_ == "PERSON" and (
        doc[ent.end].ent_iob_ == "B"
    )
