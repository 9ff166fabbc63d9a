"""The web process under load and hostile input (issue 12): 200 concurrent signed slash commands, 10 of
them slow, and one 20 MB unsigned body among them, against `ntrack serve` on loopback.

    .venv/bin/python bench/load.py [-n 200] [--slow 10] [--slow-seconds 5]

Starts `ntrack serve` (the CLI's own `serve`, uvicorn with the settings it is deployed with) in a
process of its own on 127.0.0.1 with a small SQLite database and the tests' fake Slack Web API (for
auth.test and the response_url follow-ups, loopback only). The slow commands stand for heavy
searches or a database that hangs: in the server process (and only there, only in this benchmark)
the core's answer() sleeps `--slow-seconds` for a command whose text starts with "slow". The 20 MB
body is streamed with a signature of Slack's form that is not Slack's (so the server must read up to
its limit to refuse it) while the commands are in flight.

Prints p50/p99/max latency of the signed commands, how many were acknowledged within Slack's 3 s and
how (the answer itself, "Looking that up...", or "busy, try again"), how many slow answers followed
through response_url, what the 20 MB body got, and the server's resident memory (VmRSS, and its
peak VmHWM) before and after. Nothing is asserted: the goal is every command within 3 s and the
process within +100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.slack.fake_slack import BOT_TOKEN, FakeSlackServer  # noqa: E402

SECRET = "load-signing-secret"
NOW = "2000-11-06T12:00:00Z"
FAST = ["status", "next", "timeline 10", "deadlines", "events", "who Putin", "search Brunei", "sources", "help"]
SLACK_ALLOWS = 3.0
BIG = 20 * 1024 * 1024


def _serve(port: int, slow_seconds: float) -> None:
    """The server process: `ntrack serve` with the slow test hook (run as `load.py --serve PORT`)."""
    from bot.cli import cli
    from bot.platforms.slack import commands

    real = commands.answer

    def answer(rt: Any, tracker: Any, text: str, **kw: Any) -> Any:
        if text.startswith("slow"):
            time.sleep(slow_seconds)
            text = "search Brunei"
        return real(rt, tracker, text, **kw)

    commands.answer = answer  # type: ignore[assignment]
    cli.main(["serve", "--host", "127.0.0.1", "--port", str(port)], standalone_mode=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB (from /proc; psutil is not installed)."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def _signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    sig = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig,
            "Content-Type": "application/x-www-form-urlencoded"}


def _command(text: str, response_url: str) -> str:
    return urlencode({"token": "legacy", "team_id": "T0001", "team_domain": "test", "channel_id": "C0001",
                      "channel_name": "kuril", "user_id": "U0001", "user_name": "analyst", "command": "/kuril",
                      "text": text, "api_app_id": "A0001", "response_url": response_url, "trigger_id": "1.2.3"})


async def _one(client: httpx.AsyncClient, text: str, response_url: str) -> tuple[str, float, str]:
    body = _command(text, response_url)
    started = time.monotonic()
    try:
        resp = await client.post("/slack/events", content=body, headers=_signed(body))
    except httpx.HTTPError as exc:
        return text, time.monotonic() - started, f"error {type(exc).__name__}"
    took = time.monotonic() - started
    if resp.status_code != 200:
        return text, took, f"HTTP {resp.status_code}"
    shown = str(resp.json().get("text") or "")
    if shown.startswith("Looking that up"):
        return text, took, "looking that up"
    if "busy" in shown or "Try again" in shown:
        return text, took, "busy, try again"
    return text, took, "answered in the ack"


async def _big(client: httpx.AsyncClient) -> str:
    async def stream() -> AsyncIterator[bytes]:
        piece = b"a=1&" * 16384  # 64 KB
        for _ in range(BIG // len(piece)):
            yield piece

    headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64,
               "Content-Type": "application/x-www-form-urlencoded"}
    started = time.monotonic()
    try:
        resp = await client.post("/slack/events", content=stream(), headers=headers)
        return f"HTTP {resp.status_code} {resp.text.strip()!r} in {time.monotonic() - started:.2f} s"
    except httpx.HTTPError as exc:  # the server may close the connection on a body it refused
        return f"{type(exc).__name__} after {time.monotonic() - started:.2f} s (connection closed by the server)"


async def _round(port: int, n: int, slow: int, fake_url: str) -> tuple[list[tuple[str, float, str]], str]:
    limits = httpx.Limits(max_connections=n + 10, max_keepalive_connections=n + 10)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30) as client:
        texts = [f"slow {i}" if i % (n // slow) == 0 and i // (n // slow) < slow else FAST[i % len(FAST)]
                 for i in range(n)] if slow else [FAST[i % len(FAST)] for i in range(n)]
        jobs = [_one(client, t, f"{fake_url}/response/{i}") for i, t in enumerate(texts)]
        big = asyncio.create_task(_big(client))
        results = await asyncio.gather(*jobs)
        return list(results), await big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--slow", type=int, default=10)
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve, args.slow_seconds)
        return
    with tempfile.TemporaryDirectory() as tmp, FakeSlackServer() as fake:
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/ntrack.db", "NTRACK_NOW": NOW,
               "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url}
        env.pop("DISCORD_PUBLIC_KEY", None)
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--slow-seconds",
                                   str(args.slow_seconds)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("ntrack serve did not start:\n" + (server.stderr.read().decode()
                                                                          if server.stderr else ""))
                time.sleep(0.2)
            before = _memory(server.pid)
            results, big = asyncio.run(_round(port, args.n, args.slow, fake.url))
            after = _memory(server.pid)
            wait_until = time.monotonic() + args.slow_seconds + 10
            slow_urls = {i for i, (t, _, how) in enumerate(results) if how == "looking that up"}
            while time.monotonic() < wait_until and len(fake.responses) < len(slow_urls):
                time.sleep(0.1)
            follow_ups = len(fake.responses)
        finally:
            server.terminate()
            server.wait(10)
    times = sorted(t for _, t, _ in results)
    within = sum(1 for _, t, how in results if t <= SLACK_ALLOWS and not how.startswith(("HTTP", "error")))
    hows: dict[str, int] = {}
    for _, _, how in results:
        hows[how] = hows.get(how, 0) + 1
    p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
    print(f"{len(results)} signed commands at once ({args.slow} slow: {args.slow_seconds:g} s each), "
          f"and one {BIG // (1024 * 1024)} MB unsigned body, against ntrack serve on 127.0.0.1")
    print(f"latency of signed commands: p50 {statistics.median(times) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    print(f"acknowledged within {SLACK_ALLOWS:g} s: {within}/{len(results)}  "
          + ", ".join(f"{how}: {count}" for how, count in sorted(hows.items())))
    print(f"answers that followed through response_url: {follow_ups} (of {len(slow_urls)} 'Looking that up')")
    print(f"the 20 MB unsigned body: {big}")
    print(f"server memory: VmRSS {before['VmRSS'] / 1024:.1f} MB before, {after['VmRSS'] / 1024:.1f} MB after "
          f"({(after['VmRSS'] - before['VmRSS']) / 1024:+.1f} MB); peak VmHWM {before['VmHWM'] / 1024:.1f} -> "
          f"{after['VmHWM'] / 1024:.1f} MB ({(after['VmHWM'] - before['VmHWM']) / 1024:+.1f} MB)")


if __name__ == "__main__":
    main()
