"""The web process answers from the database and never loads spaCy."""

from __future__ import annotations

import subprocess
import sys

from starlette.testclient import TestClient

from bot.web import create_app


def test_healthz_reports_poll_and_backlog(runtime) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(runtime))
    resp = client.get("/healthz")
    assert resp.status_code == 200
    body = resp.json()
    assert body["ok"] is True
    assert body["last_successful_poll"] is None
    assert body["outbox_backlog"] == 0


def test_web_process_does_not_import_spacy() -> None:
    code = "import sys, bot.web, bot.service, bot.cli; assert 'spacy' not in sys.modules, 'spacy loaded'; print('ok')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
