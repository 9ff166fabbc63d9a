"""Transcripts and Q&A articles: paragraphs opened by a speaker's label ('IVANOV: ...') are turns, each
a statement by the person the label names. Real en_core_web_sm model, Kuril tracker."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.extract.layout import Layout

MOSCOW_PRESSER = (
    "Kono and Ivanov face the press after Moscow round\n\n"
    "Japanese Foreign Minister Yohei Kono and Russian Foreign Minister Igor Ivanov ended two days of talks "
    "on the peace treaty in Moscow on Tuesday and then answered questions together at the ministry. "
    "What follows is an edited excerpt.\n\n"
    "IVANOV: We had a frank and long exchange. On the islands our positions remain far apart, and I "
    "will not pretend otherwise.\n\n"
    "QUESTION: Mr Kono, did Tokyo hear anything new?\n\n"
    "KONO: Some things were new. Our deputies will meet again in Tokyo in December to go through the "
    "texts line by line.\n\n"
    "IVANOV: The calendar is not the problem. The substance is.\n"
)


def _events(extractor: Any, text: str, published: str) -> list[dict[str, Any]]:
    return [e.to_json() for e in extractor.extract(text, date.fromisoformat(published))]


def _statements(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p: e for e in events if e["type"] == "statement" for p in e["participants"]}


def test_a_speaker_label_opens_a_turn_and_a_question_label_does_not() -> None:
    layout = Layout(MOSCOW_PRESSER, frozenset({"question"}))
    assert sorted(layout.speakers.values()) == ["IVANOV", "IVANOV", "KONO"]
    assert Layout("UPDATE 2: Talks resume.\n\nIn Moscow, talks resumed.").speakers == {}


def test_each_speaker_of_a_transcript_made_one_statement_on_the_day_told(extractor) -> None:  # type: ignore[no-untyped-def]
    events = _events(extractor, MOSCOW_PRESSER, "2000-11-08")
    said = _statements(events)
    assert set(said) == {"Igor Ivanov", "Yohei Kono"}, "the questioner is no one's statement"
    assert sum(e["type"] == "statement" for e in events) == 2, "two turns of Ivanov are one statement"
    for name, country in (("Igor Ivanov", "Russia"), ("Yohei Kono", "Japan")):
        assert said[name]["date"]["value"] == "2000-11-07", "the day the article tells of, not publication"
        assert said[name]["status"] == "made"
        assert said[name]["parties"] == [country]
        assert said[name]["location"] == "Moscow", "said where the talks of that day were held"
    # what a turn tells is extracted as any sentence's is, and does not date the statement
    assert any(e["type"] in {"meeting", "talks"} and e["location"] == "Tokyo" and e["date"]["value"] == "2000-12"
               for e in events)


def test_a_label_names_the_person_the_article_named_in_full(extractor) -> None:  # type: ignore[no-untyped-def]
    # in 2018 the tracker's Kono is Taro Kono; the interview's Kono is the one it names in full
    text = (
        "Looking back on the Irkutsk years\n\n"
        "Former foreign minister Yohei Kono, who led Japan's side in the peace treaty talks in 2000, spoke "
        "to our correspondent in Tokyo on Friday about the new push for a settlement.\n\n"
        "REPORTER: Was a deal within reach back then?\n\n"
        "KONO: Closer than people think. The 1956 declaration was the starting point for both sides, and "
        "we came back to it every time.\n"
    )
    said = _statements(_events(extractor, text, "2018-11-17"))
    assert "Yohei Kono" in said and "Taro Kono" not in said
    assert said["Yohei Kono"]["date"]["value"] == "2018-11-16"


def test_a_title_before_the_surname_in_a_label_names_the_person(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Lavrov on the islands\n\n"
        "The Russian foreign minister took questions from reporters in Moscow on Monday.\n\n"
        "Q: Is the 1956 declaration still the basis?\n\n"
        "MR LAVROV: It is, and we have said so many times. Japan must first accept the results of the war.\n"
    )
    said = _statements(_events(extractor, text, "2019-01-15"))
    assert set(said) == {"Sergei Lavrov"}
    assert said["Sergei Lavrov"]["date"]["value"] == "2019-01-14"


def test_a_remark_reported_inside_a_turn_is_not_the_speakers_own(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kono on the Brunei meeting\n\n"
        "Japanese Foreign Minister Yohei Kono took questions in Tokyo on Wednesday.\n\n"
        "KONO: President Putin told our prime minister in Brunei that the 1956 declaration is valid.\n"
    )
    events = _events(extractor, text, "2000-11-16")
    said = [e["participants"] for e in events if e["type"] == "statement"]
    assert ["Yohei Kono"] in said, "the turn is Kono's statement alone, not one with the Putin it reports"


def test_leaders_who_meet_as_they_is_a_summit(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Diplomats in Tokyo said it would be for the leaders to settle the wording of the treaty "
            "when they meet in Brunei on November 15.")
    events = _events(extractor, text, "2000-11-06")
    met = [e for e in events if e["location"] == "Brunei"]
    assert [e["type"] for e in met] == ["summit"], "'they' are the leaders just named"
    assert met[0]["date"]["value"] == "2000-11-15"


def test_turns_were_spoken_where_the_introduction_puts_the_news_conference(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Mori and Putin: 'a starting point'\n\n"
        "Prime Minister Yoshiro Mori and President Vladimir Putin ended their talks on Sunday with a pledge to "
        "speed up work on the peace treaty. Below are excerpts from their joint news conference in Irkutsk.\n\n"
        "MORI: We confirmed that the 1956 declaration is the starting point of the negotiations.\n\n"
        "QUESTION: Mr President, will you hand over the islands?\n\n"
        "PUTIN: Nobody is handing over anything. We are looking for a solution both peoples can accept.\n"
    )
    said = _statements(_events(extractor, text, "2001-03-26"))
    assert set(said) == {"Yoshiro Mori", "Vladimir Putin"}
    assert {e["location"] for e in said.values()} == {"Irkutsk"}
    assert {e["date"]["value"] for e in said.values()} == {"2001-03-25"}


def test_a_label_may_give_the_office_and_the_full_name(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Ivanov in Tokyo\n\n"
        "The Russian foreign minister met reporters in Tokyo on Thursday after a day of talks.\n\n"
        "FOREIGN MINISTER IGOR IVANOV: The declaration of 1956 stands. We will keep working on the treaty.\n"
    )
    said = _statements(_events(extractor, text, "2000-11-03"))
    assert set(said) == {"Igor Ivanov"}
