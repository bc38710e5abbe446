"""The private-network guard: no article may make us connect to a loopback, private, link-local
or reserved address, whatever its URL or DNS says."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import urllib3

from linkcheck.check.deadline import current_attempt
from linkcheck.models import FailureKind, FetchFailure


class PrivateAddressRefused(OSError):
    """A connection would reach a loopback, private, link-local or reserved address."""


def is_private_address(address: str) -> bool:
    """Whether an IP address is one an untrusted article must not make us fetch.

    Anything not globally routable counts, which includes 100.64.0.0/10 (shared address space,
    where Alibaba Cloud keeps its metadata service at 100.100.100.200), and multicast.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return bool(not ip.is_global or ip.is_private or ip.is_multicast)


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
    """A refusal for a URL whose host is literally local (`localhost`, a private IP), else None."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost") or is_private_address(host):
        return FetchFailure(
            FailureKind.PRIVATE_NETWORK,
            f"refused: {host} is a private or local address (allow_private_networks is off)",
        )
    return None
