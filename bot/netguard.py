"""Where a source added from chat may point: public http(s) addresses only, unless the operator allows more.

A chat user must not be able to make the worker read the operator's own network: loopback, private,
link-local, site-local, shared (CGNAT), documentation and reserved ranges (one table, REFUSED) and the
cloud metadata endpoints are refused, also when an IPv6 address carries one of them as an IPv4
address (mapped, compatible, translated, NAT64, 6to4, Teredo). The
check runs on the resolved addresses, for the first URL and for every redirect, and the fetcher
connects only to an address that passed it (bot/fetch.py), so DNS cannot change its answer in between.
Sources from tracker files and the CLI are the operator's own and are not checked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.errors import SourceError, UserError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# One getaddrinfo() result, (family, type, proto, canonname, sockaddr): only sockaddr's host is read.
AddrInfo = tuple[object, object, object, object, tuple[object, ...]]
Resolver = Callable[..., Sequence[AddrInfo]]

# Never reachable from chat, even inside an allowed network: they hand out cloud credentials (AWS, ECS
# and EKS task roles, GCP and Azure at 169.254.169.254, Alibaba, Oracle).
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23",
              "100.100.100.200", "192.0.0.192")
)

# The one table of networks sources from chat may not reach (unless NTRACK_ALLOW_NETWORKS allows
# them): IANA's special-purpose registries (the rows not globally reachable), multicast, and every
# IPv6 block outside global unicast 2000::/3. Each row: the network and what it is, as the refusal
# says it ("a <what> address"); the first row that holds an address names it, so narrower rows come
# before the rows around them. IPv6 forms that carry an IPv4 address are judged by that address too
# (`embedded`, below); the pure translation forms (mapped, compatible, translated, NAT64 well-known)
# are judged by it alone.
REFUSED: tuple[tuple[IPNetwork, str], ...] = tuple((ipaddress.ip_network(net), what) for net, what in (
    ("0.0.0.0/8", "this-network"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared (CGNAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "6to4 relay anycast"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("255.255.255.255/32", "broadcast"),
    ("240.0.0.0/4", "reserved"),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("64:ff9b:1::/48", "NAT64 local-use"),
    ("::/8", "reserved"),  # besides the IPv4 forms in it (compatible, mapped, translated), judged by their IPv4
    ("100::/64", "discard-only"),
    ("100::/8", "reserved"),
    ("200::/7", "reserved"),
    ("400::/6", "reserved"),
    ("800::/5", "reserved"),
    ("1000::/4", "reserved"),
    ("2001:2::/48", "benchmarking"),
    ("2001:10::/28", "ORCHID"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "SRv6 SID"),
    ("4000::/3", "reserved"),
    ("6000::/3", "reserved"),
    ("8000::/3", "reserved"),
    ("a000::/3", "reserved"),
    ("c000::/3", "reserved"),
    ("e000::/4", "reserved"),
    ("f000::/5", "reserved"),
    ("f800::/6", "reserved"),
    ("fc00::/7", "unique-local"),
    ("fe00::/9", "reserved"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
))

# IPv6 forms whose last 32 bits are an IPv4 address and that reach nothing else: judged by it alone.
_PURE_FORMS = tuple((ipaddress.IPv6Network(net), form) for net, form in (
    ("::ffff:0:0/96", "IPv4-mapped"),
    ("::ffff:0:0:0/96", "IPv4-translated"),
    ("64:ff9b::/96", "NAT64"),
    ("::/96", "IPv4-compatible"),  # after the others; :: and ::1 are themselves (RFC 4291)
))
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")
_TEREDO = ipaddress.IPv6Network("2001::/32")


class UnsafeSource(SourceError):
    """The URL is not http(s), or it leads to an address that sources from chat may not reach."""


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Public addresses, plus the operator's `allowed` networks (never the metadata endpoints)."""

    allowed: tuple[IPNetwork, ...] = ()

    def permits(self, ip: IPAddress) -> bool:
        return self.refusal(ip) is None

    def refusal(self, ip: IPAddress) -> str | None:
        """Why `ip` may not be reached ("a loopback address", ...), or None when it may."""
        for candidate, form in embedded(ip):
            inside = f" ({form} form of {candidate})" if form else ""
            if candidate in METADATA:
                return f"a cloud metadata address{inside}"
            if any(candidate.version == net.version and candidate in net for net in self.allowed):
                continue
            what = refused_as(candidate)
            if what is not None:
                return f"{'an' if what[0] in 'aeiouAEIOU' else 'a'} {what} address{inside}"
        return None


def refused_as(ip: IPAddress) -> str | None:
    """What the first row of REFUSED that holds `ip` calls it, or None (a public address)."""
    return next((what for net, what in REFUSED if ip.version == net.version and ip in net), None)


def embedded(ip: IPAddress) -> list[tuple[IPAddress, str | None]]:
    """What to judge for `ip`: (address, the form it was carried in, or None for the address itself).

    An IPv4 address carried in IPv6 is decoded from every form that carries one: mapped, translated,
    NAT64 (well-known and local-use prefixes), compatible (judged by the IPv4 address alone, as they
    reach nothing else), 6to4 and Teredo (the address itself, and the IPv4 addresses inside it)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return [(ip, None)]
    last32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    for net, form in _PURE_FORMS:
        if ip in net and int(ip) > 1:
            return [(last32, form)]
    out: list[tuple[IPAddress, str | None]] = []  # the IPv4 addresses inside first: they name the refusal
    if ip in _NAT64_LOCAL:
        out.append((last32, "NAT64 local-use"))
    elif ip in _SIXTOFOUR:
        out.append((ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF), "6to4"))
    elif ip in _TEREDO:
        # server in bits 32-63, client (bit-inverted) in the last 32 bits
        out.append((ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF ^ 0xFFFFFFFF), "Teredo client"))
        out.append((ipaddress.IPv4Address((int(ip) >> 64) & 0xFFFFFFFF), "Teredo server"))
    return [*out, (ip, None)]


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """'10.0.0.0/8, fd00::/8' -> networks; a UserError naming a bad entry."""
    nets = []
    for item in text.replace(";", ",").split(","):
        if item.strip():
            try:
                nets.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise UserError(f"NTRACK_ALLOW_NETWORKS: {item.strip()!r} is not a network (e.g. 10.0.0.0/8)") from None
    return tuple(nets)


def check_scheme(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL; UnsafeSource for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeSource(f"{url}: not a valid URL") from None
    if parts.scheme not in {"http", "https"}:
        raise UnsafeSource(f"{url}: only http and https sources can be added")
    if not parts.hostname:
        raise UnsafeSource(f"{url}: no host in the URL")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def permitted_addresses(
    host: str, port: int, policy: AddressPolicy, *, resolver: Resolver | None = None, where: str | None = None
) -> list[str]:
    """Every address `host` resolves to, if all of them are permitted; UnsafeSource otherwise.

    One refused address refuses the host: a name that also points inside is not a public source.
    """
    where = where or host
    try:
        literal: IPAddress | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        infos: Sequence[AddrInfo] = [(None, None, None, None, (str(literal), port))]
    else:
        try:
            infos = (resolver or socket.getaddrinfo)(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise SourceError(f"{where}: cannot resolve {host} ({exc})".splitlines()[0]) from None
    addresses: list[str] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        refused = policy.refusal(ip)
        if refused is not None:
            raise UnsafeSource(f"{where}: {host} resolves to {ip}, {refused}; sources from chat must be public")
        if str(ip) not in addresses:
            addresses.append(str(ip))
    if not addresses:
        raise SourceError(f"{where}: {host} has no address")
    return addresses


def check_url(url: str, policy: AddressPolicy, *, resolver: Resolver | None = None) -> list[str]:
    """The addresses `url` may be fetched from; UnsafeSource when it is not a public http(s) URL."""
    host, port = check_scheme(url)
    return permitted_addresses(host, port, policy, resolver=resolver, where=url)
