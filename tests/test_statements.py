"""Statements are kept, not alerted: nearly every article has one, and a channel wants what changed.
They appear in the weekly summary's "What was said" with the sentence that reported them."""

from __future__ import annotations

from datetime import date

from bot.app import Runtime
from bot.service import answer
from tests.slack import seed


def test_a_statement_is_stored_and_summarised_but_not_alerted(runtime: Runtime) -> None:
    seed.subscribe(runtime, "#desk", platform="terminal", team_id="")
    said = seed.add_event(runtime, type="statement", status="made", day=date(2000, 11, 5), location="Tokyo",
                          title="Putin said the 1956 declaration remains valid", n=1)
    summit = seed.add_event(runtime, n=2)
    assert seed.add_change(runtime, said, kind="new", old="", new="made") == []  # no outbox row
    assert len(seed.add_change(runtime, summit, kind="new", old="", new="scheduled")) == 1

    reply = answer(runtime, runtime.tracker("kuril"), "summary")
    sections = {s.title: [line.text for line in s.lines] for s in reply.sections}
    assert any("1956 declaration remains valid" in line for line in sections["What was said"])
    assert not any("statement" in line for line in sections["What changed this week"])
    assert any("summit will be held" in line for line in sections["What changed this week"])
