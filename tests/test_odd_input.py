"""Odd input gets the right failure: a command's own reason (not "cannot read its database"), a
one-line user error with exit 1 (not an internal error), a broken tracker file reported with its
path and line while every other tracker keeps working, and `postgresql://` URLs on the installed driver."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.app import Runtime
from bot.errors import UserError
from bot.service import answer
from bot.tracker import BUILTIN_DIR, load_tracker
from db import reads
from db.session import make_engine
from tests.conftest import CliResult

Ntrack = Callable[..., CliResult]
USER = 1


def _one_line(proc: CliResult, *needles: str) -> None:
    assert proc.returncode == USER, (proc.returncode, proc.stderr)
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr and "internal error" not in err, err
    assert len(err.splitlines()) == 1 and err.startswith("ntrack: "), err
    for needle in needles:
        assert needle in err, err


# ------------------------------------------------------------------------------------- commands

@pytest.mark.parametrize("count", ["²", "⑤", "٣", "１０", "5.0", "-3", "99999999999999999999"])
def test_timeline_counts_are_ascii_digits(runtime: Runtime, count: str) -> None:
    reply = answer(runtime, runtime.tracker("kuril"), f"timeline {count}")
    assert reply.error and "N must be a number from 1 to 50" in reply.error, reply


def test_timeline_ascii_count_still_works(runtime: Runtime) -> None:
    reply = answer(runtime, runtime.tracker("kuril"), "timeline 5")
    assert reply.error is None and reply.title == "Timeline (last 5)"


def test_a_thousand_word_search_is_refused_with_a_reason(runtime: Runtime) -> None:
    words = " ".join(f"w{i}" for i in range(1000))
    reply = answer(runtime, runtime.tracker("kuril"), f"search {words}")
    assert reply.error and "at most 12 words" in reply.error, reply


def test_a_thousand_term_search_never_makes_sql_too_deep(runtime: Runtime) -> None:
    words = " ".join(f"w{i}" for i in range(1000))
    with runtime.sessions.begin() as session:
        tid = runtime.tracker_id(runtime.tracker("kuril"))
        assert reads.search(session=session, tracker_id=tid, words=words, now=runtime.now) == ([], [])


def test_an_overlong_search_is_refused_with_a_reason(runtime: Runtime) -> None:
    reply = answer(runtime, runtime.tracker("kuril"), "search " + "x" * 5000)
    assert reply.error and "at most 200 characters" in reply.error, reply


@pytest.mark.parametrize("text", ["search Brunei\x00summit", "search \x00", "who Pu\x00tin", "events summit\x00",
                                  "search Brunei\x07\x1b[31m"])
def test_nul_and_control_characters_never_reach_the_database(runtime: Runtime, text: str) -> None:
    reply = answer(runtime, runtime.tracker("kuril"), text)  # PostgreSQL refuses NUL in any text
    assert "\x00" not in (reply.title or "")


def test_nul_in_search_words_is_dropped_by_the_reads(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        tid = runtime.tracker_id(runtime.tracker("kuril"))
        assert reads.search(session=session, tracker_id=tid, words="Brunei\x00 summit", now=runtime.now) == ([], [])


# ------------------------------------------------------------------------------------------- CLI

@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1799-12-31", "2201-01-01"])
def test_published_date_out_of_range_is_a_user_error(ntrack: Ntrack, tmp_path: Path, day: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Putin and Mori met in Brunei on November 15.")
    _one_line(ntrack("extract", str(f), "--published", day, "--json"), day, "1800")


def test_a_50_mb_article_is_a_user_error(ntrack: Ntrack, tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text("The Kuril Islands dispute. " * (50 * 1024 * 1024 // 27))
    _one_line(ntrack("extract", str(f), "--published", "2000-11-06", "--json"), "big.txt")


# ---------------------------------------------------------------------------------- tracker files

GOOD = '''slug = "{slug}"
title = "Test {slug}"
command = "/{slug}"
keywords = ["{slug}"]

[[people]]
name = "{name}"
years = {years}
'''


def _write(directory: Path, slug: str, *, name: str = "Ann Smith", years: str = "[2000, 2004]", raw: str | None = None) -> Path:
    path = directory / f"{slug}.toml"
    path.write_text(raw if raw is not None else GOOD.format(slug=slug, name=name, years=years))
    return path


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"name": ""}, "people[0].name"),
    ({"name": "   "}, "people[0].name"),
    ({"years": '"abc"'}, "people[0].years"),
    ({"years": '["a", "b"]'}, "people[0].years[0]"),
    ({"years": "[2000]"}, "people[0].years"),
    ({"years": "[2004, 2000]"}, "people[0].years"),
])
def test_a_broken_field_names_the_file_and_the_field(tmp_path: Path, kwargs: dict[str, str], field: str) -> None:
    path = _write(tmp_path, "broken", **kwargs)
    with pytest.raises(UserError) as exc:
        load_tracker("broken", str(tmp_path))
    assert str(path) in str(exc.value) and field in str(exc.value), exc.value
    assert len(str(exc.value).splitlines()) == 1


@pytest.mark.parametrize("field", ["slug", "title", "command"])
def test_an_empty_name_slug_or_command_is_refused(tmp_path: Path, field: str) -> None:
    text = GOOD.format(slug="broken", name="Ann Smith", years="[2000, 2004]")
    text = "\n".join(f'{field} = ""' if line.startswith(f"{field} =") else line for line in text.splitlines())
    _write(tmp_path, "broken", raw=text)
    with pytest.raises(UserError, match=rf"broken\.toml is invalid: {field}: must be a non-empty text"):
        load_tracker("broken", str(tmp_path))


def test_a_toml_syntax_error_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken", raw='slug = "broken"\ntitle = "x"\ncommand = "/broken\n')
    with pytest.raises(UserError) as exc:
        load_tracker("broken", str(tmp_path))
    assert str(path) in str(exc.value) and "line 3" in str(exc.value), exc.value


def test_the_builtin_tracker_still_loads() -> None:
    assert load_tracker("kuril").people and (BUILTIN_DIR / "kuril.toml").is_file()


def test_one_broken_tracker_file_leaves_every_other_tracker_working(db_url: str, tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    from bot.app import open_runtime
    from bot.settings import Settings

    trackers = tmp_path / "trackers"
    trackers.mkdir()
    _write(trackers, "arctic")
    broken = _write(trackers, "broken", years='"abc"')
    syntax = _write(trackers, "syntax", raw="slug = \n")
    rt = open_runtime(Settings(DATABASE_URL=db_url, NTRACK_NOW="2000-11-06T12:00:00Z",
                               NTRACK_TRACKERS_DIR=str(trackers)), migrate=True)
    try:
        with caplog.at_level("ERROR", logger="ntrack.trackers"):
            slugs = sorted(t.slug for t in rt.trackers().values())
            rt.trackers()  # reported once per runtime
        assert slugs == ["arctic", "kuril"]
        assert len(rt.tracker_problems) == 2
        assert str(broken) in rt.tracker_problems[0] and "people[0].years" in rt.tracker_problems[0]
        assert str(syntax) in rt.tracker_problems[1] and "line 1" in rt.tracker_problems[1]
        assert [r.getMessage() for r in caplog.records] == rt.tracker_problems
        with pytest.raises(UserError, match="people\\[0\\].years"):
            rt.tracker("broken")
    finally:
        rt.engine.dispose()


def test_worker_once_runs_with_a_broken_tracker_file(ntrack: Ntrack, db_url: str, tmp_path: Path) -> None:
    trackers = tmp_path / "trackers"
    trackers.mkdir()
    _write(trackers, "broken", name="")
    proc = ntrack("worker", "--once", env={"DATABASE_URL": db_url, "NTRACK_TRACKERS_DIR": str(trackers),
                                           "NTRACK_NOW": "2000-11-06T12:00:00Z"})
    assert proc.returncode == 0, proc.stderr
    assert "no sources due" in proc.stdout


def test_a_broken_tracker_named_on_the_cli_is_one_line(ntrack: Ntrack, db_url: str, tmp_path: Path) -> None:
    trackers = tmp_path / "trackers"
    trackers.mkdir()
    path = _write(trackers, "broken", years='"abc"')
    proc = ntrack("status", "--tracker", "broken", env={"DATABASE_URL": db_url, "NTRACK_TRACKERS_DIR": str(trackers)})
    _one_line(proc, str(path), "people[0].years")


def test_the_builtin_tracker_copied_elsewhere_loads_the_same(tmp_path: Path) -> None:
    shutil.copy(BUILTIN_DIR / "kuril.toml", tmp_path / "kuril.toml")
    assert load_tracker("kuril", str(tmp_path)) == load_tracker("kuril")


# -------------------------------------------------------------------------------- database URLs

@pytest.mark.parametrize("url", ["postgresql://u:p@127.0.0.1:1/db", "postgres://u:p@127.0.0.1:1/db"])
def test_postgresql_urls_use_the_installed_driver(url: str) -> None:
    engine = make_engine(url)
    try:
        assert engine.url.drivername == "postgresql+psycopg"
        assert engine.url.host == "127.0.0.1" and engine.url.database == "db"
    finally:
        engine.dispose()


def test_postgresql_url_on_the_cli_is_reached_with_psycopg(ntrack: Ntrack) -> None:
    # nothing listens on port 1: "cannot reach", not "No module named 'psycopg2'"
    proc = ntrack("status", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    _one_line(proc, "cannot reach the database")
