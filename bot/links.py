"""The public addresses of a tracker's calendar and changes feed, under NTRACK_PUBLIC_URL, and the
names that identify what they publish (calendar UIDs, Atom tag URIs). Pure: the command core, the
routes and the feed builders all word them here, so a link in chat is the address the web process serves."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

# The year in every tag URI ntrack mints (RFC 4151: a date at which the naming authority held its
# name). Fixed: an identifier that changed with the calendar year would not be stable.
TAG_YEAR = "2026"


def base(public_url: str | None) -> str | None:
    """The public base URL without a trailing slash; None when unset or blank."""
    cleaned = (public_url or "").strip().rstrip("/")
    return cleaned or None


def host(public_url: str | None) -> str | None:
    """The public host name (lower case, no port), the authority of UIDs and tag URIs; None when unset."""
    root = base(public_url)
    name = urlsplit(root).hostname if root else None
    return name.lower() if name else None


def tracker_path(slug: str) -> str:
    return f"/t/{quote(slug, safe='')}"


def page_url(public_url: str | None, slug: str) -> str | None:
    root = base(public_url)
    return f"{root}{tracker_path(slug)}" if root else None


def calendar_url(public_url: str | None, slug: str) -> str | None:
    root = base(public_url)
    return f"{root}{tracker_path(slug)}/calendar.ics" if root else None


def webcal_url(public_url: str | None, slug: str) -> str | None:
    """The calendar as a webcal:// link: calendar apps open it as a subscription, not a download."""
    url = calendar_url(public_url, slug)
    if url is None:
        return None
    scheme, _, rest = url.partition("://")
    return f"webcal://{rest}" if scheme.lower() in {"http", "https"} else url


def atom_url(public_url: str | None, slug: str) -> str | None:
    root = base(public_url)
    return f"{root}{tracker_path(slug)}/changes.atom" if root else None


def event_uid(public_url: str | None, slug: str, event_id: int) -> str:
    """A calendar entry's UID for the event's whole life: 'ntrack-kuril-event-123@host' (no host: none)."""
    name = host(public_url)
    uid = f"ntrack-{slug}-event-{event_id}"
    return f"{uid}@{name}" if name else uid


def _tag(public_url: str | None) -> str:
    return f"tag:{host(public_url) or 'ntrack'},{TAG_YEAR}:"


def changes_feed_id(public_url: str | None, slug: str) -> str:
    return f"{_tag(public_url)}{quote(slug, safe='')}/changes"


def change_entry_id(public_url: str | None, slug: str, change_id: int) -> str:
    return f"{changes_feed_id(public_url, slug)}/{change_id}"
