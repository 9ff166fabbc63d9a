"""Bad input: one clear line on stderr, a non-zero exit, never a traceback.

Each runs `bot.cli.main` in this process (the `ntrack` fixture), which is what the console script
runs: its exit code and both streams are checked as a shell would see them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_FEED, CliResult

Ntrack = Callable[..., CliResult]


USER, SOURCE = 1, 2  # the exit codes README.md documents for bad input and for a source not read


def _one_line_error(proc: CliResult, *needles: str, code: int | None) -> None:
    """`code` None: any non-zero exit."""
    assert proc.returncode != 0, proc.stdout
    if code is not None:
        assert proc.returncode == code, (proc.returncode, proc.stderr)
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ntrack: ")
    for needle in needles:
        assert needle in err


def test_extract_missing_file(ntrack: Ntrack, tmp_path: Path) -> None:
    _one_line_error(ntrack("extract", str(tmp_path / "nope.txt"), "--published", "2000-11-06", "--json"), "nope.txt", code=USER)


def test_extract_bad_date(ntrack: Ntrack, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Putin and Mori met in Brunei on November 15.")
    _one_line_error(ntrack("extract", str(f), "--published", "2000-13-45", "--json"), "2000-13-45", code=USER)


def test_unknown_tracker(ntrack: Ntrack, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("text")
    _one_line_error(ntrack("extract", str(f), "--published", "2000-11-06", "--tracker", "atlantis"), "atlantis", "kuril", code=USER)


def test_bad_now(ntrack: Ntrack, db_url: str) -> None:
    _one_line_error(ntrack("status", env={"DATABASE_URL": db_url, "NTRACK_NOW": "yesterday-ish"}), "yesterday-ish", code=USER)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", USER),
        ("sqlite:////proc/nope/ntrack.db", USER),
        ("mysql://x@127.0.0.1:1/db", None),  # no driver installed: reported, with some non-zero code
    ],
)
def test_unreachable_database(ntrack: Ntrack, url: str, code: int | None) -> None:
    _one_line_error(ntrack("status", env={"DATABASE_URL": url}), code=code)


def test_missing_source_file(ntrack: Ntrack, db_url: str, tmp_path: Path) -> None:
    _one_line_error(ntrack("ingest", "--source", str(tmp_path / "gone.xml"), env={"DATABASE_URL": db_url}), "gone.xml",
                    code=SOURCE)


def test_hostile_feed_is_refused(ntrack: Ntrack, db_url: str, tmp_path: Path) -> None:
    bomb = tmp_path / "lol.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title></item></channel></rss>"
    )
    proc = ntrack("ingest", "--source", str(bomb), "--source", str(SAMPLE_FEED), env={"DATABASE_URL": db_url, "NTRACK_NOW": "2000-09-07T00:00:00Z"})
    _one_line_error(proc, "lol.xml", "hostile", code=SOURCE)
    # the good source next to it was still read
    assert "kuril-2000.xml: 1 new articles" in proc.stdout


def test_trackers_lists_the_files_and_checks_one(ntrack: Ntrack, tmp_path: Path) -> None:
    listed = ntrack("trackers", "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"slug": "kuril"' in listed.stdout and '"command": "/kuril"' in listed.stdout
    good = tmp_path / "rivers.toml"
    good.write_text('slug = "rivers"\ntitle = "River talks"\ncommand = "/rivers"\nkeywords = ["Upper River"]\n'
                    '[[actors]]\nname = "Northland"\n', encoding="utf-8")
    shown = ntrack("trackers", str(good))
    assert shown.returncode == 0 and "/rivers" in shown.stdout and "1 parties (Northland)" in shown.stdout
    bad = tmp_path / "typo.toml"
    bad.write_text('slug = "typo"\ntitle = "T"\ncommand = "/typo"\nkeyword = ["x"]\n', encoding="utf-8")
    _one_line_error(ntrack("trackers", str(bad)), "keyword", "did you mean `keywords`", code=USER)
