"""`ntrack`: the command line. Every bad input ends in one clear line on stderr and a non-zero exit."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from bot import clock
from bot.errors import SourceError, UserError
from bot.settings import Settings, get_settings

EXIT_USER = 1
EXIT_SOURCE = 2
EXIT_INTERNAL = 70


def _settings() -> Settings:
    return get_settings()


def _runtime(migrate: bool | None = None):  # type: ignore[no-untyped-def]
    from bot.app import open_runtime

    return open_runtime(_settings(), migrate=migrate)


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ntrack")
def cli() -> None:
    """ntrack: a negotiation tracker that reads the news and tells you what changed."""


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema (Alembic head)."""
    from db.migrate import upgrade
    from db.session import check_connection, make_engine, redact

    settings = _settings()
    engine = make_engine(settings.database_url)
    check_connection(engine)
    upgrade(engine)
    click.echo(f"database at {redact(settings.database_url)} is up to date")


@cli.command()
@click.option("--source", "sources", multiple=True, help="RSS/Atom/JSON feed: a file path or an http(s) URL (repeatable). Default: the tracker's feeds.")
@click.option("--tracker", "tracker_slug", default=None, help="Tracker slug (default: kuril).")
@click.option("--json", "as_json", is_flag=True, help='Print {"articles_new": N, "changes": [...]}.')
@click.option("--page", "pages", multiple=True, help="An article page (file or URL) read as a source of its own, for its main text (repeatable).")
@click.option("--backfill", is_flag=True, help="Read the sources' history: record without alerting, with a progress bar.")
def ingest(sources: tuple[str, ...], pages: tuple[str, ...], tracker_slug: str | None, as_json: bool,
           backfill: bool) -> None:
    """Fetch sources once: store new articles, extract events, record changes, queue alerts."""
    from bot.worker import extractor_for, ingest_all

    rt = _runtime()
    tracker = rt.tracker(tracker_slug)
    locations = [*sources, *pages] or [*tracker.feeds, *tracker.pages]
    if not locations:
        raise UserError(f"tracker {tracker.slug!r} has no feeds: pass --source PATH_OR_URL")
    if backfill:
        from bot.progress import backfill_progress

        with backfill_progress(len(set(locations))) as progress:
            reports, failures = ingest_all(rt, tracker, locations, extractor=extractor_for(tracker), alert=False, pages=pages,
                                           progress=progress)
    else:
        reports, failures = ingest_all(rt, tracker, locations, extractor=extractor_for(tracker), pages=pages)
    total_new = sum(r.articles_new for r in reports)
    changes = [c for r in reports for c in r.changes]
    if as_json:
        _emit({"articles_new": total_new, "changes": changes})
    else:
        for r in reports:
            state = "not modified" if r.not_modified else f"{r.articles_new} new articles, {len(r.changes)} changes"
            note = " (first poll: recorded, no alerts)" if r.first_poll and r.changes else ""
            skipped = f", {r.entries_skipped} entries skipped" if r.entries_skipped else ""
            click.echo(f"{r.source}: {state}{skipped}{note}")
    for r in reports:
        for line in r.entry_notes:  # an entry that could not be read: the rest of its feed was
            click.echo(f"ntrack: {line}", err=True)
    for failure in failures:
        click.echo(f"ntrack: {failure}", err=True)
    if failures:
        sys.exit(EXIT_SOURCE)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--published", required=True, help="Publication date, YYYY-MM-DD.")
@click.option("--tracker", "tracker_slug", default=None)
@click.option("--title", default=None)
@click.option("--url", default=None)
@click.option("--json", "as_json", is_flag=True, help="FORMAT.md JSON (the default output, kept for scripts).")
def extract(file: Path, published: str, tracker_slug: str | None, title: str | None, url: str | None, as_json: bool) -> None:
    """Extract one article's events, no database, in the format of FORMAT.md."""
    from bot.extract.events import Extractor
    from bot.extract.nlp import load_nlp
    from bot.tracker import load_tracker

    day = clock.parse_day(published)
    if not file.is_file():
        raise UserError(f"no such file: {file}")
    size, limit = file.stat().st_size, _settings().max_body_bytes
    if size > limit:
        raise UserError(f"{file} is {size:,} bytes; articles are read up to {limit:,} bytes (NTRACK_MAX_BODY_BYTES)")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{file} is not UTF-8 text") from None
    settings = _settings()
    tracker = load_tracker(tracker_slug or settings.default_tracker, settings.trackers_dir)
    events = Extractor(load_nlp(tracker), tracker).extract(text, day)
    _emit({"article": {"published": day.isoformat(), "title": title, "url": url}, "events": [e.to_json() for e in events]})


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def trackers(files: tuple[Path, ...], as_json: bool) -> None:
    """List the tracker files ntrack knows (built-in and NTRACK_TRACKERS_DIR), or check FILES: each
    one's command, parties, people, places and feeds, and one line per file that is wrong."""
    from bot.tracker import Tracker, available, load_tracker, load_tracker_file

    settings = _settings()
    found: list[Tracker] = []
    problems: list[str] = []
    for name in files or available(settings.trackers_dir):
        try:
            found.append(load_tracker_file(name) if isinstance(name, Path) else load_tracker(name, settings.trackers_dir))
        except UserError as exc:
            problems.append(str(exc))
    commands: dict[str, str] = {}
    for t in found:
        if t.command in commands:
            problems.append(f"trackers {commands[t.command]!r} and {t.slug!r} both use the command {t.command}")
        commands.setdefault(t.command, t.slug)
    rows: list[dict[str, Any]] = [{"slug": t.slug, "command": t.command, "title": t.title, "keywords": len(t.keywords),
             "min_keyword_hits": t.min_keyword_hits, "parties": list(t.parties), "people": len(t.people),
             "places": len(t.places), "offices": len(t.offices), "feeds": len(t.feeds) + len(t.pages),
             "vocabulary": {"triggers": len(t.triggers), "cues": len(t.cues)}} for t in found]
    if as_json:
        _emit({"trackers": rows, "problems": problems})
    else:
        for r in rows:
            vocab = r["vocabulary"]
            click.echo(f"{r['command']:<12} {r['slug']}: {r['title']}\n"
                       f"             {len(r['parties'])} parties ({', '.join(r['parties'])}), {r['people']} people, "
                       f"{r['places']} places, {r['offices']} offices, {r['keywords']} keywords "
                       f"(relevant from {r['min_keyword_hits']}), {r['feeds']} feeds and pages, "
                       f"vocabulary: {vocab['triggers']} phrases, {vocab['cues']} cues")
        for line in problems:
            click.echo(f"ntrack: {line}", err=True)
    if problems:
        sys.exit(EXIT_USER)


@cli.command()
@click.option("--tracker", "tracker_slug", default=None)
@click.option("--json", "as_json", is_flag=True)
def status(tracker_slug: str | None, as_json: bool) -> None:
    """The tracker's state: upcoming events, recent developments, active deadlines."""
    from bot.service import status_json

    rt = _runtime()
    tracker = rt.tracker(tracker_slug)
    if as_json:
        _emit(status_json(rt, tracker))
        return
    click.echo(_answer(rt, tracker, "status"))


def _answer(rt: Any, tracker: Any, text: str, channel: str | None = None) -> str:
    """The reply to `text`, as the terminal platform renders it."""
    from bot import platforms
    from bot.service import answer

    terminal = platforms.get("terminal")
    reply = answer(rt, tracker, text, channel=channel, platform=terminal.name, admins=terminal.admins)
    out = str(terminal.render(reply))
    if reply.image is not None:  # a terminal shows no pictures: it says where the file is
        from bot.chart_store import ChartStore, image_file

        path = image_file(rt, ChartStore.of(rt.settings), reply.image)
        if path is not None:
            out += f"\n\nPicture: {path}"
    return out


@cli.command()
@click.argument("text", default="")
@click.option("--tracker", "tracker_slug", default=None)
@click.option("--channel", default=None, help="Act as if typed in this channel (for subscribe/unsubscribe).")
def ask(text: str, tracker_slug: str | None, channel: str | None) -> None:
    """The bot's reply to `/kuril TEXT`, rendered for a terminal."""
    rt = _runtime()
    click.echo(_answer(rt, rt.tracker(tracker_slug), text, channel=channel))


@cli.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The PNG file to write.")
@click.option("--tracker", "tracker_slug", default=None)
@click.option("--months", default=None, help="The last N months (1-120) and a little ahead; default 12.")
@click.option("--from", "start", default=None, help="First day, YYYY-MM-DD (with --to, or spanning --months).")
@click.option("--to", "end", default=None, help="Last day, YYYY-MM-DD.")
def chart(out: Path, tracker_slug: str | None, months: str | None, start: str | None, end: str | None) -> None:
    """Draw the tracker's timeline picture into a PNG file (as /t/<slug>/timeline.png shows it)."""
    from bot.chart import HEIGHT, WIDTH, parse_window, picture_for
    from bot.chart_draw import render_png

    rt = _runtime()
    tracker = rt.tracker(tracker_slug)
    query = {k: v for k, v in (("months", months), ("from", start), ("to", end)) if v is not None}
    window = parse_window(query, rt.now.date())
    tracker_id = rt.tracker_id(tracker)
    with rt.sessions.begin() as session:
        picture = picture_for(session=session, tracker=tracker, tracker_id=tracker_id, window=window)
    try:
        out.write_bytes(render_png(picture))
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    n = len(picture.events)
    click.echo(f"{out}: {tracker.slug} timeline, {window.start} to {window.end}, {n} event{'s' if n != 1 else ''} "
               f"({WIDTH}x{HEIGHT} PNG)")


@cli.command()
@click.option("--port", default=lambda: int(os.environ.get("PORT", "8000")), type=int, show_default="$PORT or 8000")
@click.option("--host", default="0.0.0.0")
@click.option("--socket-mode", is_flag=True,
              help="Take commands over a connection the app opens (Slack's Socket Mode, SLACK_APP_TOKEN), not HTTP.")
def serve(port: int, host: str, socket_mode: bool) -> None:
    """The web process: answers from the database, never loads spaCy."""
    rt = _runtime()
    if socket_mode:
        import logging

        from bot import platforms

        runners = [run for p in platforms.enabled(rt.settings) if (run := p.socket_mode(rt)) is not None]
        if not runners:
            raise UserError("no platform is set up for socket mode (Slack: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN)")
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        runners[0]()
        return
    import gc

    import uvicorn

    from bot.web import create_app, guarded_protocol

    app = create_app(rt)
    # What start-up loaded lives as long as the process: kept out of the collector's full passes, which
    # otherwise stall a request for ~50 ms every so often.
    gc.collect()
    gc.freeze()
    s = rt.settings
    # Idle and slow connections are closed (keep-alive, request head within NTRACK_HEADER_TIMEOUT),
    # request heads are bounded, and beyond NTRACK_MAX_CONNECTIONS uvicorn answers 503 at once.
    uvicorn.run(app, host=host, port=port, log_level="info", http=guarded_protocol(s.header_timeout),
                timeout_keep_alive=s.keep_alive, limit_concurrency=s.max_connections,
                h11_max_incomplete_event_size=s.max_header_bytes)


@cli.command()
@click.option("--once", is_flag=True, help="Run every due job once and exit.")
def worker(once: bool) -> None:
    """The scheduler, for every tracker: polls sources, delivers alerts, posts weekly summaries."""
    from bot.worker import run_forever, run_once

    rt = _runtime()
    if once:
        for line in run_once(rt):
            click.echo(line)
    else:
        run_forever(rt)


@cli.command()
@click.option("--database-url", default=None, help="Default: a fresh SQLite file under ./data/.")
def demo(database_url: str | None) -> None:
    """Replay autumn 2000 - spring 2001 from the bundled sample feed: alerts, status, weekly summary."""
    from bot.demo import run_demo

    run_demo(database_url=database_url, write=click.echo)


def _add_platform_commands() -> None:
    """Each platform's own commands (`ntrack discord register`), from the registry."""
    from bot import platforms

    for platform in platforms.every():
        for command in platform.cli():
            if command.name not in cli.commands:
                cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors in one line, never a traceback (NTRACK_DEBUG=1 shows it)."""
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    debug = os.environ.get("NTRACK_DEBUG") == "1"
    try:
        _add_platform_commands()
        cli.main(args=argv, prog_name="ntrack", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("ntrack: aborted", err=True)
        sys.exit(EXIT_USER)
    except click.ClickException as exc:
        click.echo(f"ntrack: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except SourceError as exc:
        click.echo(f"ntrack: {exc}", err=True)
        sys.exit(EXIT_SOURCE)
    except UserError as exc:
        click.echo(f"ntrack: {exc}", err=True)
        sys.exit(EXIT_USER)
    except OperationalError as exc:
        if debug:
            raise
        reason = str(exc.orig or exc).strip().splitlines()[0]
        click.echo(f"ntrack: database error: {reason}", err=True)
        sys.exit(EXIT_USER)
    except SQLAlchemyError as exc:
        if debug:
            raise
        click.echo(f"ntrack: database error: {str(exc).splitlines()[0]}", err=True)
        sys.exit(EXIT_INTERNAL)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        click.echo(f"ntrack: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
                   "(NTRACK_DEBUG=1 shows the traceback)", err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
