"""Where a source added from chat may point: public http(s) addresses only, unless the operator allows more.

A chat user must not be able to make the worker read the operator's own network: loopback, private,
link-local, shared (CGNAT) and reserved ranges and the cloud metadata endpoints are refused. The
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

# Never reachable from chat, even inside an allowed network: they hand out cloud credentials.
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeSource(SourceError):
    """The URL is not http(s), or it leads to an address that sources from chat may not reach."""


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Public addresses, plus the operator's `allowed` networks (never the metadata endpoints)."""

    allowed: tuple[IPNetwork, ...] = ()

    def permits(self, ip: IPAddress) -> bool:
        for candidate in _embedded(ip):
            if candidate in METADATA:
                return False
            if any(candidate.version == net.version and candidate in net for net in self.allowed):
                continue
            if not candidate.is_global or candidate.is_multicast:
                return False
        return True


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """The address and any IPv4 address tunnelled inside it (mapped, 6to4, Teredo, NAT64)."""
    out: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            out.append(ip.ipv4_mapped)
        if ip.sixtofour:
            out.append(ip.sixtofour)
        if ip.teredo:
            out.append(ip.teredo[1])
        if ip in _NAT64:
            out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return out


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
        if not policy.permits(ip):
            raise UnsafeSource(f"{where}: {host} resolves to {ip}, a {_kind(ip)} address; sources from chat must be public")
        if str(ip) not in addresses:
            addresses.append(str(ip))
    if not addresses:
        raise SourceError(f"{where}: {host} has no address")
    return addresses


def check_url(url: str, policy: AddressPolicy, *, resolver: Resolver | None = None) -> list[str]:
    """The addresses `url` may be fetched from; UnsafeSource when it is not a public http(s) URL."""
    host, port = check_scheme(url)
    return permitted_addresses(host, port, policy, resolver=resolver, where=url)


def _kind(ip: IPAddress) -> str:
    if any(c in METADATA for c in _embedded(ip)):
        return "cloud metadata"
    for c in _embedded(ip):
        if c.is_loopback:
            return "loopback"
        if c.is_link_local:
            return "link-local"
        if c.is_private:
            return "private"
        if c.is_multicast:
            return "multicast"
    return "non-public"
