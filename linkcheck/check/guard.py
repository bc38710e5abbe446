"""The private-network guard: no article may make us connect to a loopback, private, link-local
or reserved address, whatever its URL or DNS says."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

import urllib3

from linkcheck.check.deadline import current_attempt
from linkcheck.models import FailureKind, FetchFailure


class PrivateAddressRefused(OSError):
    """A connection would reach a loopback, private, link-local or reserved address."""


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052, RFC 8215).
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
# Names that never denote a public host (RFC 6761, RFC 6762, RFC 8375, and the common private suffixes).
_LOCAL_NAMES = ("localhost", "local", "internal", "home.arpa", "lan", "intranet", "private")
# The characters of the legacy IPv4 forms C's inet_aton reads (127.1, 0x7f.1, 0177.0.0.1, 2130706433).
_LEGACY_IPV4 = re.compile(r"^[0-9a-fx.]+$")


def is_private_address(address: str) -> bool:
    """Whether an IP address is one an untrusted article must not make us fetch.

    Anything not globally routable counts, which includes 100.64.0.0/10 (shared address space,
    where Alibaba Cloud keeps its metadata service at 100.100.100.200), and multicast. IPv6 forms
    that carry an IPv4 address (mapped, IPv4-compatible, NAT64, 6to4, Teredo) are judged by it too.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return any(not one.is_global or one.is_private or one.is_multicast for one in (ip, *_embedded_ipv4(ip)))


def _embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for, if it is one of the forms that carry one."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    last32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 or any(ip in network for network in _NAT64):  # ::a.b.c.d and NAT64
        found.append(last32)
    return [one for one in found if one is not None]


def denoted_address(host: str) -> str | None:
    """The IP address a URL's host denotes without DNS, in canonical form: a literal, or one of the
    legacy IPv4 forms every resolver reads (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`, `0`)."""
    host = host.strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return str(ipaddress.IPv4Address(socket.inet_aton(host)))
        except OSError:
            return None
    return None


def is_local_name(host: str) -> bool:
    """A name that can only mean this machine or a private network (`localhost.`, `printer.local`)."""
    host = host.rstrip(".").lower()
    return any(host == name or host.endswith("." + name) for name in _LOCAL_NAMES)


class PeerGuard:
    """Refuses non-public addresses before connecting: the host name is resolved here, every
    address it has is checked, and the socket connects to a checked address, never re-resolving
    (so DNS rebinding cannot swap one in). The peer is checked again once connected."""

    host: str
    _dns_host: str
    port: int
    sock: socket.socket | None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        attempt = current_attempt()
        if attempt is not None and self.sock is not None:
            attempt.sockets.append(self.sock)

    def _new_conn(self) -> socket.socket:
        attempt = current_attempt()
        if attempt is None or not attempt.guard_peer:
            return super()._new_conn()  # type: ignore[misc, no-any-return]
        addresses = public_addresses(self._dns_host, self.port, self.host)
        sock = self._connect_to(addresses) if addresses else super()._new_conn()  # type: ignore[misc]
        peer = sock.getpeername()[0]
        if is_private_address(peer):
            sock.close()
            raise PrivateAddressRefused(f"{self.host} resolves to non-public address {peer}")
        return sock  # type: ignore[no-any-return]

    def _connect_to(self, addresses: list[str]) -> socket.socket:
        name = self._dns_host
        error: Exception | None = None
        for address in addresses:
            self._dns_host = address
            try:
                return super()._new_conn()  # type: ignore[misc, no-any-return]
            except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
                error = exc
            finally:
                self._dns_host = name
        assert error is not None
        raise error


def public_addresses(host: str, port: int, shown: str) -> list[str]:
    """The addresses a host name resolves to, all checked public; [] when it does not resolve
    (the connection then fails the ordinary way and reports the DNS error)."""
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if is_private_address(address):
            raise PrivateAddressRefused(f"{shown} resolves to non-public address {address}")
    return addresses


def literal_host_refusal(url: str) -> FetchFailure | None:
    """A refusal for a URL whose host is local by its very spelling, before any connection (and
    before a proxy, which would resolve it on its side): a local name, or an address in any
    literal form that is not public. None when the host must be judged by where it connects."""
    host = (urlsplit(url).hostname or "").lower()
    address = denoted_address(host)
    if is_local_name(host) or (address is not None and is_private_address(address)):
        shown = host if address in (None, host) else f"{host} ({address})"
        return FetchFailure(
            FailureKind.PRIVATE_NETWORK,
            f"refused: {shown} is a private or local address (allow_private_networks is off)",
        )
    return None
