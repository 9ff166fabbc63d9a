"""Bad input: one clear line on stderr, a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLE_FEED, run_cli


def _one_line_error(proc, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert proc.returncode != 0, proc.stdout
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ntrack: ")
    for needle in needles:
        assert needle in err


def test_extract_missing_file(tmp_path: Path) -> None:
    _one_line_error(run_cli("extract", str(tmp_path / "nope.txt"), "--published", "2000-11-06", "--json"), "nope.txt")


def test_extract_bad_date(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Putin and Mori met in Brunei on November 15.")
    _one_line_error(run_cli("extract", str(f), "--published", "2000-13-45", "--json"), "2000-13-45")


def test_unknown_tracker(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("text")
    _one_line_error(run_cli("extract", str(f), "--published", "2000-11-06", "--tracker", "atlantis"), "atlantis", "kuril")


def test_bad_now(db_url: str) -> None:
    _one_line_error(run_cli("status", env={"DATABASE_URL": db_url, "NTRACK_NOW": "yesterday-ish"}), "yesterday-ish")


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://nobody@127.0.0.1:1/none", "sqlite:////proc/nope/ntrack.db", "mysql://x@127.0.0.1:1/db"],
)
def test_unreachable_database(url: str) -> None:
    _one_line_error(run_cli("status", env={"DATABASE_URL": url}))


def test_missing_source_file(db_url: str, tmp_path: Path) -> None:
    _one_line_error(run_cli("ingest", "--source", str(tmp_path / "gone.xml"), env={"DATABASE_URL": db_url}), "gone.xml")


def test_hostile_feed_is_refused(db_url: str, tmp_path: Path) -> None:
    bomb = tmp_path / "lol.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title></item></channel></rss>"
    )
    proc = run_cli("ingest", "--source", str(bomb), "--source", str(SAMPLE_FEED), env={"DATABASE_URL": db_url, "NTRACK_NOW": "2000-09-07T00:00:00Z"})
    _one_line_error(proc, "lol.xml", "hostile")
    # the good source next to it was still read
    assert "kuril-2000.xml: 1 new articles" in proc.stdout
