"""docs/trackers.md cannot rot: every whole tracker on the page parses, every field its tables
document is one the loader reads (taking it out of the worked example changes what is loaded), every
field the loader reads is documented, and what the page says the example does, it does."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.errors import UserError
from bot.event_types import EVENT_TYPES
from bot.tracker import CUE_STATUSES, Tracker, parse_tracker

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "trackers.md").read_text(encoding="utf-8")
# A field table's first header cell names the table of the file it documents.
SECTIONS = ("top level", "[[actors]]", "[[people]]", "[[places]]", "[[offices]]", "holders", "[vocabulary]")


def toml_blocks() -> list[dict[str, Any]]:
    return [tomllib.loads(block) for block in re.findall(r"^```toml\n(.*?)^```", DOC, re.S | re.M)]


def whole_trackers() -> list[dict[str, Any]]:
    return [data for data in toml_blocks() if "slug" in data]


def documented_fields() -> list[tuple[str, str]]:
    """(section, field) for every row of every field table on the page."""
    out: list[tuple[str, str]] = []
    lines = DOC.splitlines()
    for i, line in enumerate(lines[:-1]):
        if not (line.startswith("|") and lines[i + 1].startswith("|---")):
            continue
        section = line.split("|")[1].strip().strip("`")
        assert section in SECTIONS, f"a field table headed {section!r}: which part of the file is it?"
        for row in lines[i + 2:]:
            if not row.startswith("|"):
                break
            name = re.fullmatch(r"`(\w+)`", row.split("|")[1].strip())
            assert name, f"a row of the {section} table does not start with a `field`: {row[:60]}"
            out.append((section, name.group(1)))
    return out


def tables_of(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """The tables of a parsed file that a documented section's fields live in."""
    if section == "top level":
        return [data]
    if section == "[vocabulary]":
        return [data["vocabulary"]] if "vocabulary" in data else []
    if section == "holders":
        return [h for office in data.get("offices", []) for h in office.get("holders", [])]
    return list(data.get(section.strip("[]"), []))


def load(data: dict[str, Any]) -> Tracker:
    return parse_tracker(data, origin="docs/trackers.md")


def example() -> dict[str, Any]:
    found = [data for data in whole_trackers() if data["slug"] == "gerd"]
    assert len(found) == 1, "the worked example (slug gerd) is on the page once"
    return found[0]


def test_every_whole_tracker_on_the_page_parses() -> None:
    trackers = whole_trackers()
    assert trackers, "the page has no complete tracker (a ```toml block with a slug)"
    for data in trackers:
        tracker = load(data)
        assert tracker.slug == data["slug"] and tracker.command.startswith("/")


def test_each_documented_field_is_read_by_the_loader() -> None:
    """Taking a documented field out of the worked example changes the loaded tracker (or makes the
    file invalid): a field the loader ignored would change nothing."""
    fields = documented_fields()
    assert {section for section, _ in fields} == set(SECTIONS)
    data = example()
    original = load(data)
    for section, name in fields:
        tables = [i for i, table in enumerate(tables_of(data, section)) if name in table]
        assert tables, f"the worked example does not use the documented field {section} {name}"
        changed = False
        for i in tables:
            trimmed = copy.deepcopy(data)
            del tables_of(trimmed, section)[i][name]
            try:
                changed = load(trimmed) != original
            except UserError:
                changed = True  # a required field
            if changed:
                break
        assert changed, f"{section} {name}: documented, but the loader does not read it"


def test_every_field_the_loader_reads_is_documented() -> None:
    source = (ROOT / "bot" / "tracker.py").read_text(encoding="utf-8")
    read = re.findall(r'(?:_texts?|_tables)\(\w+, "(\w+)"|\.get\("(\w+)"', source)
    keys = {k for group in read for k in group if k}
    documented = {name for _, name in documented_fields()} | {s.strip("[]") for s in SECTIONS}
    assert keys >= {"slug", "within", "family_name_first", "from", "vocabulary"}  # the scan finds them
    assert keys - documented == set()


def test_allowed_types_and_statuses_are_the_code_s() -> None:
    vocabulary = DOC.split("## `[vocabulary]`", 1)[1].split("\n## ", 1)[0]
    types, statuses = re.search(r"allowed in `triggers` are(.*?)The statuses allowed in\s+`cues` are(.*?)Anything",
                                vocabulary, re.S).groups()  # type: ignore[union-attr]
    listed = [re.findall(r"`([a-z_]+)`", part) for part in (types, statuses)]
    assert listed == [list(EVENT_TYPES), list(CUE_STATUSES)]


def test_the_example_does_what_the_page_says() -> None:
    t = load(example())
    assert t.person_for("Abiy", 2020).name == "Abiy Ahmed"  # type: ignore[union-attr]
    assert t.person_for("Ahmed", 2020) is None
    assert t.person_for("Sisi", 2020).name == "Abdel Fattah el-Sisi"  # type: ignore[union-attr]
    assert t.person_for("Abdel", 2020) is None
    assert t.office_holder("the Ethiopian prime minister", 2017) == "Hailemariam Desalegn"
    assert t.office_holder("the Ethiopian prime minister", 2018) == "Abiy Ahmed"
    assert t.is_leader("Abiy Ahmed") and t.is_leader("Abdel Fattah el-Sisi")
    assert not t.is_leader("Seleshi Bekele")
    assert t.place_ancestors()["Guba"] == ("Benishangul-Gumuz", "Ethiopia")
    assert t.places_nested("Guba", "Ethiopia") and t.place_for("Renaissance Dam") is None
    assert t.capital_of("Ethiopia") == "Addis Ababa" and t.party_for("Addis") == "Ethiopia"
    assert not t.is_relevant("Cairo raises water prices\nThe city's main reservoir is low, officials said.")
    assert t.relevance("Abiy Ahmed and Abdel Fattah el-Sisi met in Sochi to discuss the disputed dam.") == 1
    assert t.relevance("Abiy Ahmed and Abdel Fattah el-Sisi met in Sochi.") == 0  # no word of the dispute
    assert t.is_relevant("Abiy Ahmed and Sameh Shoukry spoke about the dam talks.")


@pytest.mark.parametrize("line", re.findall(r"^tracker file \S+ is invalid: (\S+): (?!is not a field).*$", DOC, re.M))
def test_the_error_lines_name_fields_the_page_documents(line: str) -> None:
    """`people[3].years` -> people, years: each shown error names a documented table and field."""
    parts = [re.sub(r"\[\d+\]$", "", part) for part in line.split(".")]
    documented = {name for _, name in documented_fields()} | {s.strip("[]") for s in SECTIONS}
    assert set(parts) - set(CUE_STATUSES) - set(EVENT_TYPES) <= documented

