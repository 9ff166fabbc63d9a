"""Is this entry one we already have? Identity keys first, then near-duplicate text.

Identity, in order: the entry's guid, its canonical URL (tracking parameters stripped), a hash of its
title and text. A guid or URL that several entries of one feed share identifies none of them. Every
key of every stored article is kept (`article_keys`), so an entry found again under another URL, on
another site or after its publisher edited it matches on whichever key it still shares; its new keys
are added. Entries that share no key but whose text is nearly the same (one wire story on five
sites, a fixed typo) are found by SimHash and stored once, with every URL kept.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from sqlalchemy.orm import Session

from bot.domain import ArticleIn
from db import articles

# Query parameters that say who sent the reader, not what the page is.
TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl",
    "ref", "ref_src", "ref_url", "referrer", "source", "cmpid", "ocid", "spm", "smid", "sr_share", "share",
    "s_cid", "cid", "icid", "ito", "xtor", "ns_campaign", "ns_mchannel", "ns_source", "ns_linkname", "ns_fee",
    "rss", "feed", "from", "output", "partner", "amp",
})
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "piwik_", "hsa_", "oly_", "vero_", "__hs", "_hs", "mkt_", "trk_")
SIMHASH_BITS = 64
# Texts this close (differing bits of 64) are one story. On 3-word shingles, copies of one article
# (another byline, layout, a fixed typo) differ by 0-8 bits in our samples; different articles about
# the same talks by 21 or more; unrelated texts by about 32.
NEAR = 8
MIN_SHINGLES = 24
# A near copy more than this much longer than the stored text is an update, not a copy.
LONGER = 1.15
RECENT = 20_000
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True)
class Entry:
    """A feed entry with what identifies it; `copy_of` is set when it turns out to be a stored article."""

    article: ArticleIn
    identity: str  # stored as articles.guid: the guid, else the canonical URL, else "sha256:..."
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (kind, value)
    simhash: int | None = None
    copy_of: int | None = None


def canonical_url(url: str | None) -> str | None:
    """The URL with scheme and host lower-cased, default port, fragment and tracking parameters dropped."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return url.strip()
    scheme = parts.scheme.lower()
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def _tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING or low.startswith(TRACKING_PREFIXES)


def _site_root(canonical: str) -> bool:
    parts = urlsplit(canonical)
    return parts.path in {"", "/"} and not parts.query


def text_fingerprint(title: str | None, text: str) -> str:
    """Title and text, case and spacing ignored, hashed: the identity of an entry with no guid or link."""
    norm = " ".join(f"{title or ''}\n{text}".lower().split())
    return "sha256:" + hashlib.sha256(norm.encode()).hexdigest()


def key_of(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def identify(articles: Sequence[ArticleIn], *, url_keys: bool = True) -> list[Entry]:
    """Each entry with its keys; guids and links that several entries of the feed share are not keys.
    A page source's revisions share its URL, so there (`url_keys=False`) the URL is no key."""
    guids = Counter(_guid_value(a.guid) for a in articles if _guid_value(a.guid))
    urls = Counter(canonical_url(a.url) for a in articles if canonical_url(a.url))
    out = []
    for art in articles:
        keys: dict[str, tuple[str, str]] = {}
        guid = _guid_value(art.guid)
        if guid and guids[guid] == 1:
            keys[key_of(guid)] = ("guid", guid)
        url = canonical_url(art.url)
        if url_keys and url and urls[url] == 1 and not _site_root(url):
            keys.setdefault(key_of(url), ("url", url))
        fingerprint = text_fingerprint(art.title, art.text)
        keys.setdefault(key_of(fingerprint), ("text", fingerprint))
        identity = next(iter(keys.values()))[1]
        out.append(Entry(article=art, identity=identity, keys=keys))
    return out


def _guid_value(guid: str | None) -> str | None:
    """The guid as a key: stripped; a permalink guid canonicalised like a link, so the two meet."""
    if not guid or not guid.strip() or guid.startswith("sha256:"):
        return None
    guid = guid.strip()
    return canonical_url(guid) if guid.lower().startswith(("http://", "https://")) else guid


def match_known(*, session: Session, tracker_id: int, entries: Sequence[Entry]) -> list[Entry]:
    """Mark entries whose keys a stored article has (copy_of); the first of equal entries stays fresh."""
    found = articles.known_keys(session=session, tracker_id=tracker_id, keys=[k for e in entries for k in e.keys])
    legacy = [e.identity for e in entries if not any(k in found for k in e.keys)]
    if legacy:  # articles stored before keys existed are found by their guid
        found.update({key_of(g): a for g, a in articles.by_guid(session=session, tracker_id=tracker_id,
                                                                   guids=legacy).items()})
    batch: dict[str, Entry] = {}
    fresh = []
    for entry in entries:
        stored = next((found[k] for k in entry.keys if k in found), None)
        if stored is not None:
            entry.copy_of = stored
            entry.keys = {k: v for k, v in entry.keys.items() if k not in found}  # only the new ones
            continue
        twin = next((batch[k] for k in entry.keys if k in batch), None)
        if twin is not None:  # the same entry twice in one feed: one article, both keys
            twin.keys.update(entry.keys)
            continue
        batch.update(dict.fromkeys(entry.keys, entry))
        fresh.append(entry)
    return fresh


def simhash(text: str) -> int | None:
    """A 64-bit SimHash of the text's 3-word shingles (signed, to fit a BIGINT); None for short texts."""
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}
    if len(shingles) < MIN_SHINGLES:
        return None
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in shingles)
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 > len(shingles)
    value = int("".join("1" if v else "0" for v in votes), 2)
    return value - (1 << SIMHASH_BITS) if value >= 1 << (SIMHASH_BITS - 1) else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << SIMHASH_BITS) - 1)).bit_count()


def match_near(*, session: Session, tracker_id: int, entries: Sequence[Entry]) -> list[Entry]:
    """Mark entries whose text is nearly a stored article's or an earlier entry's; return the rest.

    A near text that is clearly longer is kept as new: an update that adds a paragraph may add the
    news ("... the visit has been postponed"), and extracting it again costs less than losing it.
    """
    for entry in entries:
        entry.simhash = simhash(entry.article.text)
    if not any(e.simhash is not None for e in entries):
        return list(entries)
    rows = articles.recent_simhashes(session=session, tracker_id=tracker_id, limit=RECENT)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    hashes = np.array([r[1] for r in rows], dtype=np.int64).view(np.uint64)
    lengths = np.array([r[2] for r in rows], dtype=np.int64)
    fresh: list[Entry] = []
    for entry in entries:
        h, size = entry.simhash, len(entry.article.text)
        if h is not None:
            if len(hashes):
                near = (np.bitwise_count(hashes ^ np.int64(h).view(np.uint64)) <= NEAR) & (size <= lengths * LONGER)
                hits = np.flatnonzero(near)
                if len(hits):
                    entry.copy_of = int(ids[hits[0]])
                    continue
            twin = next((f for f in fresh if f.simhash is not None and distance(h, f.simhash) <= NEAR
                         and size <= len(f.article.text) * LONGER), None)
            if twin is not None:
                twin.keys.update(entry.keys)
                continue
        fresh.append(entry)
    return fresh


def add_keys(
    *, session: Session, tracker_id: int, article_id: int, keys: dict[str, tuple[str, str]], source_id: int | None,
    now: datetime,
) -> None:
    """Remember every key of an article (db/articles.py)."""
    articles.add_keys(session=session, tracker_id=tracker_id, article_id=article_id, keys=keys, source_id=source_id,
                      now=now)


def record_copies(*, session: Session, tracker_id: int, entries: Iterable[Entry], source_id: int | None, now: datetime) -> int:
    """Add the keys (URLs among them) of entries found to be stored articles; return how many."""
    n = 0
    for entry in entries:
        if entry.copy_of is not None:
            add_keys(session=session, tracker_id=tracker_id, article_id=entry.copy_of, keys=entry.keys,
                     source_id=source_id, now=now)
            n += 1
    return n


def urls_of(*, session: Session, article_id: int) -> list[str]:
    """Every URL an article was found under, first seen first."""
    return articles.urls_of(session=session, article_id=article_id)
