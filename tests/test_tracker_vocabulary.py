"""A tracker file says how its negotiation is told: its own trigger phrases and status cues, people's
aliases and family-name-first names; relevance comes from its people as well as its keywords."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from bot.errors import UserError
from bot.extract.events import Extractor
from bot.tracker import Tracker, parse_tracker

BASE = """
slug = "rivers"
title = "Upper River water-sharing talks"
command = "/rivers"
keywords = ["water-sharing", "Upper River"]
[[actors]]
name = "Northland"
aliases = ["Nordby"]
[[actors]]
name = "Southland"
aliases = ["Sudport"]
[[people]]
name = "Anna Berg"
country = "Northland"
aliases = ["the water envoy"]
[[people]]
name = "Chen Wei"
country = "Southland"
family_name_first = true
"""


def tracker(extra: str = "") -> Tracker:
    return parse_tracker(tomllib.loads(BASE + extra), origin="rivers.toml")


def test_people_have_aliases_and_family_names_that_come_first() -> None:
    t = tracker()
    assert t.person_for("the water envoy", 2020).name == "Anna Berg"  # type: ignore[union-attr]
    assert t.person_for("Chen", 2020).name == "Chen Wei"  # type: ignore[union-attr]
    assert t.person_for("Wei", 2020) is None  # the given name alone is nobody
    assert t.person_for("Berg Anna", 2020).name == "Anna Berg"  # type: ignore[union-attr]


def test_relevance_counts_the_negotiators_as_well_as_keywords() -> None:
    t = tracker()
    assert t.is_relevant("Talks with Nordby on the Upper River resumed in Sudport.")
    # no keyword, but both sides' negotiators over what divides them: the negotiation is the story
    assert t.is_relevant("Anna Berg and Chen Wei met in Geneva to discuss the disputed dams.")
    # the same two on another subject, with no word of the negotiation, are not
    assert not t.is_relevant("Anna Berg and Chen Wei met in Geneva to discuss a flood warning system.")
    # one side's negotiator on another subject is not
    assert not t.is_relevant("Anna Berg opened a school in Nordby on Monday.")
    # the keywords without any of the parties are another negotiation's news
    assert not t.is_relevant("Lakeland and Westmark signed a water-sharing pact for the Upper River valley.")
    assert t.is_relevant("Nordby and Sudport signed a water-sharing pact for the Upper River valley.")
    # the keywords with one side only are that government's other news (its own water-sharing fees)
    assert not t.is_relevant("Nordby raised its water-sharing fees for farms on the Upper River.")
    # a side named by a surname alone counts: Berg speaks for Northland
    assert t.is_relevant("Berg arrived in Sudport for the water-sharing round.")


def test_vocabulary_must_name_known_types_and_statuses() -> None:
    with pytest.raises(UserError, match=r"vocabulary.triggers.parley: is not one of summit"):
        tracker('[vocabulary]\ntriggers = { parley = ["water round"] }\n')
    with pytest.raises(UserError, match=r"vocabulary.cues.postponed: takes single words"):
        tracker('[vocabulary]\ncues = { postponed = ["put on ice"] }\n')
    assert tracker().triggers == () and tracker().cues == ()  # files without [vocabulary] keep working


def test_a_tracker_phrase_makes_an_event_and_a_tracker_cue_its_status(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("NORDBY, March 2 - Anna Berg and Chen Wei are due to open a basin dialogue in Sudport on March 20, "
            "officials said.\n\nThe ministers met again in Geneva, where the basin dialogue was mothballed.")
    published = date(2021, 3, 2)
    plain = Extractor(extractor.nlp, tracker()).extract(text, published)
    assert not any(e.type == "talks" and e.location == "Sudport" for e in plain)
    phrase = '[vocabulary]\ntriggers = { talks = ["basin dialogue"] }\n'
    found = Extractor(extractor.nlp, tracker(phrase)).extract(text, published)
    assert [(e.type, e.status, e.location, e.date.value if e.date else None) for e in found][0] == \
        ("talks", "scheduled", "Sudport", "2021-03-20")
    geneva = next(e for e in found if e.location == "Geneva")
    assert geneva.type == "talks" and geneva.status != "postponed"
    cue = tracker(phrase + 'cues = { postponed = ["mothball"] }\n')
    geneva = next(e for e in Extractor(extractor.nlp, cue).extract(text, published) if e.location == "Geneva")
    assert geneva.status == "postponed"  # the tracker's cue: "mothballed"


def test_a_surname_that_is_a_pronoun_is_not_a_person_everywhere() -> None:
    from bot.extract.nlp import gazetteer_patterns

    t = tracker('[[people]]\nname = "Liu He"\ncountry = "Southland"\n')
    bare = {p["pattern"] for p in gazetteer_patterns(t) if p["label"] == "PERSON" and isinstance(p["pattern"], str)}
    assert "Liu He" in bare and "He" not in bare and "Chen" in bare  # Chen Wei's family name comes first


def test_a_misspelt_field_is_an_error_naming_the_nearest_one() -> None:
    with pytest.raises(UserError, match=r"invalid: keyword: is not a field of a tracker file \(did you mean `keywords`\?\)"):
        parse_tracker(tomllib.loads('keyword = ["dams"]\n' + BASE), origin="rivers.toml")
    with pytest.raises(UserError, match=r"people\[2\]\.alias: is not a field .*did you mean `aliases`"):
        tracker('[[people]]\nname = "Ola Nordmann"\nalias = ["the mediator"]\n')
