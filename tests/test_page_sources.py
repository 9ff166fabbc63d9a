"""An article page as a source of its own: main text without the page's furniture, each substantial
revision a new article, an unchanged page nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import DATA, CliResult

PAGE = DATA / "pages" / "mofa-statement.html"


def _ingest(ntrack: Callable[..., CliResult], db_url: str, page: Path, now: str) -> dict[str, Any]:
    result = ntrack("ingest", "--page", str(page), "--json", env={"DATABASE_URL": db_url, "NTRACK_NOW": now})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_page_is_read_for_its_article_and_revisions(ntrack: Callable[..., CliResult], db_url: str, tmp_path: Path) -> None:
    page = tmp_path / "statement.html"
    shutil.copy(PAGE, page)
    first = _ingest(ntrack, db_url, page, "2000-11-01T12:00:00Z")
    assert first["articles_new"] == 1
    visit = [c["event"] for c in first["changes"] if c["event"]["type"] == "visit"]
    assert visit and visit[0]["location"] == "Moscow" and "Yohei Kono" in visit[0]["participants"]
    brunei = [c["event"] for c in first["changes"] if c["event"]["location"] == "Brunei"]
    assert brunei and brunei[0]["date"]["value"] == "2000-11-15"

    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-01T12:00:00Z"}
    search = ntrack("ask", "search Sitemap Accessibility", env=env).stdout
    assert "No articles match." in search, "the page's footer is not part of the article"
    found = ntrack("ask", "search Ivanov", env=env).stdout.split("Articles:")[1]
    assert "1 Nov 2000" in found and "No articles match." not in found, "while the article's own text is searched"

    assert _ingest(ntrack, db_url, page, "2000-11-02T12:00:00Z") == {"articles_new": 0, "changes": []}

    html = page.read_text()
    update = ("<p>The ministry said on Friday that the visit had been postponed at the request of the "
              "Russian side, and that a new date would be arranged through diplomatic channels.</p>\n"
              "<p>Officials gave no reason for the postponement of the visit to Moscow.</p>\n</article>")
    page.write_text(html.replace("</article>", update))
    revised = _ingest(ntrack, db_url, page, "2000-11-03T12:00:00Z")
    assert revised["articles_new"] == 1
    assert [(c["change"], c["old"], c["new"]) for c in revised["changes"] if c["event"]["id"] == visit[0]["id"]] == [
        ("status", "scheduled", "postponed")
    ]
