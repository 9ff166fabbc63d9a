"""The whole loop on embedded defaults: feed in, changes and alerts out, status and summary answered."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLE_FEED, run_cli


def _ingest(db_url: str, now: str, source: Path = SAMPLE_FEED) -> dict:  # type: ignore[type-arg]
    proc = run_cli("ingest", "--source", str(source), "--json", env={"DATABASE_URL": db_url, "NTRACK_NOW": now})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_ingest_records_changes_then_nothing_on_repoll(db_url: str) -> None:
    first = _ingest(db_url, "2000-11-06T12:00:00Z")
    # four articles were published by November 6; the later ones are not out yet
    assert first["articles_new"] == 4
    assert first["changes"], "the first poll records what it found"
    assert all(c["alert"] is False for c in first["changes"]), "no flood on a source's first poll"
    for change in first["changes"]:
        assert change["change"] in {"new", "status", "date", "location"}
        assert {"id", "type", "status", "date", "location", "participants", "parties"} <= change["event"].keys()
        assert change["article"]["url"].startswith("https://wire.example/")
    again = _ingest(db_url, "2000-11-06T12:00:00Z")
    assert again == {"articles_new": 0, "changes": []}


def test_later_poll_alerts_brunei_summit_held(db_url: str) -> None:
    _ingest(db_url, "2000-11-06T12:00:00Z")
    later = _ingest(db_url, "2000-11-17T06:00:00Z")
    assert later["articles_new"] == 1
    held = [c for c in later["changes"] if c["change"] == "status" and c["new"] == "held"
            and c["event"]["location"] == "Brunei"]
    assert held, later["changes"]
    assert held[0]["old"] == "scheduled" and held[0]["alert"] is True
    assert held[0]["event"]["date"]["value"] == "2000-11-15"


def test_status_shows_brunei_as_upcoming(db_url: str) -> None:
    _ingest(db_url, "2000-11-06T12:00:00Z")
    proc = run_cli("status", "--json", env={"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"})
    assert proc.returncode == 0, proc.stderr
    status = json.loads(proc.stdout)
    brunei = [e for e in status["upcoming"] if e["location"] == "Brunei"]
    assert brunei and brunei[0]["date"]["value"] == "2000-11-15" and brunei[0]["status"] == "scheduled"
    assert {"Vladimir Putin", "Yoshiro Mori"} <= set(brunei[0]["participants"])
    assert brunei[0]["source"]["url"].startswith("https://wire.example/")
    text = run_cli("status", env={"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"}).stdout
    assert "Brunei · 15 Nov 2000 · scheduled" in text
    # after the summit it is no longer upcoming
    _ingest(db_url, "2000-11-17T06:00:00Z")
    after = json.loads(run_cli("status", "--json", env={"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-17T06:00:00Z"}).stdout)
    assert not [e for e in after["upcoming"] if e["location"] == "Brunei"]


def test_ask_malformed_command_gets_help_and_reason(db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"}
    proc = run_cli("ask", "timeline lots", env=env)
    assert proc.returncode == 0
    assert "timeline: N must be a number from 1 to 50, not 'lots'" in proc.stdout
    assert "/kuril status:" in proc.stdout  # the help follows the reason
    unknown = run_cli("ask", "explode now", env=env)
    assert "Unknown command 'explode'" in unknown.stdout


def test_demo_prints_alerts_status_and_summary(tmp_path: Path) -> None:
    proc = run_cli("demo", "--database-url", f"sqlite:///{tmp_path / 'demo.db'}")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "first poll: recorded, no alerts" in out
    assert "[#kuril-demo] /kuril: Summit · Brunei · 15 Nov 2000 · Vladimir Putin, Yoshiro Mori: scheduled -> held" in out
    assert "    source: Putin and Mori agree in Brunei" in out
    assert "=== /kuril status  (as of 2000-11-06) ===" in out
    status_part = out.split("=== /kuril status  (as of 2000-11-06) ===")[1].split("---")[0]
    assert "Summit · Brunei · 15 Nov 2000 · scheduled" in status_part
    assert "=== Weekly summary" in out and "Trend:" in out and "What changed this week:" in out
    assert "alerts delivered to #kuril-demo" in out


def test_search_finds_events_and_articles(db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z"}
    _ingest(db_url, "2000-11-06T12:00:00Z")
    out = run_cli("ask", "search Brunei summits", env=env).stdout
    articles = out.split("Articles:")[1]
    # "summits" finds the singular: full text with stemming on PostgreSQL, the plural dropped on SQLite
    assert "Brunei meeting upgraded to summit" in articles
    assert "No articles match." not in articles
    assert "No articles match." in run_cli("ask", "search Reykjavik", env=env).stdout
