"""The whole loop on embedded defaults: feed in, changes and alerts out, status and summary answered.

The commands run in this process (the `ntrack` fixture: `bot.cli.main`, the real model loaded once);
one smoke test runs it in subprocesses (`python -m bot.cli`, what the `ntrack` script calls), as a user does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE_FEED, CliResult, run_cli

Ntrack = Callable[..., CliResult]
Ingest = Callable[..., dict[str, Any]]


@pytest.fixture
def ingest(ntrack: Ntrack, db_url: str) -> Ingest:
    """`ntrack ingest --source FEED --json` as of `now`, on the test's database: its JSON."""

    def run(now: str, source: Path = SAMPLE_FEED) -> dict[str, Any]:
        result = ntrack("ingest", "--source", str(source), "--json", env={"DATABASE_URL": db_url, "NTRACK_NOW": now})
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    return run


def test_cli_smoke_ingest_then_status_in_subprocesses(db_url: str) -> None:
    """The one end-to-end run of `ntrack` as a process: the sample feed in, the Brunei summit out."""
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"}
    ingest = run_cli("ingest", "--source", str(SAMPLE_FEED), env=env)
    assert ingest.returncode == 0, ingest.stderr
    # four articles were out by November 6; what they report is recorded, nobody alerted
    assert re.fullmatch(rf"{re.escape(str(SAMPLE_FEED))}: 4 new articles, [1-9]\d* changes \(first poll: recorded, no alerts\)",
                        ingest.stdout.strip()), ingest.stdout
    assert "Traceback" not in ingest.stderr
    status = run_cli("status", env=env)
    assert status.returncode == 0, status.stderr
    assert "Brunei · 15 Nov 2000 · scheduled" in status.stdout
    assert "Traceback" not in status.stderr


def test_ingest_records_changes_then_nothing_on_repoll(ingest: Ingest) -> None:
    first = ingest("2000-11-06T12:00:00Z")
    # four articles were published by November 6; the later ones are not out yet
    assert first["articles_new"] == 4
    assert first["changes"], "the first poll records what it found"
    assert all(c["alert"] is False for c in first["changes"]), "no flood on a source's first poll"
    # the Brunei meeting of the Oct 25 article is the summit of the Nov 4 one: one event, upgraded
    upgraded = [c for c in first["changes"] if c["change"] == "type"]
    assert [(c["old"], c["new"], c["event"]["location"]) for c in upgraded] == [("meeting", "summit", "Brunei")]
    text = upgraded[0]["text"]
    assert text.endswith(" will hold a summit in Brunei on 15 Nov 2000 — upgraded from a meeting."), text
    assert text.startswith(("Putin and Mori ", "Mori and Putin ")), text
    for change in first["changes"]:
        assert change["change"] in {"new", "status", "date", "location", "type"}
        assert change["text"].endswith(".") and change["text"][0].isupper(), change["text"]
        assert {"id", "type", "status", "date", "location", "participants", "parties"} <= change["event"].keys()
        assert change["article"]["url"].startswith("https://wire.example/")
    again = ingest("2000-11-06T12:00:00Z")
    assert again == {"articles_new": 0, "changes": []}


def test_later_poll_alerts_brunei_summit_held(ingest: Ingest) -> None:
    ingest("2000-11-06T12:00:00Z")
    later = ingest("2000-11-17T06:00:00Z")
    assert later["articles_new"] == 1
    held = [c for c in later["changes"] if c["change"] == "status" and c["new"] == "held"
            and c["event"]["location"] == "Brunei"]
    assert held, later["changes"]
    assert held[0]["old"] == "scheduled" and held[0]["alert"] is True
    assert held[0]["event"]["date"]["value"] == "2000-11-15"


def test_status_shows_brunei_as_upcoming(ntrack: Ntrack, ingest: Ingest, db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"}
    ingest("2000-11-06T12:00:00Z")
    result = ntrack("status", "--json", env=env)
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    brunei = [e for e in status["upcoming"] if e["location"] == "Brunei"]
    assert brunei and brunei[0]["date"]["value"] == "2000-11-15" and brunei[0]["status"] == "scheduled"
    assert {"Vladimir Putin", "Yoshiro Mori"} <= set(brunei[0]["participants"])
    assert brunei[0]["source"]["url"].startswith("https://wire.example/")
    text = ntrack("status", env=env)
    assert text.returncode == 0, text.stderr
    assert "Brunei · 15 Nov 2000 · scheduled" in text.stdout
    # after the summit it is no longer upcoming
    ingest("2000-11-17T06:00:00Z")
    after = ntrack("status", "--json", env={"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-17T06:00:00Z"})
    assert after.returncode == 0, after.stderr
    assert not [e for e in json.loads(after.stdout)["upcoming"] if e["location"] == "Brunei"]


def test_ask_malformed_command_gets_help_and_reason(ntrack: Ntrack, db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"}
    result = ntrack("ask", "timeline lots", env=env)
    assert result.returncode == 0
    assert "timeline: N must be a number from 1 to 50, not 'lots'" in result.stdout
    assert "/kuril status:" in result.stdout  # the help follows the reason
    unknown = ntrack("ask", "explode now", env=env)
    assert "Unknown command 'explode'" in unknown.stdout


def test_demo_prints_alerts_status_and_summary(ntrack: Ntrack, tmp_path: Path) -> None:
    result = ntrack("demo", "--database-url", f"sqlite:///{tmp_path / 'demo.db'}")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "first poll: recorded, no alerts" in out
    assert "[#kuril-demo] /kuril: Putin and Mori held a summit in Brunei on 15 Nov 2000." in out
    # each alert quotes the article's first sentence about the event, then names the article
    after = out.split("[#kuril-demo] /kuril: Putin and Mori held a summit in Brunei on 15 Nov 2000.\n", 1)[1]
    quote, source = after.splitlines()[:2]
    assert quote.strip().startswith("\u201c") and "Brunei" in quote and quote.strip().endswith("\u201d"), quote
    assert source.strip().startswith("source: ") and "brunei" in source, source
    assert "    source: Putin and Mori agree in Brunei" in out
    assert "=== /kuril status  (as of 2000-11-06) ===" in out
    status_part = out.split("=== /kuril status  (as of 2000-11-06) ===")[1].split("---")[0]
    assert "Summit · Brunei · 15 Nov 2000 · scheduled" in status_part
    assert "=== Weekly summary" in out and "Trend:" in out and "What changed this week:" in out
    assert "alerts delivered to #kuril-demo" in out


def test_search_finds_events_and_articles(ntrack: Ntrack, ingest: Ingest, db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"}
    ingest("2000-11-06T12:00:00Z")
    out = ntrack("ask", "search Brunei summits", env=env).stdout
    articles = out.split("Articles:")[1]
    # "summits" finds the singular: full text with stemming on PostgreSQL, the plural dropped on SQLite
    assert "Brunei meeting upgraded to summit" in articles
    assert "No articles match." not in articles
    assert "No articles match." in ntrack("ask", "search Reykjavik", env=env).stdout
