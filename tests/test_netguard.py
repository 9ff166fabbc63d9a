"""The address guard for sources added from chat: every row of the one table of refused networks, and
every IPv6 form that carries an IPv4 address, decoded and judged by that address."""

from __future__ import annotations

import ipaddress

import pytest

from bot.netguard import (
    METADATA,
    REFUSED,
    AddressPolicy,
    IPAddress,
    IPNetwork,
    UnsafeSource,
    check_url,
    refused_as,
)

PUBLIC = AddressPolicy()


def _inside(net: IPNetwork) -> IPAddress:
    """An address in the middle of `net` (not its edge, where a neighbouring row may start); in a wide
    IPv6 network one whose last 32 bits, read as IPv4, are public (8.8.8.8)."""
    return net[net.num_addresses // 2 + (0x08080808 if net.num_addresses > 2**40 else 0)]


@pytest.mark.parametrize(("net", "what"), REFUSED, ids=[str(n) for n, _ in REFUSED])
def test_every_row_of_the_table_is_refused_by_name(net: IPNetwork, what: str) -> None:
    ip = _inside(net)
    assert refused_as(ip) == what
    reason = PUBLIC.refusal(ip)
    assert reason is not None and reason.endswith(f" {what} address"), reason
    with pytest.raises(UnsafeSource, match="sources from chat must be public"):
        check_url(f"http://[{ip}]/feed" if ip.version == 6 else f"http://{ip}/feed", PUBLIC)


@pytest.mark.parametrize(("net", "what"), REFUSED, ids=[str(n) for n, _ in REFUSED])
def test_every_row_gives_way_to_an_allowed_network(net: IPNetwork, what: str) -> None:
    ip = _inside(net)
    assert AddressPolicy((net,)).refusal(ip) is None or ip in METADATA


@pytest.mark.parametrize("address", sorted(str(a) for a in METADATA))
def test_metadata_is_never_reachable_even_when_allowed(address: str) -> None:
    ip = ipaddress.ip_address(address)
    wide = AddressPolicy((ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")))
    assert wide.refusal(ip) == "a cloud metadata address"


def _teredo(client: str, server: str = "65.54.227.120") -> str:
    c = int(ipaddress.IPv4Address(client)) ^ 0xFFFFFFFF
    s = int(ipaddress.IPv4Address(server))
    return str(ipaddress.IPv6Address((0x20010000 << 96) | (s << 64) | (0x8000 << 48) | c))


def _sixtofour(v4: str) -> str:
    return str(ipaddress.IPv6Address((0x2002 << 112) | (int(ipaddress.IPv4Address(v4)) << 80) | 1))


def _last32(prefix: str, v4: str) -> str:
    return str(ipaddress.IPv6Address(int(ipaddress.IPv6Address(prefix)) | int(ipaddress.IPv4Address(v4))))


# (form, how an IPv4 address is written in it); each is judged by the address it carries
FORMS = [
    ("IPv4-mapped", lambda v4: _last32("::ffff:0:0", v4)),
    ("IPv4-compatible", lambda v4: _last32("::", v4)),
    ("IPv4-translated", lambda v4: _last32("::ffff:0:0:0", v4)),
    ("NAT64", lambda v4: _last32("64:ff9b::", v4)),
    ("NAT64 local-use", lambda v4: _last32("64:ff9b:1::", v4)),
    ("6to4", _sixtofour),
    ("Teredo client", _teredo),
    ("Teredo server", lambda v4: _teredo("8.8.8.8", server=v4)),
]


@pytest.mark.parametrize(("form", "make"), FORMS, ids=[f for f, _ in FORMS])
@pytest.mark.parametrize(("v4", "what"), [("127.0.0.1", "loopback"), ("10.1.2.3", "private"),
                                          ("169.254.169.254", "cloud metadata"), ("100.64.0.1", "shared (CGNAT)"),
                                          ("192.0.2.45", "documentation"), ("0.1.2.3", "this-network")])
def test_every_embedded_ipv4_form_is_decoded(form: str, make: object, v4: str, what: str) -> None:
    ip = ipaddress.ip_address(make(v4))  # type: ignore[operator]
    assert PUBLIC.refusal(ip) == f"a {what} address ({form} form of {v4})"


@pytest.mark.parametrize(("form", "make"), FORMS, ids=[f for f, _ in FORMS])
def test_a_public_ipv4_in_a_public_form_passes(form: str, make: object) -> None:
    ip = ipaddress.ip_address(make("8.8.8.8"))  # type: ignore[operator]
    if form == "NAT64 local-use":  # a local prefix: never public, whatever it carries
        assert PUBLIC.refusal(ip) == "a NAT64 local-use address"
    else:
        assert PUBLIC.refusal(ip) is None


@pytest.mark.parametrize(("url", "what"), [
    ("http://[::7f00:1]/", "loopback"),  # IPv4-compatible 127.0.0.1
    ("http://[64:ff9b::7f00:1]/", "loopback"),  # NAT64
    ("http://[::ffff:0:7f00:1]/", "loopback"),  # IPv4-translated
    ("http://[fec0::1]/", "site-local"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "loopback"),  # Teredo, client 127.0.0.1
])
def test_the_review_findings_are_refused(url: str, what: str) -> None:
    with pytest.raises(UnsafeSource, match=f"a {what} address"):
        check_url(url, PUBLIC)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e",
                                     "::ffff:93.184.216.34", "64:ff9b::5db8:d822"])
def test_public_addresses_pass(address: str) -> None:
    assert PUBLIC.permits(ipaddress.ip_address(address))


def test_allowed_networks_reach_through_embedded_forms() -> None:
    allowed = AddressPolicy((ipaddress.ip_network("10.1.0.0/16"),))
    assert allowed.refusal(ipaddress.ip_address("::ffff:10.1.2.3")) is None
    assert allowed.refusal(ipaddress.ip_address("10.2.0.1")) == "a private address"
