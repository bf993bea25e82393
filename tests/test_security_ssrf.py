"""SSRF: URL ingest refuses every way of naming a private, loopback, link-local or metadata address.

Pure checks need no traffic; DNS is faked at its boundary (`socket.getaddrinfo`); the redirect
tests run two HTTP servers on 127.0.0.1 (the only network used): the first hop is admitted by a
test-only "host:port" allowlist entry, every redirect target must be re-checked and refused, and
a canary server proves that no request reached the target.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from knowledge import FetchError, KnowledgeBase, fetch_url
from knowledge.fetch import check_url, is_public_address

NOT_PUBLIC = [
    "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "169.254.1.1", "169.254.169.254",  # link-local, cloud metadata
    "224.0.0.1", "255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.2.1",
    "::1", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
    "fc00::1", "fd12:3456::1", "fe80::1", "fe80::1%eth0", "[::1]", "ff02::1",
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 wrapping 169.254.169.254
    "2130706433", "0x7f000001", "017700000001", "0177.0.0.1", "0x7f.0.0.1", "127.1", "0x7f.1", "10.1",
    "3232235777",  # 192.168.1.1 as one decimal number
    "not-an-address", "", "999.1.1.1",
]

PUBLIC = ["8.8.8.8", "1.1.1.1", "134744072", "2606:4700:4700::1111"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_in_every_notation(address: str):
    assert is_public_address(address) is False


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_public(address: str):
    assert is_public_address(address) is True


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail any DNS lookup: IP literals must be judged without resolving anything."""
    asked: list[str] = []

    def refuse(host, *args, **kwargs):
        asked.append(host)
        raise AssertionError(f"unexpected DNS lookup of {host}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return asked


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.0.0.1:8080/admin", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://127.1/",
    "http://0/", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/", "http://[fe80::1%25eth0]/",
    "http://10.0.0.1/", "http://192.168.0.1/", "https://172.16.0.1/", "http://100.100.100.200/",
    "http://localhost/", "http://LOCALHOST./", "http://api.localhost/", "http://metadata.google.internal/",
    "http://metadata/", "http://printer.local/",
])
def test_urls_naming_internal_hosts_are_refused_without_dns(url: str, no_dns: list[str]):
    with pytest.raises(FetchError, match="refused"):
        check_url(url)
    assert no_dns == []


@pytest.mark.parametrize("url, reason", [
    ("file:///etc/passwd", "only http"), ("gopher://127.0.0.1/", "only http"), ("ftp://example.org/", "only http"),
    ("http://user:secret@example.org/", "credentials"), ("http:///nohost", "no host"),
])
def test_other_schemes_and_credentials_are_refused(url: str, reason: str, no_dns: list[str]):
    with pytest.raises(FetchError, match=reason):
        check_url(url)


def _fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    """Answer lookups of the names in `table` (anything else goes to the real resolver: only
    127.0.0.1 literals reach it in these tests). Returns the names asked for."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def fake(host, port, *args, **kwargs):
        if host in table:
            asked.append(host)
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                     (a, port or 80, 0, 0) if ":" in a else (a, port or 80)) for a in table[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


@pytest.mark.parametrize("addresses", [
    ["10.1.2.3"], ["127.0.0.1"], ["169.254.169.254"], ["::1"], ["fd00::5"], ["::ffff:192.168.0.9"],
    ["93.184.216.34", "10.0.0.7"],  # one private answer among public ones is enough to refuse
], ids=lambda a: "+".join(a))
def test_dns_names_resolving_to_private_addresses_are_refused(addresses, monkeypatch, tmp_path):
    asked = _fake_dns(monkeypatch, {"research.example.com": addresses})
    sent: list[str] = []
    monkeypatch.setattr(httpx.Client, "send", lambda self, request, **kw: sent.append(str(request.url)))
    with pytest.raises(FetchError, match="non-public address"):
        fetch_url("https://research.example.com/report")
    assert asked == ["research.example.com"] and sent == []  # resolved once, nothing sent
    summary = KnowledgeBase(tmp_path / "store").ingest(["https://research.example.com/report"])
    assert summary.added == [] and "refused" in summary.failed[0][1] and "\n" not in summary.failed[0][1]


# --- redirects, against two loopback servers -----------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        self.server.hits.append(self.path)
        status, headers, body = self.server.route(self.path)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(route):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.hits, httpd.route = [], route
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def servers():
    canary = _serve(lambda path: (200, {"Content-Type": "text/html"}, b"<html><body><p>secret</p></body></html>"))
    port = canary.server_address[1]
    targets = {
        "/to-loopback": f"http://127.0.0.1:{port}/secret",
        "/to-mapped": f"http://[::ffff:127.0.0.1]:{port}/secret",
        "/to-decimal": f"http://2130706433:{port}/secret",
        "/to-octal": f"http://0177.0.0.1:{port}/secret",
        "/to-hex": f"http://0x7f.0.0.1:{port}/secret",
        "/to-short": f"http://127.1:{port}/secret",
        "/to-localhost": f"http://localhost:{port}/secret",
        "/to-ipv6-loopback": f"http://[::1]:{port}/secret",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/iam/",
        "/to-private-name": f"http://intranet.example.com:{port}/secret",
        "/to-file": "file:///etc/passwd",
        "/chain": "/to-loopback",  # a relative hop on the allowed server, then the loopback one
    }
    first = _serve(lambda path: (302, {"Location": targets[path]}, b"") if path in targets else (404, {}, b""))
    yield first, canary, targets
    for httpd in (first, canary):
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("path", ["/to-loopback", "/to-mapped", "/to-decimal", "/to-octal", "/to-hex", "/to-short",
                                  "/to-localhost", "/to-ipv6-loopback", "/to-metadata", "/to-private-name",
                                  "/to-file", "/chain"])
def test_redirect_targets_are_rechecked_and_never_contacted(path: str, servers, monkeypatch):
    first, canary, _ = servers
    _fake_dns(monkeypatch, {"intranet.example.com": ["127.0.0.1"]})
    first.hits.clear()
    canary.hits.clear()
    allow = {f"127.0.0.1:{first.server_address[1]}"}  # exactly the first server, not the host
    # httpx itself rejects a Location like "0177.0.0.1" ("could not fetch"); every other form
    # reaches our re-check and is refused by it.
    expected = "could not fetch" if path == "/to-octal" else "refused|only http"
    with pytest.raises(FetchError, match=expected):
        fetch_url(f"http://127.0.0.1:{first.server_address[1]}{path}", allow_hosts=allow)
    assert first.hits and first.hits[0] == path  # the first hop really was fetched ...
    assert canary.hits == []  # ... and the redirect target received nothing


def test_connection_goes_to_the_checked_address_not_a_second_lookup(servers, monkeypatch):
    """DNS rebinding: a name that resolves once to the checked address and then elsewhere.

    The first answer stands for "checked and found public" (admitted here by the allowlist, as no
    test may contact a public address); later answers point at the canary. The fetch must connect
    to the first answer and never look the name up again.
    """
    first, canary, _ = servers
    canary.hits.clear()
    answers = iter([["127.0.0.1"]])
    canary_port = canary.server_address[1]
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example.com":
            lookups.append(host)
            address = next(answers, None)
            target = ("127.0.0.1", port) if address else ("127.0.0.1", canary_port)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", target)]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = first.server_address[1]
    with pytest.raises(FetchError, match="HTTP 404"):  # the first server answers the unknown path
        fetch_url(f"http://rebind.example.com:{port}/page", allow_hosts={f"rebind.example.com:{port}"})
    assert lookups == ["rebind.example.com"] and canary.hits == []
    assert first.hits[-1] == "/page"
