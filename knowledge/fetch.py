"""Safe server-side URL fetching (SSRF-refusing) for ingesting web pages.

Policy: only http(s); every address a host name resolves to must be public (no loopback,
private, link-local, cloud-metadata, CGNAT, multicast, reserved, or IPv6 forms that embed such
an IPv4 address); the connection goes to the address we checked (no DNS-rebinding window);
redirects are followed by hand and re-checked; size and time are capped; only text content
types are read. `allow_hosts` ("host" or "host:port" entries) exists for tests against a local
server and is never set from configuration.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from knowledge.models import KnowledgeError

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_S = 20.0
MAX_REDIRECTS = 5
TEXT_TYPES = ("text/", "application/xhtml+xml")

_METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data"}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(KnowledgeError):
    """A URL could not or must not be fetched; one-line reason."""


@dataclass(frozen=True)
class FetchedPage:
    """A fetched text resource."""

    url: str  # as requested
    final_url: str  # after redirects
    content_type: str
    body: bytes


def parse_ip(value: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address from a literal in any notation a URL parser may accept, else None.

    Accepts dotted quads, bare decimal ('2130706433'), hex ('0x7f000001'), octal / short forms
    ('0177.0.0.1', '127.1') via inet_aton, and IPv6 (with or without brackets/zone id).
    """
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    if isinstance(value, int):
        return ipaddress.ip_address(value) if 0 <= value < 2**128 else None
    text = str(value).strip().strip("[]").split("%")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except (OSError, ValueError):
        return None


def is_public_address(ip: object) -> bool:
    """True only for a globally routable unicast address. Pure: no DNS, no traffic.

    Unparseable input is not public (refuse by default).
    """
    addr = parse_ip(ip)
    if addr is None:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address are judged by that address.
        embedded = addr.ipv4_mapped or addr.sixtofour or (addr.teredo[1] if addr.teredo else None)
        if embedded is None and addr in _NAT64:
            embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if embedded is None and int(addr) >> 32 == 0 and int(addr) > 1:  # deprecated ::a.b.c.d
            embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if embedded is not None and not is_public_address(embedded):
            return False
    return bool(
        addr.is_global
        and not addr.is_multicast
        and not addr.is_reserved
        and not addr.is_loopback
        and not addr.is_link_local
        and not addr.is_private
        and not addr.is_unspecified
    )


def _resolve(host: str, port: int) -> list[str]:
    literal = parse_ip(host)
    if literal is not None:
        return [str(literal)]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host '{host}'; check the URL") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_url(url: str, allow_hosts: Collection[str] = ()) -> tuple[str, str]:
    """(host, address to connect to) for a URL the policy accepts; raises FetchError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(f"only http(s) URLs can be ingested, not '{parts.scheme or url}'")
    if parts.username or parts.password:
        raise FetchError("URLs with embedded credentials are refused")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchError(f"no host in URL '{url}'")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"bad port in URL '{url}'") from exc
    if host in allow_hosts or f"{host}:{port}" in allow_hosts:
        # Test-only escape hatch; a "host:port" entry admits that one server and nothing else on
        # the host, so a redirect to another port of an allowed loopback host is still refused.
        return host, _resolve(host, port)[0]
    # Refuse by name before any DNS query is made.
    if host in _METADATA_HOSTS or host == "localhost" or host.endswith((".localhost", ".internal", ".local")):
        raise FetchError(f"refused to fetch {host}: local or metadata address")
    addresses = _resolve(host, port)
    bad = [a for a in addresses if not is_public_address(a)]
    if bad:
        raise FetchError(f"refused to fetch {host}: it resolves to non-public address {bad[0]}")
    return host, addresses[0]


def _pinned_request(client: httpx.Client, url: str, host: str, address: str) -> httpx.Request:
    """A request sent to the checked address, with Host/SNI of the original name."""
    parts = urlsplit(url)
    netloc_ip = f"[{address}]" if ":" in address else address
    if parts.port:
        netloc_ip = f"{netloc_ip}:{parts.port}"
    pinned = parts._replace(netloc=netloc_ip).geturl()
    host_header = host if not parts.port else f"{host}:{parts.port}"
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return client.build_request(
        "GET", pinned, headers={"Host": host_header}, extensions=extensions
    )


def fetch_url(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_S,
    allow_hosts: Collection[str] = (),
) -> FetchedPage:
    """GET a text resource under the SSRF policy above; raises FetchError with a one-line reason."""
    deadline = time.monotonic() + timeout
    current = url
    headers = {"User-Agent": "finsight/0.1 (+research assistant; ingest)", "Accept": "text/html,text/plain;q=0.9,*/*;q=0.1"}
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, headers=headers, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            host, address = check_url(current, allow_hosts)
            request = _pinned_request(client, current, host, address)
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {timeout:.0f} s fetching {url}") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"could not fetch {url} ({type(exc).__name__})") from exc
            try:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"redirect without a Location from {current}")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} from {current}")
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if not ctype.startswith(TEXT_TYPES):
                    raise FetchError(f"refused content type '{ctype or 'unknown'}' (only text/HTML pages)")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"page larger than the {max_bytes // 1_000_000} MB cap")
                body = bytearray()
                try:
                    for part in response.iter_bytes():
                        body += part
                        if len(body) > max_bytes:
                            raise FetchError(f"page larger than the {max_bytes // 1_000_000} MB cap")
                        if time.monotonic() > deadline:
                            raise FetchError(f"timed out after {timeout:.0f} s fetching {url}")
                except httpx.TimeoutException as exc:
                    raise FetchError(f"timed out after {timeout:.0f} s fetching {url}") from exc
                return FetchedPage(url=url, final_url=current, content_type=ctype, body=bytes(body))
            finally:
                response.close()
        raise FetchError(f"too many redirects fetching {url}")
