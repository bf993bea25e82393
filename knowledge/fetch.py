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


# Every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its
# updates; registries as of 2025), plus multicast, the deprecated site-local block and, for
# IPv6, everything outside global unicast 2000::/3. An explicit table, so the verdict does not
# depend on the Python version's `ipaddress` flags (3.11 deems 192.0.0.192 and fec0::/10 global).
SPECIAL_PURPOSE_V4: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "this network"), ("10.0.0.0/8", "private use"), ("100.64.0.0/10", "shared address space (CGNAT)"),
    ("127.0.0.0/8", "loopback"), ("169.254.0.0/16", "link local (cloud metadata)"), ("172.16.0.0/12", "private use"),
    ("192.0.0.0/24", "IETF protocol assignments"), ("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ("192.31.196.0/24", "AS112-v4"), ("192.52.193.0/24", "AMT"), ("192.88.99.0/24", "6to4 relay anycast"),
    ("192.168.0.0/16", "private use"), ("192.175.48.0/24", "AS112 direct delegation"),
    ("198.18.0.0/15", "benchmarking"), ("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)"), ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"), ("255.255.255.255/32", "limited broadcast"),
)
SPECIAL_PURPOSE_V6: tuple[tuple[str, str], ...] = (
    ("::/128", "unspecified"), ("::1/128", "loopback"), ("::/96", "IPv4-compatible (deprecated)"),
    ("::ffff:0:0/96", "IPv4-mapped"), ("64:ff9b::/96", "IPv4-IPv6 translation"),
    ("64:ff9b:1::/48", "local-use IPv4-IPv6 translation"), ("100::/64", "discard-only"),
    ("100:0:0:1::/64", "dummy prefix"), ("2001::/23", "IETF protocol assignments"), ("2001::/32", "Teredo"),
    ("2001:2::/48", "benchmarking"), ("2001:3::/32", "AMT"), ("2001:4:112::/48", "AS112-v6"),
    ("2001:10::/28", "ORCHID (deprecated)"), ("2001:20::/28", "ORCHIDv2"), ("2001:30::/28", "drone remote ID"),
    ("2001:db8::/32", "documentation"), ("2002::/16", "6to4"), ("2620:4f:8000::/48", "AS112 direct delegation"),
    ("3fff::/20", "documentation"), ("5f00::/16", "segment routing SIDs"), ("fc00::/7", "unique local"),
    ("fe80::/10", "link local"), ("fec0::/10", "site local (deprecated)"), ("ff00::/8", "multicast"),
)
GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")  # everything else is reserved by the IETF
_SPECIAL = tuple((ipaddress.ip_network(block), why) for block, why in (*SPECIAL_PURPOSE_V4, *SPECIAL_PURPOSE_V6))


def special_purpose(ip: object) -> str | None:
    """Why an address must not be fetched (its special-purpose block), or None for a public one.
    Pure: no DNS, no traffic. Unparseable input is "not an IP address" (refuse by default)."""
    addr = parse_ip(ip)
    if addr is None:
        return "not an IP address"
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.scope_id:
            return "scoped (zone) address"
        # IPv6 forms that carry an IPv4 address are judged by that address too.
        embedded = addr.ipv4_mapped or addr.sixtofour or (addr.teredo[1] if addr.teredo else None)
        if embedded is None and (addr in _NAT64 or int(addr) >> 32 == 0):
            embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if embedded is not None and int(embedded) > 1 and (why := special_purpose(embedded)):
            return why
        if addr not in GLOBAL_UNICAST_V6:
            return next((why for net, why in _SPECIAL if addr in net), "reserved by the IETF (outside 2000::/3)")
    return next((why for net, why in _SPECIAL if addr.version == net.version and addr in net), None)


def is_public_address(ip: object) -> bool:
    """True only for an address in no special-purpose block (see `special_purpose`)."""
    return special_purpose(ip) is None


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
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 - raises ValueError for a malformed host such as "[::1"
    except ValueError as exc:
        raise FetchError(f"malformed URL '{_shown(url)}'") from exc
    if parts.scheme not in {"http", "https"}:
        raise FetchError(f"only http(s) URLs can be ingested, not '{parts.scheme or _shown(url)}'")
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
    bad = [(a, why) for a in addresses if (why := special_purpose(a))]
    if bad:
        raise FetchError(f"refused to fetch {host}: it resolves to non-public address {bad[0][0]} ({bad[0][1]})")
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
    """GET a text resource under the SSRF policy above; raises FetchError with a one-line reason.

    Every failure is a FetchError: a hostile server's malformed redirect (`Location: javascript:`,
    an unparseable host) or a library error never escapes as another type.
    """
    try:
        return _fetch(url, max_bytes=max_bytes, timeout=timeout, allow_hosts=allow_hosts)
    except FetchError:
        raise
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:.0f} s fetching {_shown(url)}") from exc
    except Exception as exc:  # httpx.InvalidURL, ValueError, UnicodeError, ...: refused, in one line
        detail = " ".join(str(exc).split())[:120]
        raise FetchError(f"could not fetch {_shown(url)} ({type(exc).__name__}{': ' + detail if detail else ''})") from exc


def _shown(url: str) -> str:
    """A URL fit for a one-line message: printable, at most 200 characters."""
    text = "".join(c if c.isprintable() else "?" for c in str(url))
    return text if len(text) <= 200 else text[:199] + "…"


def _fetch(url: str, *, max_bytes: int, timeout: float, allow_hosts: Collection[str]) -> FetchedPage:
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
