"""Fetch a source: a local file or an http(s) URL. Every limit lives here, not in the callers.

Conditional GET (ETag / Last-Modified), a deadline for the whole fetch (redirects, slow and silent
servers included), a body cap on the wire and after decompression (gzip bombs), a redirect cap,
Retry-After on 429/503, Cache-Control max-age, per-host pacing, and for sources added from chat an
address policy checked on every hop and at connect time. Every failure is one line (SourceError).
"""

from __future__ import annotations

import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import httpcore
import httpx

from bot.errors import SourceError
from bot.netguard import AddressPolicy, Resolver, check_scheme, check_url, permitted_addresses

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# A Retry-After or max-age beyond this is a mistake or hostile; we come back within a week anyway.
MAX_WAIT = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What the fetcher got: a body, or `not_modified` (304) and nothing to parse."""

    url: str
    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    not_modified: bool = False
    # Seconds the server says the response stays fresh (Cache-Control max-age); None: no promise.
    max_age: int | None = None


class RetryLater(SourceError):
    """429 or 503: the server asked us to come back, in `retry_after` seconds when it said so."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class HostPacer:
    """At most one request per `interval` seconds to any one host, across the threads of a process."""

    def __init__(
        self, interval: float, *, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.interval = interval
        self._clock, self._sleep = clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Block until `host` may be asked again; return the seconds waited."""
        if self.interval <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        if slot > now:
            self._sleep(slot - now)
        return slot - now


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
    connect_timeout: float = 10.0,
    max_redirects: int = 5,
    policy: AddressPolicy | None = None,
    pacer: HostPacer | None = None,
    accept: str = FEED_ACCEPT,
    resolver: Resolver | None = None,
) -> FetchResult:
    """Read `location` (a path or an http(s) URL); raise SourceError with a one-line reason.

    `policy` (sources from chat) restricts every hop to permitted addresses; None trusts the URL.
    The whole fetch, redirects included, ends within `timeout` seconds.
    """
    if not is_url(location):
        if policy is not None:
            check_scheme(location)  # raises: chat sources are http(s) only
        return _read_file(location, max_bytes)

    url = location
    if policy is not None:
        check_url(url, policy, resolver=resolver)
    headers = {"User-Agent": user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if pacer is not None:
        pacer.wait(_host(url))
    deadline = time.monotonic() + timeout
    limits = httpx.Timeout(timeout, connect=min(connect_timeout, timeout))
    transport = transport or _Transport(_Backend(deadline, policy, resolver))
    try:
        with httpx.Client(transport=transport, timeout=limits, follow_redirects=False, trust_env=False) as client:
            for _hop in range(max_redirects + 1):
                with client.stream("GET", url, headers=headers) as resp:
                    if resp.status_code in REDIRECTS and resp.headers.get("Location"):
                        url = _next_hop(url, resp.headers["Location"], location, policy, resolver)
                        if pacer is not None and _host(url) != _host(str(resp.url)):
                            pacer.wait(_host(url))
                        continue
                    return _result(location, resp, etag, last_modified, max_bytes, deadline, timeout)
            raise SourceError(f"{location}: too many redirects (more than {max_redirects})")
    except httpx.ConnectTimeout:
        raise SourceError(f"{location}: could not connect within {min(connect_timeout, timeout):g}s") from None
    except httpx.TimeoutException:
        raise SourceError(f"{location}: timed out (no complete answer within {timeout:g}s)") from None
    except httpx.ConnectError as exc:
        raise SourceError(f"{location}: cannot connect ({_first_line(exc)})") from None
    except httpx.HTTPError as exc:
        raise SourceError(f"{location}: {type(exc).__name__}: {_first_line(exc)}") from None


def _read_file(location: str, max_bytes: int) -> FetchResult:
    if urlparse(location).scheme not in {"", "file"}:
        raise SourceError(f"{location}: unsupported scheme (use a file path or an http(s) URL)")
    path = Path(location.removeprefix("file://"))
    if not path.is_file():
        raise SourceError(f"{location}: no such file")
    if path.stat().st_size > max_bytes:
        raise SourceError(f"{location}: larger than {max_bytes} bytes")
    return FetchResult(url=location, body=path.read_bytes())


def _next_hop(url: str, target: str, location: str, policy: AddressPolicy | None, resolver: Resolver | None) -> str:
    nxt = urljoin(url, target.strip())
    if urlparse(nxt).scheme not in {"http", "https"}:
        raise SourceError(f"{location}: redirected to a non-http(s) URL ({nxt[:200]})")
    if policy is not None:
        check_url(nxt, policy, resolver=resolver)
    return nxt


def _result(
    location: str, resp: httpx.Response, etag: str | None, last_modified: str | None, max_bytes: int,
    deadline: float, timeout: float,
) -> FetchResult:
    status = resp.status_code
    if status == 304:
        return FetchResult(url=str(resp.url), body=None, etag=resp.headers.get("ETag") or etag,
                           last_modified=resp.headers.get("Last-Modified") or last_modified, not_modified=True,
                           max_age=max_age(resp.headers.get("Cache-Control")))
    if status in (429, 503):
        wait = retry_after(resp.headers.get("Retry-After"), resp.headers.get("Date"))
        said = f", retry after {wait:g}s" if wait is not None else ""
        raise RetryLater(f"{location}: HTTP {status} {resp.reason_phrase or ''}".rstrip() + said, wait)
    if status >= 400 or status < 200 or status in REDIRECTS:
        raise SourceError(f"{location}: HTTP {status} {resp.reason_phrase or ''}".rstrip())
    length = resp.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise SourceError(f"{location}: body larger than {max_bytes} bytes (Content-Length {length}), not read")
    body = b"".join(_capped(location, resp, max_bytes, deadline, timeout))
    return FetchResult(
        url=str(resp.url), body=body, etag=resp.headers.get("ETag"), last_modified=resp.headers.get("Last-Modified"),
        content_type=resp.headers.get("Content-Type"), max_age=max_age(resp.headers.get("Cache-Control")),
    )


def _capped(location: str, resp: httpx.Response, max_bytes: int, deadline: float, timeout: float) -> Iterator[bytes]:
    """The decoded body, aborted as soon as the wire bytes or the decompressed bytes pass `max_bytes`."""
    encodings = [e.strip().lower() for e in resp.headers.get("Content-Encoding", "").split(",") if e.strip()]
    encodings = [e for e in encodings if e != "identity"]
    if len(encodings) > 1 or (encodings and encodings[0] not in {"gzip", "x-gzip", "deflate"}):
        raise SourceError(f"{location}: unsupported Content-Encoding {', '.join(encodings)}")
    inflate = _Inflater(encodings[0]) if encodings else None
    wire = produced = 0
    for raw in resp.iter_raw():
        wire += len(raw)
        if wire > max_bytes:
            raise SourceError(f"{location}: body larger than {max_bytes} bytes, aborted")
        if time.monotonic() > deadline:
            raise SourceError(f"{location}: timed out (no complete answer within {timeout:g}s)")
        chunk = raw
        if inflate is not None:
            try:
                chunk = inflate.feed(raw, max_bytes - produced + 1)
            except zlib.error:
                raise SourceError(f"{location}: corrupt {encodings[0]} body") from None
        produced += len(chunk)
        if produced > max_bytes:
            raise SourceError(f"{location}: body decompresses to more than {max_bytes} bytes, aborted")
        yield chunk
    if inflate is not None and wire and not inflate.complete:
        raise SourceError(f"{location}: corrupt or truncated {encodings[0]} body")


class _Inflater:
    """gzip or deflate (zlib-wrapped or raw), never producing more than asked for per call."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding != "deflate"
        self._d: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS) if self._gzip else None

    def feed(self, data: bytes, room: int) -> bytes:
        if self._d is None:  # deflate: servers send zlib streams or, wrongly, raw deflate
            zlib_header = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        # Output beyond `room` stays in unconsumed_tail; the caller aborts before asking for it.
        return bytes(self._d.decompress(data, max(1, room)))

    @property
    def complete(self) -> bool:
        return self._d is not None and bool(self._d.eof)


def max_age(cache_control: str | None) -> int | None:
    """Seconds from `Cache-Control: max-age=N`; None when absent, invalid, or no-store/no-cache."""
    if not cache_control:
        return None
    directives = {}
    for part in cache_control.lower().split(","):
        key, _, value = part.strip().partition("=")
        directives[key.strip()] = value.strip().strip('"')
    if "no-store" in directives or "no-cache" in directives:
        return None
    value = directives.get("max-age", "")
    return min(int(value), MAX_WAIT) if value.isdigit() else None


def retry_after(value: str | None, server_date: str | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds, or an HTTP date measured from the server's own Date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), MAX_WAIT))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    base = None
    if server_date:
        try:
            base = parsedate_to_datetime(server_date)
        except (TypeError, ValueError, IndexError):
            base = None
    base = base or datetime.now(UTC)  # the server's clock when it sent one; the wall clock otherwise
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if base.tzinfo is None:
        base = base.replace(tzinfo=UTC)
    return float(min(max(0.0, (when - base).total_seconds()), MAX_WAIT))


def _host(url: str) -> str:
    return (urlparse(url).hostname or "").lower()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process: loading the CA bundle costs more than a 304."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write is cut short by the fetch's deadline (trickling servers)."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner, self._deadline = inner, deadline

    def _left(self, timeout: float | None, exc: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise exc("fetch deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Connects only to addresses the policy permits (resolved here, so DNS cannot change in between)."""

    def __init__(self, deadline: float, policy: AddressPolicy | None, resolver: Resolver | None) -> None:
        self._deadline, self._policy, self._resolver = deadline, policy, resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        targets = [host]
        if self._policy is not None:
            targets = permitted_addresses(host, port, self._policy, resolver=self._resolver)
        failure: Exception | None = None
        for target in targets:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout("fetch deadline passed")
            try:
                stream = self._inner.connect_tcp(target, port, timeout=min(timeout or left, left),
                                                 local_address=local_address, socket_options=socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        raise failure or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not sources")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _Transport(httpx.HTTPTransport):
    """httpx's transport over our backend (httpx has no public hook for a network backend)."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=backend)
