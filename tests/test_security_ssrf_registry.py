"""SSRF gaps of issue 15 (item 3): every IANA special-purpose block is refused by an explicit table,
and every error out of `fetch_url` is a FetchError with a one-line reason.

The classifier is tested on its own (no traffic to any of those addresses); the end-to-end cases
use loopback servers only: a hostile redirector and a canary that must receive nothing.
"""

from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from knowledge.fetch import (
    SPECIAL_PURPOSE_V4,
    SPECIAL_PURPOSE_V6,
    FetchError,
    fetch_url,
    special_purpose,
)

# Blocks Python 3.11's ipaddress calls global (or that a flag-based check would miss), and a
# sample of the rest: first, last and a middle address of each block are all refused.
GAPS = ["192.0.0.192", "192.0.0.9", "192.0.0.10", "192.0.0.170", "192.31.196.1", "192.52.193.1",
        "192.175.48.6", "192.88.99.1", "fec0::1", "feff::1", "2001:1::1", "2001:3::1", "2001:4:112::1",
        "2001:30::1", "2620:4f:8000::1", "3fff::1", "5f00::1", "100:0:0:1::1", "64:ff9b:1::1",
        "100.64.0.0", "100.127.255.255", "198.18.0.0", "198.19.255.255", "240.0.0.0", "255.255.255.254",
        "239.255.255.255", "ff05::1:3", "4000::1", "::ffff:8.8.8.8", "2002:808:808::1"]
PUBLIC = ["8.8.8.8", "1.1.1.1", "9.9.9.9", "192.0.1.1", "192.0.3.1", "100.63.255.255", "100.128.0.0",
          "198.17.255.255", "198.20.0.0", "223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001::1"]


@pytest.mark.parametrize("address", GAPS)
def test_special_purpose_addresses_are_refused(address: str) -> None:
    assert special_purpose(address) is not None


@pytest.mark.parametrize("address", PUBLIC)
def test_ordinary_addresses_next_to_the_blocks_are_public(address: str) -> None:
    assert special_purpose(address) is None


@pytest.mark.parametrize("block", [b for b, _ in (*SPECIAL_PURPOSE_V4, *SPECIAL_PURPOSE_V6)])
def test_every_block_in_the_table_is_refused_at_its_edges(block: str) -> None:
    net = ipaddress.ip_network(block)
    for addr in (net.network_address, net.broadcast_address, net.network_address + net.num_addresses // 2):
        assert special_purpose(str(addr)) is not None, addr


def test_the_table_covers_the_registries_named_in_the_issue() -> None:
    blocks = {b for b, _ in (*SPECIAL_PURPOSE_V4, *SPECIAL_PURPOSE_V6)}
    assert {"192.0.0.0/24", "fec0::/10", "100.64.0.0/10", "198.18.0.0/15", "240.0.0.0/4", "224.0.0.0/4",
            "ff00::/8", "fc00::/7", "fe80::/10", "169.254.0.0/16", "2001:db8::/32"} <= blocks


# ---- end to end, loopback only ------------------------------------------------------------------------


class _Hostile(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.server.hits.append(self.path)
        location = self.server.routes.get(self.path)
        self.send_response(302 if location is not None else 404)
        if location is not None:
            # Written raw: a hostile server sends whatever bytes it likes.
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def servers():
    started = []
    for routes in ({}, None):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
        httpd.hits, httpd.routes = [], routes or {}
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
    canary, hostile = started
    port = canary.server_address[1]
    hostile.routes.update({
        "/js": f"javascript:fetch('http://127.0.0.1:{port}/js')",
        "/data": "data:text/html,<script>1</script>",
        "/bad-ipv6": f"http://[::1:{port}/x",
        "/bad-port": f"http://127.0.0.1:99999{port}/x",
        "/ctl": f"http://127.0.0.1:{port}/\x00x",
        "/space-host": f"http://127.0.0.1 :{port}/x",
        "/ietf": f"http://192.0.0.192:{port}/latest",
        "/site-local": f"http://[fec0::1]:{port}/x",
        "/cgnat": f"http://100.64.0.1:{port}/x",
    })
    yield hostile, canary
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("path", ["/js", "/data", "/bad-ipv6", "/bad-port", "/ctl", "/space-host", "/ietf",
                                  "/site-local", "/cgnat"])
def test_hostile_redirects_end_as_one_line_fetch_errors(path: str, servers) -> None:
    hostile, canary = servers
    canary.hits.clear()
    allow = {f"127.0.0.1:{hostile.server_address[1]}"}
    with pytest.raises(FetchError) as info:
        fetch_url(f"http://127.0.0.1:{hostile.server_address[1]}{path}", allow_hosts=allow, timeout=5)
    message = str(info.value)
    assert message and "\n" not in message and len(message) < 400
    assert canary.hits == []


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:notaport/", "http://\x00/", "http://a b/",
                                 "http://" + "a" * 300 + ".example/"])
def test_malformed_urls_are_fetch_errors(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_dns(*args, **kwargs):
        raise socket.gaierror("no DNS in this test")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FetchError) as info:
        fetch_url(url, timeout=2)
    assert "\n" not in str(info.value)
