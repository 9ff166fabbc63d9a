"""Fetch a source: a local file or an http(s) URL, with conditional GET, timeouts and a body cap."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

from bot.errors import SourceError


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What the fetcher got: a body, or `not_modified` (304) and nothing to parse."""

    url: str
    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    not_modified: bool = False


def is_url(location: str) -> bool:
    return urlparse(location).scheme in {"http", "https"}


def fetch(
    location: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    user_agent: str = "ntrack",
    timeout: float = 30.0,
    max_bytes: int = 10 * 1024 * 1024,
    transport: httpx.BaseTransport | None = None,
) -> FetchResult:
    """Read `location` (a path or an http(s) URL); raise SourceError with a one-line reason."""
    if not is_url(location):
        if urlparse(location).scheme not in {"", "file"}:
            raise SourceError(f"{location}: unsupported scheme (use a file path or an http(s) URL)")
        path = Path(location.removeprefix("file://"))
        if not path.is_file():
            raise SourceError(f"{location}: no such file")
        data = path.read_bytes()
        if len(data) > max_bytes:
            raise SourceError(f"{location}: larger than {max_bytes} bytes")
        return FetchResult(url=location, body=data)

    headers = {"User-Agent": user_agent, "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limits = httpx.Timeout(timeout, connect=min(10.0, timeout))
    try:
        with (
            httpx.Client(follow_redirects=True, max_redirects=5, timeout=limits, transport=transport) as client,
            client.stream("GET", location, headers=headers) as resp,
        ):
            if resp.status_code == 304:
                return FetchResult(url=location, body=None, etag=etag, last_modified=last_modified, not_modified=True)
            if resp.status_code >= 400:
                raise SourceError(f"{location}: HTTP {resp.status_code}")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError(f"{location}: body larger than {max_bytes} bytes, aborted")
                chunks.append(chunk)
            return FetchResult(
                url=str(resp.url),
                body=b"".join(chunks),
                etag=resp.headers.get("ETag"),
                last_modified=resp.headers.get("Last-Modified"),
                content_type=resp.headers.get("Content-Type"),
            )
    except httpx.TimeoutException:
        raise SourceError(f"{location}: timed out") from None
    except httpx.TooManyRedirects:
        raise SourceError(f"{location}: too many redirects") from None
    except httpx.HTTPError as exc:
        raise SourceError(f"{location}: {type(exc).__name__}: {exc}".splitlines()[0]) from None
