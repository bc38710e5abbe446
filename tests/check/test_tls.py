"""TLS verdicts with the reason a person needs: expired, unknown issuer, host name mismatch.

Certificates are made at test time with `cryptography` (installed with the test extras through
pywb's pyOpenSSL); servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from linkcheck.check.client import Fetcher
from linkcheck.check.verdict import check_result
from linkcheck.models import Verdict
from linkcheck.settings import settings_from_mapping
from tests.server import LocalServer, page, running, send

x509 = pytest.importorskip("cryptography.x509", reason="cryptography is not installed")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

NOW = dt.datetime.now(dt.UTC)


def make_certificate(directory: Path, *, names: list[str], ips: list[str], not_after: dt.datetime) -> tuple[Path, Path]:
    """A self-signed certificate (its own CA) for the given names, written as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0] if names else ips[0])])
    alternatives = [x509.DNSName(name) for name in names] + [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=30))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@contextmanager
def tls_server(cert: Path, key: Path) -> Iterator[LocalServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with running(ssl_context=context) as server:
        server.routes["/secure"] = lambda h: send(h, 200, page("Secure page"))
        yield server


def check_trusting(cert: Path, url: str) -> tuple[Verdict, str]:
    """Check a URL with the certificate's own CA trusted for 127.0.0.1 (a per-domain ca_bundle)."""
    settings = settings_from_mapping(
        {"check": {"allow_private_networks": True, "retries": 0}, "domains": {"127.0.0.1": {"ca_bundle": str(cert)}}}
    )
    fetcher = Fetcher(settings, environ={})
    try:
        result = check_result(fetcher.fetch(url))
    finally:
        fetcher.close()
    return result.verdict, result.error or ""


def test_an_expired_certificate_says_expired(tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path, names=["localhost"], ips=["127.0.0.1"], not_after=NOW - dt.timedelta(days=1))
    with tls_server(cert, key) as server:
        verdict, error = check_trusting(cert, server.url("/secure"))
    assert verdict is Verdict.TLS_ERROR and "expired" in error


def test_a_certificate_for_another_host_says_mismatch(tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path, names=["other.example"], ips=[], not_after=NOW + dt.timedelta(days=30))
    with tls_server(cert, key) as server:
        verdict, error = check_trusting(cert, server.url("/secure"))
    assert verdict is Verdict.TLS_ERROR and "does not match the host name" in error


def test_a_valid_certificate_from_a_trusted_ca_is_ok(tmp_path: Path) -> None:
    cert, key = make_certificate(
        tmp_path, names=["localhost"], ips=["127.0.0.1"], not_after=NOW + dt.timedelta(days=30)
    )
    with tls_server(cert, key) as server:
        verdict, error = check_trusting(cert, server.url("/secure"))
    assert verdict is Verdict.OK, error
