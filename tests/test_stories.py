"""Stories: feeds polled step by step move one event through its changes (ntrack ingest, real model).

Each story's steps are RSS files holding every item published so far, as a real feed does; they are
copied in turn to one path, so the tracker sees one source evolving.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.ingest import ingest_source
from tests.conftest import DATA
from tests.feedsteps import poll_time

STORIES = DATA / "stories"


class Story:
    def __init__(self, runtime, kuril, extractor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        self.rt, self.kuril, self.extractor = runtime, kuril, extractor
        self.feed = tmp_path / "feed.xml"

    def poll(self, step: Path) -> Any:
        shutil.copy(step, self.feed)
        now = poll_time(step)
        return ingest_source(sessions=self.rt.sessions, tracker=self.kuril, location=str(self.feed), now=now,
                             extractor=lambda: self.extractor)


def _about(report: Any, event_id: int) -> list[tuple[str, Any, Any]]:
    return [(c["change"], c["old"], c["new"]) for c in report.changes if c["event"]["id"] == event_id]


def _find(report: Any, **want: Any) -> dict[str, Any]:
    for c in report.changes:
        ev = c["event"]
        if all((ev["date"]["value"] if k == "date" else ev[k]) == v for k, v in want.items()):
            return ev  # type: ignore[no-any-return]
    raise AssertionError(f"no change about {want}: {[(c['change'], c['event']['type'], c['event']['location']) for c in report.changes]}")


@pytest.fixture
def story(runtime, kuril, extractor, tmp_path):  # type: ignore[no-untyped-def]
    return Story(runtime, kuril, extractor, tmp_path)


def test_summit_proposed_then_scheduled_then_held(story) -> None:  # type: ignore[no-untyped-def]
    d = STORIES / "abe-putin-nagato"
    first = story.poll(d / "step1.xml")
    summit = _find(first, type="summit", location="Yamaguchi")
    assert summit["status"] == "proposed"
    assert all(c["alert"] is False for c in first.changes), "a new source's first poll alerts nobody"
    second = story.poll(d / "step2.xml")
    assert set(_about(second, summit["id"])) == {("status", "proposed", "scheduled"), ("date", None, "2016-12-15")}
    # after the first poll changes alert, except statements (recorded, never alerted)
    assert all(c["alert"] == (c["event"]["type"] != "statement") for c in second.changes)
    third = story.poll(d / "step3.xml")
    assert _about(third, summit["id"]) == [], "restating the known date is not a change"
    fourth = story.poll(d / "step4.xml")
    assert ("status", "scheduled", "held") in _about(fourth, summit["id"])
    assert story.poll(d / "step4.xml").changes == []


class _Posts:
    """A transport that keeps what it is given."""

    platform, min_interval = "slack", 0.0

    def __init__(self) -> None:
        self.titles: list[str] = []

    def send(self, channel: str, reply: Any, *, key: str, team_id: str = "") -> str:
        self.titles.append(reply.title)
        return str(len(self.titles))

    def find(self, channel: str, *, key: str, team_id: str = "") -> str | None:
        return None


def test_what_one_article_changes_about_one_event_is_one_alert(story) -> None:  # type: ignore[no-untyped-def]
    from bot.deliver import deliver_pending
    from tests.slack import seed

    d = STORIES / "abe-putin-nagato"
    seed.subscribe(story.rt, "C1")
    summit = _find(story.poll(d / "step1.xml"), type="summit", location="Yamaguchi")
    second = story.poll(d / "step2.xml")
    assert len(_about(second, summit["id"])) == 2  # status and date, each recorded as its own change
    posts = _Posts()
    deliver_pending(sessions=story.rt.sessions, transport=posts, now=poll_time(d / "step2.xml"),
                    titles={seed.kuril_id(story.rt): "/kuril"})
    about = [t for t in posts.titles if "Yamaguchi" in t]
    assert about == ["/kuril: Putin and Abe will hold a summit in Yamaguchi on 15 Dec 2016 — date now set."]


def test_summit_date_moves_then_held(story) -> None:  # type: ignore[no-untyped-def]
    d = STORIES / "irkutsk-date-move"
    summit = _find(story.poll(d / "step1.xml"), type="summit", location="Irkutsk")
    assert (summit["status"], summit["date"]["value"]) == ("scheduled", "2001-03")
    assert _about(story.poll(d / "step2.xml"), summit["id"]) == [("date", "2001-03", "2001-03-25")]
    assert _about(story.poll(d / "step3.xml"), summit["id"]) == []
    assert _about(story.poll(d / "step4.xml"), summit["id"]) == [("status", "scheduled", "held")]


def test_visit_postponed_then_rescheduled_and_repoll_is_silent(story) -> None:  # type: ignore[no-untyped-def]
    d = STORIES / "lavrov-visit-postponed"
    visit = _find(story.poll(d / "step1.xml"), type="visit", date="2007-04-16")
    assert visit["status"] == "scheduled" and "Sergei Lavrov" in visit["participants"]
    assert _about(story.poll(d / "step2.xml"), visit["id"]) == []
    assert _about(story.poll(d / "step3.xml"), visit["id"]) == [("status", "scheduled", "postponed")]
    repoll = story.poll(d / "step4.xml")
    assert (repoll.articles_new, repoll.changes) == (0, [])
    fifth = story.poll(d / "step5.xml")
    assert set(_about(fifth, visit["id"])) == {("status", "postponed", "scheduled"), ("date", "2007-04-16", "2007-06-04")}


def test_deadline_kept_then_missed(story) -> None:  # type: ignore[no-untyped-def]
    d = STORIES / "treaty-2000-deadline"
    deadline = _find(story.poll(d / "step1.xml"), type="deadline", date="2000")
    assert deadline["status"] == "active"
    assert _about(story.poll(d / "step2.xml"), deadline["id"]) == []
    assert _about(story.poll(d / "step3.xml"), deadline["id"]) == [], "in doubt is still active"
    changes = _about(story.poll(d / "step4.xml"), deadline["id"])
    assert changes in ([("status", "active", "missed")], [("status", "active", "dropped")])


def _single_item_feed(step: Path, index: int, out: Path) -> Path:
    text = step.read_text()
    items = re.findall(r"<item>.*?</item>", text, re.S)
    head, tail = text.split("<item>", 1)[0], "</channel></rss>"
    out.write_text(head + items[index] + tail)
    return out


def test_older_article_arriving_late_does_not_overwrite(runtime, kuril, extractor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    step = STORIES / "abe-putin-nagato" / "step4.xml"  # items newest first
    newest = _single_item_feed(step, 0, tmp_path / "new.xml")
    older = _single_item_feed(step, 2, tmp_path / "old.xml")  # the September article: summit scheduled
    now = poll_time(step)
    for feed in (newest, older):
        report = ingest_source(sessions=runtime.sessions, tracker=kuril, location=str(feed), now=now,
                               extractor=lambda: extractor)
    assert not [c for c in report.changes if c["change"] == "status" and c["new"] == "scheduled"], report.changes
